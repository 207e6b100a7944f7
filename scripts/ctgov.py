"""Map a ClinicalTrials.gov API v2 study record onto the fields of a study record, for `scripts.new --from/--fetch`.

Reads: nothing (a pure function of the API's JSON). Writes: nothing. `prefill(record)` returns the fields it can
fill from the registry and notes for the rest; what it cannot map is left for the skeleton to mark TODO. Every
value comes from the record as the registry wrote it: nothing is inferred (cell type, route, category and all prose
stay for a person to write from the sources).
"""

from __future__ import annotations

import re
from typing import Any

from . import schema
from .records import stamp_of
from .registry_watch import STATUS

REGISTRY = re.compile(schema.load_schema("common.schema.json")["$defs"]["registry_id"]["pattern"])
PHASES = {"EARLY_PHASE1": "early-1", "PHASE1": "1", "PHASE2": "2", "PHASE3": "3", "PHASE4": "4", "NA": "not-applicable"}
PHASE_PAIRS = {("1", "2"): "1-2", ("2", "3"): "2-3"}
ALLOCATION = {"RANDOMIZED": "randomised", "NON_RANDOMIZED": "non-randomised"}
MASKING = {"NONE": "open-label", "SINGLE": "single-blind", "DOUBLE": "double-blind", "TRIPLE": "double-blind",
           "QUADRUPLE": "double-blind"}
COMPARATOR = {"PLACEBO_COMPARATOR": "placebo", "SHAM_COMPARATOR": "sham"}
# Country names as ClinicalTrials.gov writes them → the ISO codes the schema allows; others stay TODO.
COUNTRIES = {
    "Argentina": "AR", "Australia": "AU", "Austria": "AT", "Belgium": "BE", "Brazil": "BR", "Belarus": "BY",
    "Canada": "CA", "Switzerland": "CH", "Chile": "CL", "China": "CN", "Colombia": "CO", "Cuba": "CU",
    "Czechia": "CZ", "Czech Republic": "CZ", "Germany": "DE", "Denmark": "DK", "Egypt": "EG", "Spain": "ES",
    "Finland": "FI", "France": "FR", "United Kingdom": "GB", "Greece": "GR", "Hong Kong": "HK", "Hungary": "HU",
    "Indonesia": "ID", "Ireland": "IE", "Israel": "IL", "India": "IN", "Iran, Islamic Republic of": "IR",
    "Iran": "IR", "Italy": "IT", "Jordan": "JO", "Japan": "JP", "Korea, Republic of": "KR", "South Korea": "KR",
    "Kazakhstan": "KZ", "Lithuania": "LT", "Mexico": "MX", "Malaysia": "MY", "Netherlands": "NL", "Norway": "NO",
    "New Zealand": "NZ", "Panama": "PA", "Peru": "PE", "Pakistan": "PK", "Poland": "PL", "Portugal": "PT",
    "Russian Federation": "RU", "Russia": "RU", "Saudi Arabia": "SA", "Sweden": "SE", "Singapore": "SG",
    "Thailand": "TH", "Turkey": "TR", "Türkiye": "TR", "Taiwan": "TW", "Ukraine": "UA", "United States": "US",
    "Vietnam": "VN", "Viet Nam": "VN",
}
ESTIMATED_ENROLMENT = {"en": "The registry gives the planned (estimated) enrolment, not the number actually enrolled.",
                       "zh": "注册平台给出的是计划（预计）入组人数，而非实际入组人数。"}
ANTICIPATED_COMPLETION = {"en": "The completion date is the one the registry anticipates, not an actual date.",
                          "zh": "完成日期为注册平台登记的预计日期，并非实际完成日期。"}


def _text(en: str, zh: str) -> dict:
    return {"en": en, "zh": zh, "stamp": stamp_of(en)}


