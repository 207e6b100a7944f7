"""Render a loaded Site into Markdown pages for both languages: one pure function, `render_pages(site)`.

Reads: the Jinja templates in scripts/templates/ (one per page kind; partials start with `_`). Writes: nothing —
it returns {relative path under docs/: page text}, the same relative paths under en/ and zh/ (or, given `keep`,
what keep(path, text) returns for each page: the generator's writing, called where the page was rendered). No clock, no I/O
beyond templates, deterministic order, so two runs give byte-identical output.

Safety: every value printed with {{ }} passes through `_finalize`, which escapes it for Markdown and HTML unless it
is an `Md` produced by this module's own helpers. Text from data therefore cannot inject HTML, Markdown links or
Jinja, whatever a contributor types.
"""

from __future__ import annotations

import html
import json
from urllib.parse import quote
import posixpath
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from . import abbreviations, charts, evidence, forked, guard, prisma, records, schema, sources
from .exports import export_files
from .records import (ID_RE, LANGS, LINK_KINDS, LINK_RE, Record, Site, reference_label, short_name, source_of,
                      template_anchors, texts)

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Folders under docs/<lang>/ that the generator owns wholesale (also listed in .gitignore).
GENERATED_SECTIONS = ("studies", "cell-types", "routes", "preclinical", "evidence", "science", "patients",
                      "references", "glossary", "data")
# Every folder under docs/ that the generator owns wholesale (also listed in .gitignore).
# snippets/<lang>/: fragments the hand-written home and About pages include (pymdownx.snippets), e.g. the search flow.
GENERATED_DIRS = tuple(f"{lang}/{s}" for lang in LANGS for s in GENERATED_SECTIONS) + ("downloads", "snippets")
ARTICLE_SECTIONS = ("evidence", "science", "patients")
# Page templates that end with the page's numbered reference list: only there does [[ref:id]] print a citation [n].
# Elsewhere (index pages, the glossary) a citation is left out: there is no list for its number to point to.
CITING_TEMPLATES = ("study.md.j2", "article.md.j2", "cell-type.md.j2", "route.md.j2", "preclinical.md.j2")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")
MARKER = "<!-- generated from {source} by `python -m scripts.generate`; edit the data, not this file -->"

# Characters Python-Markdown (with the extensions in mkdocs.yml) gives meaning to anywhere in a line: escaped with a
# backslash. `<`, `>` and `&` become HTML entities. Characters that matter only at the start of a line (lists,
# headings, quotes, rules) are escaped only there: escaping every "." and "-" would triple the inline nodes Markdown
# has to process. Text is always folded onto one line first. tests/test_render.py proves the round trip.
_MD_ESCAPE = re.compile(r"([\\`*_{}\[\]|])")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-!]|\d+(?=[.)]))")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


class Md(Markup):
    """Markdown built by this module (links, escaped text) or by a template macro: printed as is.

    A Markup subclass so that Jinja's autoescape machinery (which we use only for its bookkeeping: macros return
    Markup, and Markup is never escaped twice) treats it as safe; `_finalize` does the real, Markdown-aware escaping.
    """


@lru_cache(maxsize=1 << 16)
def escape(text: str) -> Md:
    """Text → inert inline Markdown: whitespace folded, HTML and Markdown syntax escaped."""
    text = re.sub(r"\s+", " ", str(text))
    text = re.sub(r"[&<>]", lambda m: _HTML[m.group(0)], text)
    text = _MD_ESCAPE.sub(r"\\\1", text)
    return Md(_MD_LINE_START.sub(lambda m: m.group(1) + _escape_start(m.group(2)), text))


def _escape_start(token: str) -> str:
    """'#' → '\\#'; '12' (before '.' or ')') → '12\\' so that '12.' cannot open an ordered list."""
    return token + "\\" if token[0].isdigit() else "\\" + token


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):  # Md, or the output of a template macro
        return value
    if value is None:
        raise ValueError("a template printed None: guard optional fields with `if`")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return escape(str(value))


def page_path(site: Site, kind: str, rec_id: str | None = None) -> str:
    """Path of a page under docs/<lang>/: studies/index.md, studies/<id>.md, references/index.md#<id>,
    <section>/<id>.md for articles."""
    if kind in ("references", "glossary"):
        return f"{kind}/index.md" + (f"#{rec_id}" if rec_id else "")
    if kind == "articles":
        return f"{site.records['articles'][rec_id]['section']}/{rec_id}.md"
    return f"{kind}/{rec_id or 'index'}.md"


