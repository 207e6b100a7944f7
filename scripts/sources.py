"""Grade each source primary or secondary, the same way everywhere: on record pages, in checks and in exports.

Reads and writes nothing; pure functions. Primary: a registry record, a peer-reviewed paper (at its publisher,
PubMed/PMC or DOI), a regulator's notice or label, an official legal text or guideline. Secondary: everything else —
news, trial aggregators, company releases, reposts and library catalogues. A host not listed is secondary: adding a
host here is a claim that it publishes primary documents, and is reviewed like any other fact.
"""

from __future__ import annotations

from urllib.parse import urlsplit

PRIMARY_TYPES = {"journal-article", "review", "registry-record", "regulatory-document", "guideline"}

# Registries (and the WHO ICTRP copies of their records), literature databases and publishers, regulators and
# official legal texts. Matched on the host name or any parent domain (www. and sub-domains included).
PRIMARY_HOSTS = {
    # trial registries
    "clinicaltrials.gov", "chictr.org.cn", "irct.ir", "irct.behdasht.gov.ir", "jrct.niph.go.jp", "jrct.mhlw.go.jp",
    "umin.ac.jp", "ctri.nic.in", "cris.nih.go.kr", "clinicaltrialsregister.eu", "euclinicaltrials.eu",
    "anzctr.org.au", "isrctn.com", "trialsearch.who.int", "drks.de", "trialregister.nl", "rpcec.sld.cu",
    # literature: databases, DOI resolver, publishers of the papers cited
    "pubmed.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov", "europepmc.org", "doi.org",
    "frontiersin.org", "neurology.org", "biomedcentral.com", "wiley.com", "cell.com", "springer.com",
    "nature.com", "sciencedirect.com", "elsevier.com", "thelancet.com", "jamanetwork.com", "nejm.org", "bmj.com",
    "oup.com", "sagepub.com", "tandfonline.com", "informahealthcare.com", "karger.com", "mdpi.com", "plos.org",
    "imrpress.com", "celljournal.org", "tbzmed.ac.ir", "jci.org", "pnas.org", "cochranelibrary.com",
    "stemcellsjournals.onlinelibrary.wiley.com", "journals.lww.com", "ahajournals.org", "thieme-connect.com",
    "cmj.org", "cnki.net", "wanfangdata.com.cn", "cqvip.com", "jstage.jst.go.jp", "koreamed.org", "kci.go.kr",
    # regulators, health ministries and official legal texts
    "fda.gov", "ema.europa.eu", "europa.eu", "nmpa.gov.cn", "cde.org.cn", "nhc.gov.cn", "gov.cn", "mfds.go.kr",
    "pmda.go.jp", "mhlw.go.jp", "law.moj.gov.tw", "fda.gov.tw", "mohw.gov.tw", "gov.hk", "afmps.be",
    "legislation.gov.uk", "federalregister.gov", "ecfr.gov", "who.int", "isscr.org", "ninds.nih.gov", "nih.gov",
}


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def grade_url(url: str) -> str:
    """'primary' when the address is a registry, a publisher or database of papers, or a regulator; else 'secondary'."""
    host = _host(url)
    if host == "apps.who.int":
        # ICTRP record pages (trialsearch) reproduce the registries' records; other WHO app pages are not records.
        return "primary" if "/trialsearch/" in urlsplit(url).path.lower() else "secondary"
    parts = host.split(".")
    candidates = {".".join(parts[i:]) for i in range(len(parts) - 1)}
    return "primary" if candidates & PRIMARY_HOSTS else "secondary"


def grade_reference(ref: dict) -> str:
    """A reference's grade from its type: papers, registry records, regulatory documents and guidelines are primary;
    press releases and web pages (news, aggregators, reposts) are secondary."""
    return "primary" if ref["type"] in PRIMARY_TYPES else "secondary"