def _get(node: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def prefill(record: dict) -> tuple[dict, list[str]]:
    """(fields filled from the registry record, notes on what could not be mapped)."""
    protocol = record.get("protocolSection", {})
    nct = _get(protocol, "identificationModule", "nctId")
    if not isinstance(nct, str) or not re.fullmatch(r"NCT[0-9]{8}", nct):
        raise ValueError("not a ClinicalTrials.gov API v2 study record: protocolSection.identificationModule.nctId "
                         "is missing or not an NCT number")
    out: dict[str, Any] = {}
    notes: list[str] = []
    uncertain: list[dict] = []

    ids = [nct]
    for item in _get(protocol, "identificationModule", "secondaryIdInfos") or []:
        value = str(item.get("id", "")).strip()
        if item.get("type") == "EUDRACT_NUMBER" and re.fullmatch(r"[0-9]{4}-[0-9]{6}-[0-9]{2}", value):
            value = f"EudraCT {value}"
        if REGISTRY.fullmatch(value) and value not in ids:
            ids.append(value)
        elif value:
            notes.append(f"secondary ID '{value}' is not in a registry format the schema knows: add it by hand if it is one")
    out["registry_ids"] = ids
    out["record_type"] = "registered-trial"

    title = _get(protocol, "identificationModule", "briefTitle") or ""
    out["title"] = {"en": f"TODO English (registry title: {' '.join(title.split())})", "zh": "TODO 中文"}

    sponsor = _get(protocol, "sponsorCollaboratorsModule", "leadSponsor", "name")
    if sponsor:
        out["sponsor"] = " ".join(str(sponsor).split())

    names = sorted({str(loc.get("country", "")) for loc in _get(protocol, "contactsLocationsModule", "locations") or []
                    if loc.get("country")})
    codes = sorted({COUNTRIES[n] for n in names if n in COUNTRIES})
    unknown = [n for n in names if n not in COUNTRIES]
    if unknown:
        notes.append(f"countries not mapped to a code: {', '.join(unknown)}")
    elif codes:
        out["countries"] = codes

    phases = [PHASES.get(p) for p in _get(protocol, "designModule", "phases") or []]
    if len(phases) == 1 and phases[0]:
        out["phase"] = phases[0]
    elif len(phases) == 2 and tuple(phases) in PHASE_PAIRS:
        out["phase"] = PHASE_PAIRS[tuple(phases)]
    elif phases:
        notes.append(f"phases {phases} not mapped")

    design = _get(protocol, "designModule", "designInfo") or {}
    arms = _get(protocol, "armsInterventionsModule", "armGroups") or []
    allocation = ALLOCATION.get(design.get("allocation", ""))
    if allocation is None and design.get("interventionModel") == "SINGLE_GROUP":
        allocation = "single-group"
    masking = MASKING.get(_get(design, "maskingInfo", "masking") or "")
    comparators = {COMPARATOR[a["type"]] for a in arms if a.get("type") in COMPARATOR}
    comparator = "none" if allocation == "single-group" else (comparators.pop() if len(comparators) == 1 else None)
    if allocation and masking and comparator:
        out["design"] = {"allocation": allocation, "masking": masking, "comparator": comparator,
                         "summary": {"en": "TODO English", "zh": "TODO 中文"}}
    else:
        notes.append("design: allocation, masking or comparator could not all be read from the registry")

    status = _get(protocol, "statusModule", "overallStatus")
    if status in STATUS:
        out["status"] = STATUS[status]
    checked = _get(protocol, "statusModule", "lastUpdatePostDateStruct", "date")
    if isinstance(checked, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", checked):
        out["status_checked"] = checked

    enrolment = _get(protocol, "designModule", "enrollmentInfo") or {}
    if isinstance(enrolment.get("count"), int) and not isinstance(enrolment.get("count"), bool):
        out["enrolled"] = enrolment["count"]
        if enrolment.get("type") != "ACTUAL":
            uncertain.append({"field": "enrolled", "note": _text(**ESTIMATED_ENROLMENT)})

    for key, name in (("startDateStruct", "start"), ("completionDateStruct", "completion")):
        struct = _get(protocol, "statusModule", key) or {}
        date = struct.get("date")
        if isinstance(date, str) and re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", date):
            out[name] = date
            if name == "completion" and struct.get("type") != "ACTUAL":
                uncertain.append({"field": "completion", "note": _text(**ANTICIPATED_COMPLETION)})

    interventions = [f"{i.get('type', '?')}: {' '.join(str(i.get('name', '')).split())}"
                     for i in _get(protocol, "armsInterventionsModule", "interventions") or []]
    if interventions:
        notes.append("registry interventions (for product, cell_types, cell_origin, routes, dose): "
                     + "; ".join(interventions))

    outcomes = _get(protocol, "outcomesModule", "primaryOutcomes") or []
    if outcomes:
        measures = "; ".join(" ".join(f"{o.get('measure', '')} ({o.get('timeFrame', '')})".split()) for o in outcomes)
        out["primary_endpoint"] = {"en": f"TODO English (registry: {measures})", "zh": "TODO 中文"}

    out["results"] = ["registry"] if record.get("hasResults") else []
    out["sources"] = [f"https://clinicaltrials.gov/study/{nct}"]
    if uncertain:
        out["uncertain"] = uncertain
    return out, notes