def url_path(path: str) -> str:
    """The address of a page relative to its language root: studies/index.md → studies/, studies/x.md → studies/x/."""
    return path[: -len("index.md")] if path.endswith("index.md") else path[:-3] + "/"


@lru_cache(maxsize=1 << 16)
def relative(target: str, current: str) -> str:
    """Link from page `current` to `target` (both docs-relative, target may carry #anchor)."""
    path, _, anchor = target.partition("#")
    here = posixpath.dirname(current)
    parts, base = path.split("/"), here.split("/") if here else []
    if "" in parts or "." in parts or ".." in parts or "." in base or ".." in base or "" in base:
        rel = posixpath.relpath(path, here or ".")  # not a plain path (./, ../, //): let posixpath work it out
    else:
        # What posixpath.relpath gives for plain relative paths, without its two os.getcwd() calls per link.
        common = 0
        while common < min(len(parts) - 1, len(base)) and parts[common] == base[common]:
            common += 1
        rel = "/".join([".."] * (len(base) - common) + parts[common:])
    return rel + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """One Jinja environment per process: compiled templates are kept between generations (each `mkdocs serve`
    rebuild), and recompiled when a template file changes (auto_reload). Nothing site-specific lives in it."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=True,  # every value goes through _finalize, which returns Md; see the Md docstring
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(evidence_labels=evidence.LABELS)
    return env


class Renderer:
    """Holds the site and the Jinja environment; `pages()` renders everything."""

    def __init__(self, site: Site):
        self.site = site
        self.env = _environment()
        self._parsed: dict[str, dict] = {}
        self._index: dict[tuple, dict] = {}
        terms = [rec.data for rec in site.kind("glossary")]
        self._abbr = {lang: abbreviations.Marker(abbreviations.expansions(terms, lang)) for lang in LANGS}

    # --- helpers exposed to templates, bound to one language and page -----------------------------------------------

    def context(self, lang: str, current: str, source: str, template: str | None = None) -> dict:
        site, strings = self.site, self.site.strings[lang]
        # Citation numbers of this page, in order of first citation: the page renders top to bottom, so the order
        # in which prose() meets [[ref:id]] is the reader's order, and the reference list comes last.
        cited: dict[str, int] = {}

        parsed = self.parsed_strings(lang)

        def t(key: str, **values: Any) -> Md:
            """Interface string `key` with {placeholders} filled; values are escaped unless Md."""
            parts = parsed[key]
            if len(parts) == 1 and parts[0][0]:  # no placeholder (most strings): the same text every time
                return parts[0][1]
            return Md("".join(part if literal else _finalize(values[part]) for literal, part in parts))

        def plain_t(key: str, **values: Any) -> str:
            """Interface string as plain text (for code blocks, whose content Markdown escapes itself)."""
            return re.sub(r"\{([a-z_]+)\}", lambda m: str(values[m.group(1)]), strings[key])

        def tx(text: dict) -> str:
            return text[lang]

        def link(label: Any, kind: str, rec_id: str | None = None) -> Md:
            return Md(f"[{_finalize(label)}]({relative(page_path(site, kind, rec_id), current)})")

        def doc_link(label: Any, target: str) -> Md:
            """A link to any page by its path under docs/<lang>/ (hand-written ones too), with an optional #anchor."""
            return Md(f"[{_finalize(label)}]({relative(target, current)})")

        def site_file(label: Any, path: str) -> Md:
            """A link to a file at the site root (downloads, feeds). Raw HTML, because MkDocs builds each language
            separately and the Chinese build does not see files outside docs/zh/ as link targets."""
            url_dir = ("" if lang == "en" else f"{lang}/") + url_path(current)
            up = "../" * url_dir.count("/")
            return Md(f'<a href="{up}{html.escape(path, quote=True)}">{_finalize(label)}</a>')

        def ext(label: Any, url: str) -> Md:
            return Md(f"[{_finalize(label)}](<{url_for_markdown(url)}>)")

        def record_label(kind: str, rec: Record) -> str:
            """A record's label in tables and lists (never inside a sentence: see bare_name)."""
            return records.record_label(kind, rec, lang)

        def bare_name(kind: str, rec: Record, sentence_start: bool) -> str:
            """What [[kind:id]] without words prints: the short name; an article's title in quotation marks; in
            English, capitalised at the start of a sentence unless its first word has capitals (iPSC, MSC-NTF)."""
            name = short_name(kind, rec, lang)
            if kind == "articles":
                return f"《{name}》" if lang == "zh" else f"“{name}”"
            first = name.split(" ")[0]
            if lang == "en" and sentence_start and first.islower():
                return name[0].upper() + name[1:]
            return name

        def cite(ref_id: str) -> Md:
            """[[ref:id]] → a superscript [n] linking to entry n of the page's reference list, named for screen
            readers ("Reference 1: Nam JY 2022"), because "[1]" alone says nothing when read aloud."""
            number = cited.setdefault(ref_id, len(cited) + 1)
            label = plain_t("cite.label", number=number, label=reference_label(site.records["references"][ref_id]))
            # A link to the list entry's anchor (written once, by the reference list), not a new anchor: the id is
            # a record id (records.ID_RE), safe in an attribute.
            assert ID_RE.fullmatch(ref_id), ref_id
            return Md(f'<sup class="cite"><a href="#ref-{ref_id}" aria-label="{html.escape(label, quote=True)}">'
                      f"&#91;{number}&#93;</a></sup>")

        def inline(para: str) -> str:
            pieces, pos = [], 0
            for m in LINK_RE.finditer(para):
                before = para[pos:m.start()]
                kind, words = LINK_KINDS[m.group(1)], m.group(3)
                rec = site.records[kind][m.group(2)]
                if kind == "references":
                    # A citation sits against the word it follows: "cause[1]." whatever space the data has.
                    pieces.append(escape(before.rstrip()) if before.strip() else escape(before))
                    if template in CITING_TEMPLATES:
                        pieces.append(cite(rec.id))
                else:
                    pieces.append(escape(before))
                    start = _SENTENCE_START.search(LINK_RE.sub("x", para[:m.start()])) is not None
                    pieces.append(link(words if words is not None else bare_name(kind, rec, start), kind, rec.id))
                pos = m.end()
            pieces.append(escape(para[pos:]))
            return "".join(pieces)

        def prose_inline(text: dict) -> Md:
            """A prose field on one line (table cells): links resolved, paragraphs joined."""
            return Md(" ".join(inline(para) for para in re.split(r"\n\s*\n", text[lang].strip())))

        def plain(text: dict) -> str:
            """A prose field as plain text (page descriptions): each [[link]] becomes the words it prints; citations
            are left out, with the space before them."""
            def words(m: re.Match) -> str:
                kind = LINK_KINDS[m.group(1)]
                rec = site.records[kind][m.group(2)]
                start = _SENTENCE_START.search(LINK_RE.sub("x", m.string[:m.start()])) is not None
                return m.group(3) if m.group(3) is not None else bare_name(kind, rec, start)
            return LINK_RE.sub(words, re.sub(r"\s*\[\[ref:[^\]]*\]\]", "", text[lang]))

        def numbered_references(ids: list[str]) -> list[tuple[int, Record]]:
            """The page's reference list: what the prose cited, by citation number, then the other listed ones."""
            order = sorted(cited, key=cited.get) + [i for i in ids if i not in cited]
            return [(n, site.records["references"][i]) for n, i in enumerate(order, 1)]

        def prose(text: dict) -> Md:
            """A prose field: paragraphs escaped, [[kind:id]] turned into links; a paragraph whose every line
            starts with '- ' becomes a bulleted list (the only structure prose may have)."""
            out = []
            for para in re.split(r"\n\s*\n", text[lang].strip()):
                lines = para.strip().splitlines()
                if all(line.lstrip().startswith("- ") for line in lines):
                    out.append("\n".join("- " + inline(line.lstrip()[2:]) for line in lines))
                else:
                    out.append(inline(para))
            return Md("\n\n".join(out))

        def registry_url(registry_id: str) -> str | None:
            if registry_id.startswith("NCT"):
                return f"https://clinicaltrials.gov/study/{registry_id}"
            if registry_id.startswith("ISRCTN"):
                return f"https://www.isrctn.com/{registry_id}"
            if registry_id.startswith("EudraCT "):
                return f"https://www.clinicaltrialsregister.eu/ctr-search/search?query={registry_id.split()[1]}"
            return None

        def field_label(name: str) -> Md:
            """The reader's name for a record field (as listed under "uncertain"), e.g. enrolled → 入组人数."""
            head = name.split(".")[0].split("[")[0]
            for key in (f"study.{head}", f"pre.{head}", f"field.{head}"):
                if key in strings:
                    return t(key)
            return escape(name)

        def url_of(path: str) -> str:
            """Absolute address of a page of this language: studies/x.md → <site>/studies/x/ (zh under /zh/)."""
            return site.settings["site_url"] + ("" if lang == "en" else f"{lang}/") + url_path(path)

        def fenced(text: str, info: str = "text") -> Md:
            """A fenced code block that no content can close early: the fence is longer than any backtick run."""
            longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
            fence = "`" * max(3, longest + 1)
            return Md(f"{fence}{info}\n{text}\n{fence}")

        def pending_here(rec: Record) -> bool:
            """True when some text of `rec` in this page's language is a translation known to be out of date."""
            return any(text.get("pending") and source_of(text)[1] == lang for _, text in texts(rec.data))

        def other_language(label: Any) -> Md:
            """A link to this same page in the other language (raw HTML: the two builds do not see each other)."""
            other = next(x for x in LANGS if x != lang)
            rel = url_path(current)
            depth = rel.count("/") + (0 if lang == "en" else 1)
            return Md(f'<a href="{"../" * depth}{"" if other == "en" else other + "/"}{rel}" '
                      f'hreflang="{other}">{_finalize(label)}</a>')

        anchors: set[str] = set()

        def anchor(rec_id: str) -> Md:
            # Record ids match records.ID_RE ([a-z0-9-]), so they are safe as HTML ids and Markdown attributes; the
            # validator keeps them apart from each other and from the templates' own anchors (records.py), and this
            # refuses to write one id twice on a page should anything get past it.
            if not ID_RE.fullmatch(rec_id) or rec_id in anchors or (template and rec_id in template_anchors(template)):
                raise ValueError(f"anchor #{rec_id} is not a valid id or is already used on {lang}/{current}")
            anchors.add(rec_id)
            return Md(rec_id)

        def front_matter(title: str, description: str) -> Md:
            # The title is given here because MkDocs takes it from the H1 only when the H1 is the very first element.
            return Md(f"---\ntitle: {yaml_scalar(title)}\ndescription: {yaml_scalar(description)}\n---")

        return {
            "lang": lang, "site": site, "t": t, "tx": tx, "link": link, "ext": ext, "prose": prose, "doc_link": doc_link,
            "prose_inline": prose_inline, "plain": plain, "numbered_references": numbered_references,
            "record_label": record_label, "registry_url": registry_url, "front_matter": front_matter, "anchor": anchor,
            "site_file": site_file, "url_of": url_of, "pending_here": pending_here,
            "other_language": other_language, "plain_t": plain_t, "fenced": fenced,
            "bibtex": bibtex, "quote_url": quote, "current": current, "article_sections": ARTICLE_SECTIONS, "field_label": field_label,
            "marker": Md(MARKER.format(source=source)),
            "label_of": evidence.evidence_label,
            "caveat_of": evidence.caveat,
            "grade_url": sources.grade_url, "grade_ref": sources.grade_reference,
            "overdue": lambda s: evidence.results_overdue(s, site.today),
            "stale": lambda d: evidence.is_stale(d, site.today),
            "studies_with": self.studies_with,
        }

    def parsed_strings(self, lang: str) -> dict[str, list[tuple[bool, str]]]:
        """Each interface string split once into escaped literal parts and placeholder names."""
        if lang not in self._parsed:
            self._parsed[lang] = {
                key: [(False, p[1:-1]) if re.fullmatch(r"\{[a-z_]+\}", p) else (True, escape(p) if p.strip() else Md(p))
                      for p in re.split(r"(\{[a-z_]+\})", template)]
                for key, template in self.site.strings[lang].items()}
        return self._parsed[lang]

    def studies_with(self, field: str, value: str, kind: str = "studies") -> list[Record]:
        """Records of `kind` whose list field (cell_types, routes, references) contains `value`, newest first."""
        index = self._index.get((kind, field))
        if index is None:
            index = {}
            order = (lambda r: (-r["year"], r.id)) if kind == "preclinical" else _study_order
            for rec in sorted(self.site.kind(kind), key=order):
                for item in rec.get(field, []):
                    index.setdefault(item, []).append(rec)
            self._index[(kind, field)] = index
        return index.get(value, [])

    # --- pages ------------------------------------------------------------------------------------------------------

    def _page(self, template: str, lang: str, path: str, source: str, **values: Any) -> tuple[str, str]:
        with guard.about(f"{source} (page {lang}/{path})"):
            ctx = self.context(lang, path, source, template)
            ctx.update(values)
            text = self.env.get_template(template).render(ctx)
            # Snippets are parts of hand-written pages, whose abbreviations the a11y hook marks (first use per page).
            return f"{lang}/{path}", text if template.startswith("snippet-") else self._abbr[lang].mark(text)

    def pages(self, langs: tuple[str, ...] = LANGS, downloads: bool = True) -> dict[str, str]:
        out: dict[str, str] = {}
        for lang in langs:
            # Each page names its own record (_page); what is computed between pages names the language.
            with guard.about(f"data/ (the {lang} pages)"):
                self._language_pages(lang, out)
        if downloads:
            with guard.about("data/ (the downloads)"):
                out.update(export_files(self.site))
        return dict(sorted(out.items()))

    def _language_pages(self, lang: str, out: dict[str, str]) -> None:
        for kind, template in (("studies", "study"), ("cell-types", "cell-type"), ("routes", "route")):
            records = self.site.kind(kind)
            if kind == "studies":
                records = sorted(records, key=_study_order)
            else:
                records = sorted(records, key=lambda r: (r.get("family", ""), r["order"], r.id))
            extra = {"explorer": self.explorer_data(lang, records),
                     "counts": self.counts(lang, page_path(self.site, kind), prisma.flow(self.site))
                     } if kind == "studies" else {}
            path, text = self._page(f"{template}-index.md.j2", lang, page_path(self.site, kind), f"data/{kind}/",
                                    records=records, **extra)
            out[path] = text
            for rec in records:
                path, text = self._page(f"{template}.md.j2", lang, page_path(self.site, kind, rec.id), rec.path,
                                        rec=rec)
                out[path] = text
        pre = sorted(self.site.kind("preclinical"), key=lambda r: (r["kind"], -r["year"], r.id))
        path, text = self._page("preclinical-index.md.j2", lang, "preclinical/index.md", "data/preclinical/",
                                records=pre)
        out[path] = text
        for rec in pre:
            path, text = self._page("preclinical.md.j2", lang, page_path(self.site, "preclinical", rec.id),
                                    rec.path, rec=rec)
            out[path] = text
        for section in ARTICLE_SECTIONS:
            articles = sorted((a for a in self.site.kind("articles") if a["section"] == section),
                              key=lambda r: (r["order"], r.id))
            path, text = self._page("article-index.md.j2", lang, f"{section}/index.md", "data/articles/",
                                    records=articles, section=section)
            out[path] = text
            for rec in articles:
                path, text = self._page("article.md.j2", lang, page_path(self.site, "articles", rec.id),
                                        rec.path, rec=rec)
                out[path] = text
        refs = sorted(self.site.kind("references"), key=lambda r: (r.get("authors", r["container"]).lower(), r["year"], r.id))
        path, text = self._page("references.md.j2", lang, "references/index.md", "data/references/", records=refs)
        out[path] = text
        path, text = self._page("charts.md.j2", lang, "studies/charts.md", "data/studies/",
                                **self.chart_context(lang))
        out[path] = text
        path, text = self._page("excluded.md.j2", lang, "studies/excluded.md", "data/excluded/",
                                records=self.site.kind("excluded"))
        out[path] = text
        logs = sorted(self.site.kind("searches"), key=lambda r: (r["date"], r.id))
        path, text = self._page("search-log.md.j2", lang, "studies/search.md", "data/searches/", logs=logs)
        out[path] = text
        flow = prisma.flow(self.site)
        # The snippets are rendered as if they were the pages that include them, so their links resolve there.
        _, text = self._page("snippet-flow.md.j2", lang, "about.md", "data/searches/, data/excluded/ and "
                             "data/studies/", flow=flow, **self.flow_context(lang, flow))
        out[f"snippets/{lang}/search-flow.md"] = text
        _, text = self._page("snippet-counts.md.j2", lang, "index.md", "data/studies/ and data/searches/",
                             counts=self.counts(lang, "index.md", flow))
        out[f"snippets/{lang}/counts.md"] = text
        changes = self.changes(lang)
        path, text = self._page("changes.md.j2", lang, "data/changes.md", "data/", changes=changes[:200])
        out[path] = text
        out[f"downloads/changes.{lang}.atom"] = self.atom(lang, changes[:100])
        path, text = self._page("data.md.j2", lang, "data/index.md", "schema/ and data/", kinds=self.data_kinds())
        out[path] = text
        terms = sorted(self.site.kind("glossary"), key=lambda r: (r["term"][lang].lower(), r.id))
        path, text = self._page("glossary.md.j2", lang, "glossary/index.md", "data/glossary/", records=terms)
        out[path] = text

    def explorer_data(self, lang: str, studies: list[Record]) -> Md:
        """The studies table's facets as JSON for docs/assets/explorer.js, rows in table order, labels in `lang`.
        Embedded in the page (no extra request), written by `script_json`, so that no value can end the element."""
        strings, site = self.site.strings[lang], self.site
        rows = [{"id": s.id, "cell": s["cell_types"], "origin": s["cell_origin"], "route": s["routes"] or ["none"],
                 "phase": s["phase"], "label": evidence.evidence_label(s.data), "status": s["status"],
                 "country": s["countries"], "year": int(s["start"][:4]) if s.get("start") else None,
                 "enrolled": s.get("enrolled")} for s in studies]
        def used(key: str) -> list:
            return sorted({v for r in rows for v in (r[key] if isinstance(r[key], list) else [r[key]]) if v is not None})

        names = {
            "cell": {c: site.records["cell-types"][c]["name"][lang] for c in used("cell")},
            "origin": {o: strings[f"origin.{o}"] for o in used("origin")},
            "route": {r: (strings["value.not_reported"] if r == "none" else site.records["routes"][r]["name"][lang])
                      for r in used("route")},
            "phase": {p: strings[f"phase.{p}"] for p in used("phase")},
            "label": {k: strings[f"label.{k}"] for k in evidence.LABELS if k in used("label")},
            "status": {k: strings[f"status.{k}"] for k in used("status")},
            "country": {c: strings[f"country.{c}"] for c in used("country")},
            "year": {str(y): str(y) for y in used("year")},
        }
        ui = {key[len("explorer."):]: value for key, value in strings.items() if key.startswith("explorer.")}
        return Md('<script type="application/json" id="atlas-studies">'
                  + script_json({"rows": rows, "names": names, "ui": ui}) + "</script>")

    def counts(self, lang: str, current: str, flow: prisma.Flow) -> Md:
        """The sentence the home page and the studies table give: how many studies, how many registered, when the
        search was last run (with a link to the flow on the About page)."""
        ctx = self.context(lang, current, "")
        return ctx["t"]("counts.studies", total=flow.total, cell=flow.cell_based, registered=flow.registered,
                        drugs=flow.drug_discovery, date=flow.last_search or "—",
                        how=ctx["doc_link"](ctx["t"]("counts.how"), "about.md#how-the-studies-were-found"))

    def flow_context(self, lang: str, flow: prisma.Flow) -> dict:
        """The flow diagram's boxes and its table, in one language."""
        t = self.site.strings[lang]
        fill = self.context(lang, "about.md", "")["plain_t"]  # plain text: the SVG escapes it itself

        def reasons(counter: Counter, order: tuple) -> list[str]:
            return [fill("flow.reason_n", reason=t[f"reason.{r}"], n=counter[r]) for r in order if counter[r]]

        n = lambda value: fill("flow.n", n=value)  # noqa: E731
        other = flow.other_included + sum(flow.other_excluded.values())
        boxes = {
            "identified": [t["flow.identified"], n(flow.identified),
                           fill("flow.queries", queries=flow.queries, sources=flow.sources)],
            "duplicates": [t["flow.duplicates"], n(flow.duplicates)],
            "screened": [t["flow.screened"], n(flow.screened)],
            "screened_out": [t["flow.screened_out"], n(sum(flow.screened_out.values()))]
            + reasons(flow.screened_out, prisma.SCREEN_REASONS),
            "assessed": [t["flow.assessed"], n(flow.assessed)],
            "excluded": [t["flow.excluded"], n(sum(flow.excluded.values()))]
            + reasons(flow.excluded, prisma.EXCLUDE_REASONS),
            "included": [t["flow.included"], n(flow.included)],
            "other": [t["flow.other"], fill("flow.other_included", n=flow.other_included),
                      fill("flow.other_excluded", n=sum(flow.other_excluded.values()))]
            + reasons(flow.other_excluded, prisma.EXCLUDE_REASONS),
            "total": [t["flow.total"] + " — " + n(flow.total),
                      fill("flow.total_detail", cell=flow.cell_based, drugs=flow.drug_discovery,
                           registered=flow.registered)],
        }
        desc = fill("flow.desc", identified=flow.identified, duplicates=flow.duplicates, screened=flow.screened,
                    screened_out=sum(flow.screened_out.values()), assessed=flow.assessed,
                    excluded=sum(flow.excluded.values()), included=flow.included, other=other, total=flow.total)
        rows = [(boxes[name][0], value) for name, value in (
            ("identified", flow.identified), ("duplicates", flow.duplicates), ("screened", flow.screened),
            ("screened_out", sum(flow.screened_out.values())))]
        rows += [(f"— {t[f'reason.{r}']}", flow.screened_out[r]) for r in prisma.SCREEN_REASONS if flow.screened_out[r]]
        rows += [(t["flow.assessed"], flow.assessed), (t["flow.excluded"], sum(flow.excluded.values()))]
        rows += [(f"— {t[f'reason.{r}']}", flow.excluded[r]) for r in prisma.EXCLUDE_REASONS if flow.excluded[r]]
        rows += [(t["flow.included"], flow.included),
                 (f"{t['flow.other']} — {t['searchlog.included']}", flow.other_included),
                 (f"{t['flow.other']} — {t['searchlog.assessed_excluded']}", sum(flow.other_excluded.values())),
                 (t["flow.total"], flow.total)]
        svg = prisma.flow_svg(boxes, t["flow.title"], desc, "flow")
        return {"svg": Md(svg), "rows": rows}

    def chart_context(self, lang: str) -> dict:
        """Numbers and SVG for the charts page in one language."""
        site, strings = self.site, self.site.strings[lang]
        studies = sorted(site.kind("studies"), key=_study_order)
        data = [s.data for s in studies]
        years, by_year, undated = charts.year_phase_data(data)
        legend = {g: strings[f"chart.phase.{g}"] for g in charts.PHASE_ORDER}
        pairs = charts.matrix_data(data)
        cells = [c for c in sorted(site.kind("cell-types"), key=lambda r: (r["family"], r["order"], r.id))
                 if any(k[0] == c.id for k in pairs)]
        routes = [(r.id, r["name"][lang]) for r in sorted(site.kind("routes"), key=lambda r: (r["order"], r.id))
                  if any(k[1] == r.id for k in pairs)]
        if any(k[1] == "none" for k in pairs):
            routes.append(("none", strings["value.not_reported"]))
        enrolled = charts.enrolled_by_label(data)
        overdue = [s for s in studies if evidence.results_overdue(s.data, site.today)]
        overdue_years = sorted(Counter(s["completion"][:4] for s in overdue).items())
        return {
            "studies": studies, "years": years, "by_year": by_year, "undated": undated,
            "phase_groups": charts.PHASE_ORDER,
            "years_svg": Md(charts.stacked_years_svg(years, by_year, strings["charts.years.title"],
                                                     strings["charts.years.desc"], legend, "years")),
            "pairs": sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])),
            "matrix_svg": Md(charts.matrix_svg([(c.id, c["name"][lang]) for c in cells], routes, pairs,
                                               strings["charts.matrix.title"], strings["charts.matrix.desc"],
                                               lambda c, r: f"../?cell={c}" + ("" if r == "none" else f"&route={r}"),
                                               "matrix")),
            "enrolled": enrolled,
            "enrolled_svg": Md(charts.bars_svg([(strings[f"label.{k}"], v[0]) for k, v in enrolled.items()],
                                               strings["charts.enrolled.title"], strings["charts.enrolled.desc"],
                                               "enrolled")),
            "overdue": overdue,
            "overdue_svg": Md(charts.bars_svg([(year, n) for year, n in overdue_years],
                                              strings["charts.overdue.title"], strings["charts.overdue.desc"],
                                              "overdue")),
        }

    def changes(self, lang: str) -> list[dict]:
        """Every dated change note, and every review without one, newest first: the 'what changed' list."""
        strings, entries = self.site.strings[lang], []
        for kind in ("studies", "cell-types", "routes", "preclinical", "articles"):
            for rec in self.site.kind(kind):
                title = (rec["title"] if "title" in rec.data else rec["name"])[lang]
                notes = rec.get("changes", [])
                for change in notes:
                    entries.append({"date": change["date"], "kind": kind, "rec": rec, "title": title,
                                    "note": change["note"][lang]})
                if not any(c["date"] == rec["last_reviewed"] for c in notes):
                    entries.append({"date": rec["last_reviewed"], "kind": kind, "rec": rec, "title": title,
                                    "note": strings["changes.checked"]})
        return sorted(entries, key=lambda e: (e["date"], e["kind"], e["rec"].id), reverse=True)

    def atom(self, lang: str, entries: list[dict]) -> str:
        """An Atom feed of the latest changes in one language; dates only, so the feed is deterministic."""
        site_url = self.site.settings["site_url"]
        base = site_url + ("" if lang == "en" else f"{lang}/")
        esc = lambda text: html.escape(str(text), quote=True)
        updated = (entries[0]["date"] if entries else "1970-01-01") + "T00:00:00Z"
        lines = ['<?xml version="1.0" encoding="utf-8"?>',
                 f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
                 f"  <title>{esc(self.site.strings[lang]['changes.feed_title'])}</title>",
                 f'  <link href="{esc(base)}data/changes/"/>',
                 f'  <link rel="self" href="{esc(site_url)}downloads/changes.{lang}.atom"/>',
                 f"  <id>{esc(site_url)}downloads/changes.{lang}.atom</id>",
                 f"  <updated>{updated}</updated>",
                 "  <author><name>ALS Stem Cell Evidence Atlas contributors</name></author>"]
        for e in entries:
            url = base + url_path(page_path(self.site, e["kind"], e["rec"].id))
            lines += ["  <entry>", f"    <title>{esc(e['title'])}</title>", f'    <link href="{esc(url)}"/>',
                      f"    <id>{esc(url)}#{e['date']}</id>", f"    <updated>{e['date']}T00:00:00Z</updated>",
                      f"    <summary>{esc(e['note'])}</summary>", "  </entry>"]
        lines.append("</feed>")
        return "\n".join(lines) + "\n"

    def data_kinds(self) -> list[dict]:
        """For the Data page: each kind with its record count and its fields, described in both languages."""
        kinds = []
        for kind, schema_name in schema.KINDS.items():
            spec = schema.load_schema(schema_name)
            fields = [{"name": name, "required": name in spec.get("required", []),
                       "en": prop.get("description", ""), "zh": prop.get("x-description-zh", "")}
                      for name, prop in spec["properties"].items()]
            kinds.append({"kind": kind, "schema": schema_name, "count": len(self.site.records[kind]),
                          "title": spec["title"], "fields": fields})
        return kinds


def yaml_scalar(text: str) -> str:
    """Text (whitespace folded) as a YAML double-quoted scalar of printable ASCII only, every other character
    escaped: it parses back to the same text whatever the text holds (a JSON string would carry U+007F, U+0085 or
    U+FFFE raw, which YAML refuses; MkDocs would then show the whole front matter as page text)."""
    out = []
    for ch in " ".join(str(text).split()):
        cp = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= cp < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}")
    return '"' + "".join(out) + '"'


_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> str:
    """JSON to embed in a <script> element: `<`, `>` and `&` escaped (nothing can close the element or open
    `<!--`, which makes the HTML parser read the rest of the page as script), and U+2028/U+2029 (line breaks inside
    a JavaScript string in older engines). The same value once parsed."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def url_for_markdown(url: str) -> str:
    """An address made inert inside a Markdown link destination `<…>`, a table cell and an HTML attribute: every
    character outside the URL syntax's unreserved and delimiter sets, and `( ) < > | \\ " ' `` ` * [ ] { }`
    and spaces, percent-encoded (existing %xx kept). The schema already refuses most of these; this does not rely
    on it."""
    return quote(url, safe="/:?#@!$&+,;=%~-.")


def bibtex(value: str) -> str:
    """Text made safe inside a BibTeX field: TeX specials escaped in one pass (braces cannot unbalance a field)."""
    specials = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                "_": r"\_", "$": r"\$", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return re.sub(r"[\\{}%&#_$~^]", lambda m: specials[m.group(0)], " ".join(str(value).split()))


def _study_order(rec: Record) -> tuple:
    return (-(int(rec["start"][:4]) if rec.get("start") else 0), rec.id)


def render_pages(site: Site, parallel: bool = False, keep: Callable[[str, str], Any] | None = None) -> dict[str, Any]:
    """Every generated page for both languages: {'en/studies/index.md': text, 'zh/studies/index.md': text, …}.
    parallel=True renders the Chinese pages in a forked process while this one renders the rest (same output,
    about half the time on two cores); the caller decides when forking is safe (forked.safe_to_fork).
    keep(path, text), if given, is called on each page in the process that rendered it, and what it returns stands
    in for the text: the generator writes each page there (the two processes write at the same time) and gets its
    size back, instead of every Chinese page coming back through a pipe."""
    renderer = Renderer(site)

    def pages(**which: Any) -> dict[str, Any]:
        out = renderer.pages(**which)
        return out if keep is None else {path: keep(path, text) for path, text in out.items()}

    if not parallel:
        return pages()
    # Compiled once here rather than once in each process (a quarter of a second per process).
    for name in renderer.env.list_templates(extensions=["j2"]):
        renderer.env.get_template(name)
    chinese = forked.start(lambda: pages(langs=("zh",), downloads=False))
    out = pages(langs=tuple(lang for lang in LANGS if lang != "zh"))
    out.update(chinese())
    return dict(sorted(out.items()))
