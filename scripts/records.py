"""Load every record under data/, validate it, resolve references between records, and derive computed fields.

Reads: data/<kind>/<id>.yml for each kind in schema.KINDS, data/strings/{en,zh}.yml, schema/*.json, and the
hand-written pages docs/zh/*.md (for the glossary's terms to avoid).
Writes: nothing. `load_site(data_dir, today)` returns (Site, errors); it never exits and never raises for bad data:
every problem in every file is collected so that a contributor sees them all in one run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from . import forked, guard, markdown_subset, numerals, schema, sources, yamlio, zhtext

ID_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # always fullmatch: `$` would accept a final newline
LANGS = ("en", "zh")
# Inline links inside prose. A record link carries the sentence's own words, [[route:intrathecal|lumbar puncture]],
# or, bare, prints the target's short name: [[cell:msc-ntf]]. [[ref:id]] is a numbered citation placed after the
# claim it supports; it never takes words (it is not a word of the sentence). Groups: kind, id, words (or None).
LINK_RE = re.compile(r"\[\[([a-z]+):([^\]\s|]*)(?:\|([^\]\[|]*))?\]\]")
LINK_KINDS = {"study": "studies", "ref": "references", "cell": "cell-types", "route": "routes", "term": "glossary",
              "preclinical": "preclinical", "article": "articles"}
TODO_MARK = re.compile(r"^\s*[^#\s].*#\s*TODO\b")  # a value followed by a "# TODO" comment (scripts/new.py)
DEFAULT_SETTINGS = {"site_url": "http://127.0.0.1:8000/",
                    "repository": "https://github.com/als-atlas/als-stem-cell-atlas"}


@dataclass
class Error:
    """One problem, located as precisely as the data allows."""

    file: str  # path relative to the project, e.g. data/studies/nct01051882.yml
    message: str
    fix: str = ""
    field: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.line and self.column else "")
        what = (f"{self.field}: " if self.field else "") + self.message
        text = f"{where}: {what}" + (f" (fix: {self.fix})" if self.fix else "")
        # One line, whatever the data put into a field name or a quoted value: unprintable characters escaped.
        return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


@dataclass
class Record:
    kind: str
    id: str
    data: dict
    path: str  # relative to the project root
    doc: yamlio.Document = field(repr=False, default=None)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass
class Site:
    """Everything the renderer needs: records by kind and id, interface strings per language, derived facts."""

    records: dict[str, dict[str, Record]]
    strings: dict[str, dict[str, str]]
    today: dt.date
    # Ids of files that exist but failed validation: references to them are not reported as dangling too.
    invalid: dict[str, set[str]] = field(default_factory=dict)
    # Where the site is published and where its sources live: for citations, feeds and "suggest a correction".
    settings: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))
    # Problems that do not stop publication in this run (outdated translations under `mkdocs serve`).
    warnings: list[Error] = field(default_factory=list)

    def exists(self, kind: str, rec_id: str) -> bool:
        return rec_id in self.records[kind] or rec_id in self.invalid.get(kind, set())

    def kind(self, kind: str) -> list[Record]:
        return [self.records[kind][i] for i in sorted(self.records[kind])]


def field_name(path: tuple) -> str:
    """('design', 'summary', 'zh') -> design.summary.zh; ('sources', 2) -> sources[2]."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def yaml_errors(rel: str, exc: yamlio.YamlError) -> list[Error]:
    """Every problem a YamlError carries, as Errors of file `rel`."""
    return [Error(rel, p.message, p.fix, field_name(p.path) if p.path else "", p.line, p.column) for p in exc.problems]


def load_site(data_dir: Path, today: dt.date | None = None,
              outdated_as_pending: bool = False) -> tuple[Site, list[Error]]:
    """Load and check the whole data set; return the site and every error found. outdated_as_pending=True (the
    preview under `mkdocs serve`, where changing one language first is the normal first step of an edit) reports an
    outdated translation in site.warnings and publishes it as if marked `pending: true`, with the notice."""
    today = today or dt.date.today()
    root = data_dir.parent
    errors: list[Error] = []
    records: dict[str, dict[str, Record]] = {kind: {} for kind in schema.KINDS}
    invalid: dict[str, set[str]] = {kind: set() for kind in schema.KINDS}
    files = [(kind, schema_name, path) for kind, schema_name in schema.KINDS.items()
             for path in (sorted((data_dir / kind).iterdir()) if (data_dir / kind).is_dir() else [])]
    # Two cores, two halves: worth a fork for a large data set (a fork costs a few milliseconds; the records a child
    # read come back pickled). Never while a translation may be published as pending: that check marks the record.
    split = 2 if len(files) >= forked.WORTH_IT and not outdated_as_pending and forked.safe_to_fork() else 1

    def load(kind: str, schema_name: str, path: Path) -> tuple[Record | None, list[Error]]:
        rel, found = path.relative_to(root).as_posix(), []
        with guard.about(rel):
            return _load_record(kind, schema_name, path, rel, today, found), found

    for (kind, _, path), (rec, found) in zip(files, forked.each(files, load, split)):
        errors.extend(found)
        if rec is not None:
            records[kind][rec.id] = rec
        elif ID_RE.fullmatch(path.stem):
            invalid[kind].add(path.stem)

    with guard.about("data/strings/"):
        strings = _load_strings(data_dir, root, today, errors)
    site = Site(records, strings, today, invalid)
    with guard.about("data/ (the checks across records)"):
        errors.extend(_cross_check(site, outdated_as_pending, split))
    with guard.about("docs/ (hand-written pages)"):
        errors.extend(_check_pages(site, root / "docs"))
    return site, errors


def _check_pages(site: Site, docs: Path) -> Iterator[Error]:
    """In the hand-written pages (the generated ones come from data/): only the site's Markdown
    (scripts/markdown_subset.py), and in the Chinese ones the glossary's terms to avoid, the English context of a
    line being the whole English page."""
    for lang in LANGS:
        for page in sorted((docs / lang).glob("*.md")) if (docs / lang).is_dir() else []:
            for number, what, fix in markdown_subset.problems(page.read_text(encoding="utf-8")):
                yield Error(f"docs/{lang}/{page.name}", f"uses {what}, which the site's Markdown leaves out", fix,
                            line=number)
    rules = avoid_rules(site)
    for page in sorted((docs / "zh").glob("*.md")) if (docs / "zh").is_dir() else []:
        english = docs / "en" / page.name
        en = english.read_text(encoding="utf-8") if english.is_file() else ""
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            for message, fix in term_problems(line, en, rules):
                yield Error(f"docs/zh/{page.name}", message, fix, line=number)


def _load_record(kind: str, schema_name: str, path: Path, rel: str, today: dt.date,
                 errors: list[Error]) -> Record | None:
    if path.is_symlink() or not path.is_file():
        errors.append(Error(rel, "is not a regular file", "data/ holds only plain .yml files, one record each"))
        return None
    if path.suffix != ".yml":
        errors.append(Error(rel, "is not a .yml file", f"rename it to {path.stem}.yml or remove it"))
        return None
    if not ID_RE.fullmatch(path.stem):
        errors.append(Error(rel, f"file name '{path.stem}' is not a valid id",
                            "use lower-case letters, digits and single hyphens, e.g. nct01051882.yml"))
        return None
    try:
        doc = yamlio.read(path)
    except yamlio.YamlError as exc:
        errors.extend(yaml_errors(rel, exc))
        return None
    problems = schema.validate(doc.data, schema_name, today)
    for p in problems:
        errors.append(Error(rel, p.message, p.fix, field_name(p.path), doc.line_of(p.path)))
    header = f"# yaml-language-server: $schema=../../schema/{schema_name}"
    if doc.text.split("\n", 1)[0].strip() != header:
        # Editors (VS Code's YAML extension) complete and check fields only with this first line.
        errors.append(Error(rel, "does not start with the schema line", f"make the first line `{header}`", line=1))
    if problems:
        return None
    return Record(kind, path.stem, doc.data, rel, doc)


def _load_strings(data_dir: Path, root: Path, today: dt.date, errors: list[Error]) -> dict[str, dict[str, str]]:
    strings: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        path = data_dir / "strings" / f"{lang}.yml"
        rel = path.relative_to(root).as_posix()
        if not path.is_file():
            errors.append(Error(rel, "is missing", f"create {rel} with the interface strings in {lang}"))
            continue
        try:
            doc = yamlio.read(path)
        except yamlio.YamlError as exc:
            errors.extend(yaml_errors(rel, exc))
            continue
        problems = schema.validate(doc.data, schema.STRINGS_SCHEMA, today)
        for p in problems:
            errors.append(Error(rel, p.message, p.fix, field_name(p.path), doc.line_of(p.path)))
        if not problems:
            strings[lang] = doc.data
    for key, value in sorted(strings.get("zh", {}).items()):
        for message, fix in zhtext.findings(value, "data/strings/zh.yml"):
            errors.append(Error("data/strings/zh.yml", message, fix, key))
    return strings


# --- cross-record checks -------------------------------------------------------------------------------------------

def _ref_fields(node: dict, file: str, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path pattern with '*' for list items, target kind) for every x-ref in a schema."""
    if "$ref" in node:
        target, target_file = schema._resolve(node["$ref"], file)
        yield from _ref_fields(target, target_file, path)
    if "x-ref" in node:
        yield path, node["x-ref"]
    for name, sub in node.get("properties", {}).items():
        yield from _ref_fields(sub, file, path + (name,))
    if "items" in node:
        yield from _ref_fields(node["items"], file, path + ("*",))


def _values_at(data: Any, pattern: tuple, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if not pattern:
        if isinstance(data, list):  # x-ref sits on a list of ids
            for i, item in enumerate(data):
                yield path + (i,), item
        else:
            yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        for i, item in enumerate(data if isinstance(data, list) else []):
            yield from _values_at(item, rest, path + (i,))
    elif isinstance(data, dict) and head in data:
        yield from _values_at(data[head], rest, path + (head,))


TEMPLATES = Path(__file__).resolve().parent / "templates"
_FIXED_ANCHOR = re.compile(r"\{ #([a-z0-9-]+) \}")
# The page template where each kind's ids become anchors (its record pages; one index page for references, glossary).
ANCHOR_TEMPLATES = {"studies": "study.md.j2", "cell-types": "cell-type.md.j2", "routes": "route.md.j2",
                    "preclinical": "preclinical.md.j2", "articles": "article.md.j2",
                    "references": "references.md.j2", "glossary": "glossary.md.j2", "excluded": "excluded.md.j2",
                    "searches": "search-log.md.j2"}


@lru_cache(maxsize=None)
def template_anchors(template: str) -> frozenset[str]:
    """The fixed heading anchors a page template writes (`{ #design }`, `{ #references }` …), its shared macros'
    included. Records and article sections lend their ids to anchors on those pages, so an id equal to one of these
    would give a page two elements with one id (the second unreachable by link)."""
    return frozenset(m for name in (template, "_macros.md.j2")
                     for m in _FIXED_ANCHOR.findall((TEMPLATES / name).read_text(encoding="utf-8")))


TEXT_KEYS = {"en", "zh", "source", "stamp", "pending"}
TITLE_FIELDS = {"title", "name", "heading", "term"}  # shown where Markdown links cannot go (titles, navigation)


def is_text(data: Any) -> bool:
    """A prose field: {en, zh} plus the optional translation bookkeeping (source, stamp, pending)."""
    return (isinstance(data, dict) and set(LANGS) <= set(data) <= TEXT_KEYS
            and all(isinstance(data[lang], str) for lang in LANGS))


def source_of(text: dict) -> tuple[str, str]:
    """(source language, translated language) of a prose field."""
    source = text.get("source", "en")
    return source, next(lang for lang in LANGS if lang != source)


def stamp_of(text: str) -> str:
    """Short hash of a source text, whitespace-insensitive: what a translation records having been made from."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


def texts(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Every {en, zh} prose field in a record, with its path."""
    if isinstance(data, dict):
        if is_text(data):
            yield path, data
            return
        for key, value in data.items():
            yield from texts(value, path + (key,))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from texts(item, path + (i,))


def _strings_in(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings_in(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings_in(value, path + (i,))


def registry_slug(registry_id: str) -> str:
    """The record id a registry ID gives: lower case, runs of other characters as one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", registry_id.lower()).strip("-")


def reference_label(rec: Record) -> str:
    """A reference as "First-author Year" (Nam JY 2022): the label of reference lists, never printed in prose."""
    return f"{rec.get('authors', rec['container']).split(',')[0]} {rec['year']}"


def short_name(kind: str, rec: Record, lang: str) -> str:
    """What a bare [[kind:id]] link prints: the record's `short` name, else its label (record_label)."""
    return rec["short"][lang] if "short" in rec.data else record_label(kind, rec, lang)


def record_label(kind: str, rec: Record, lang: str) -> str:
    """A record's label in tables and lists: its registry ID (studies), "Author Year" (references), term (glossary),
    title (preclinical, articles) or name."""
    if kind == "studies":
        return (rec["registry_ids"] or [rec["title"][lang]])[0]
    if kind == "references":
        return reference_label(rec)
    if kind == "glossary":
        return rec["term"][lang]
    if kind in ("preclinical", "articles"):
        return rec["title"][lang]
    return rec["name"][lang]


# --- links that read as prose ----------------------------------------------------------------------------------------
# A link prints words inside a sentence, so the sentence around it must read well with those words, in both
# languages. These patterns find the ways old-style links broke sentences (issue 14): a label spliced after the words
# that already say it ("injection [[route:intrathecal]] injection"), a record dropped after a claim as if it were a
# citation, and a citation used as a word of the sentence ("as shown by [[ref:x]]").
MIGRATE = "python -m scripts.migrate_links {file}"
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CLAUSE_END = re.compile(r"^\s*(?:[.,;:!?)\]。，；：！？）]|$)")  # not "、": it joins names in a list
_SENTENCE_START = re.compile(r"(?:^|[.!?;:。！？；：(（]|\n\s*-)\s*$")
# Words after which a bare record link is the sentence's own name for the record or the object of a preposition
# ("registered as NCT…", "reported together with NCT…", "见《…》"): not a label spliced after a claim.
NAMING_BEFORE = re.compile(r"(?:\b(?:as|is|are|was|were|see|also|named|called|records?|page|guide|article|and|or|"
                           r"product|term|in|by|with|of|from|to|than|for|on|at|under|including|like)|为|见|即|是|和|与|"
                           r"及|或|参见|详见|记录|指南|文章|页面|产品|称|在|由|对|从|如|例如|包括)\s*$", re.IGNORECASE)
# Kinds whose bare link after a claim reads as a spliced label; a bare term, cell type or route is a noun.
_POINTER_KINDS = ("study", "preclinical")
# Words that make a citation [n] a word of the sentence ("reported by [1]", "据[1]").
_CITATION_AS_WORD = {"by", "in", "from", "see", "of", "the", "a", "an", "per", "to", "with", "and", "or", "on", "at"}
_CITATION_AS_WORD_ZH = re.compile(r"(?:参见|详见|根据|按照|引自|(?:^|[，。；：、\s(（])[据见经由和与及在])$")


def _norm(words: str) -> list[str]:
    # A plural "s" is dropped so "reports" matches "report"; words of 2 letters keep theirs, or "such as a report"
    # would read as "a a report".
    return [w[:-1] if len(w) > 2 and w.endswith("s") else w for w in (w.lower() for w in _WORD.findall(words))]


def link_prose_problems(text: str, lang: str, shown: Any, labels: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(message, fix) for each way the links in one prose text break its sentence. `shown(kind, id, words)` gives
    the words a link prints (None for a citation or an unknown record); `labels` maps reference labels to ids."""
    def printed(m: re.Match) -> str:  # what a link prints, as far as the sentence is concerned
        return "" if m.group(1) == "ref" else (shown(*m.groups()) or m.group(2))

    for m in LINK_RE.finditer(text):
        kind, rec_id, words = m.groups()
        before, after = text[: m.start()], text[m.end():]
        tail = LINK_RE.sub(printed, before).rstrip()  # the sentence before the link, as the reader sees it
        if kind == "ref":
            if words is not None:
                yield (f"citation [[ref:{rec_id}|{words}]] has words; a citation prints [n], never words",
                       f"write the words in the sentence and put [[ref:{rec_id}]] after the claim it supports")
                continue
            prev = _WORD.findall(tail[-30:])
            zh_prev = lang == "zh" and _CITATION_AS_WORD_ZH.search(tail) is not None
            if _SENTENCE_START.search(before) or zh_prev or (prev and tail.endswith(prev[-1])
                                                            and prev[-1].lower() in _CITATION_AS_WORD):
                yield (f"citation [[ref:{rec_id}]] stands as a word of the sentence (it prints only [n])",
                       "name the source in words (\"a 2022 trial report\", \"一项 2022 年的试验报告\") and put "
                       f"[[ref:{rec_id}]] after the claim it supports")
            continue
        name = shown(kind, rec_id, words)
        if name is None:
            continue
        link = m.group(0)
        if words is None and re.search(r"[(（]", name):
            yield (f"bare link {link} prints '{name}', a label with parentheses",
                   f"give the link the sentence's words ([[{kind}:{rec_id}|…]]), or add a `short` name "
                   f"(no parentheses) to the record")
        # The printed words repeat the words just before or after them.
        head = LINK_RE.sub(printed, after).lstrip()
        shown_words, prev_words, next_words = _norm(name), _norm(tail[-40:]), _norm(head[:40])
        repeated = bool(shown_words) and (
            (bool(prev_words) and prev_words[-1] == shown_words[0] and re.search(r"[A-Za-z0-9]\s*$", tail) is not None)
            or (bool(next_words) and next_words[0] == shown_words[-1] and re.match(r"\s*[A-Za-z0-9]", head) is not None))
        # The whole name just before the link, as in "regulatory T cells ([[cell:regulatory-t-cells]])".
        repeated |= bool(name) and re.sub(r"[\s(（]+$", "", tail).lower().endswith(name.lower())
        if lang == "zh":  # Chinese has no spaces: look for 2 or more shared characters across the link's edges
            a, b, n = (re.sub(r"\s+", "", x) for x in (tail, head, name))
            repeated |= any((_CJK.match(n[k - 1]) and a.endswith(n[:k])) or (_CJK.match(n[-k]) and b.startswith(n[-k:]))
                            for k in range(2, len(n) + 1))
        # The spacing rule of scripts/zhtext.py, which cannot see what a link prints: a space between Chinese and
        # Latin letters or digits.
        if lang == "zh" and name and ((_CJK.match(before[-1:]) and re.match(r"[A-Za-z0-9]", name))
                                      or (_CJK.match(after[:1]) and re.match(r"[A-Za-z0-9]", name[-1]))):
            yield (f"link {link} prints '{name}' with no space from the Chinese next to it",
                   "add a space between Chinese and Latin letters or digits (家族性 ALS, 见 NCT01234567)")
        if repeated:
            yield (f"link {link} prints '{name}', repeating the words next to it",
                   f"put the link on the words the sentence already has: …[[{kind}:{rec_id}|{name}]]… "
                   "(or run `" + MIGRATE.format(file="FILE") + "`)")
        # A bare record link after a claim reads as a spliced label ("…used SOD1-G93A rats Glial precursors…").
        after_citation = re.search(r"\[\[ref:[^\]]*\]\]\s*$", before) is not None
        if words is None and kind in _POINTER_KINDS and (after_citation or _CLAUSE_END.match(LINK_RE.sub("", after))):
            last = tail[-1:] if tail else ""
            if last and last not in "(（,，、;；:：" and not _SENTENCE_START.search(before) and not NAMING_BEFORE.search(tail):
                yield (f"link {link} after the claim reads as a label spliced into the sentence ('{name}')",
                       f"put the link on the words that name the record ([[{kind}:{rec_id}|the phase 2 trial]]), "
                       "or in parentheses; `" + MIGRATE.format(file="FILE") + "` does this")
    for label in labels:
        if label in text:
            yield (f"the reference label '{label}' sits in the sentence",
                   f"cite it as [[ref:{labels[label]}]] after the claim; name it in words if the sentence needs to")


def avoid_rules(site: Site) -> list[tuple[Record, str, re.Pattern | None, re.Pattern | None]]:
    """(term, form to avoid, English that makes it acceptable, English that makes it wrong) from the glossary.
    A pattern that is not a valid regular expression is left out here and reported by _check_glossary."""
    rules = []
    for term in site.kind("glossary"):
        for item in term.get("zh_avoid", []):
            item = {"form": item} if isinstance(item, str) else item
            try:
                unless, when = (re.compile(item[k], re.IGNORECASE) if k in item else None for k in ("unless_en", "when_en"))
            except re.error:
                continue
            rules.append((term, item["form"], unless, when))
    return rules


def term_problems(zh: str, en: str, rules: list) -> Iterator[tuple[str, str]]:
    """(message, fix) for each form in a Chinese text that the glossary marks to avoid, given its English text.
    Spaces are ignored, so "ALS 功能评定量表" and "ALS功能评定量表" are the same form."""
    flat = re.sub(r"\s+", "", zh)
    for term, form, unless, when in rules:
        if re.sub(r"\s+", "", form) not in flat:
            continue
        if (unless and unless.search(en)) or (when and not when.search(en)):
            continue
        usage = f"; {term['usage']['en']}" if "usage" in term.data else ""
        yield (f"uses '{form}', which the glossary marks to avoid",
               f"write '{term['term']['zh']}'{usage} (data/glossary/{term.id}.yml)")


def _cross_check(site: Site, outdated_as_pending: bool = False, split: int = 1) -> Iterator[Error]:
    rules = avoid_rules(site)
    jobs = [(rec, refs) for kind, schema_name in schema.KINDS.items()
            for refs in [list(_ref_fields(schema.load_schema(schema_name), schema_name))] for rec in site.kind(kind)]

    def check(rec: Record, refs: list) -> list[Error]:
        with guard.about(rec.path):
            return list(_check_record(site, rec, refs, rules, outdated_as_pending))

    for found in forked.each(jobs, check, split):
        yield from found
    if "zh" in site.strings and "en" in site.strings:
        for key, zh in site.strings["zh"].items():
            for message, fix in term_problems(zh, site.strings["en"].get(key, ""), rules):
                yield Error("data/strings/zh.yml", message, fix, key)
    yield from _check_glossary(site)
    yield from _check_studies(site)
    yield from _check_excluded(site)
    yield from _check_searches(site)
    for kind in site.records:
        for rec in site.kind(kind):
            for path, value in _strings_in(rec.data):
                if "TODO" in value:
                    yield Error(rec.path, "still has a TODO placeholder", "replace it with the value from a source, "
                                "or delete the field if it is optional", field_name(path), rec.doc.line_of(path))
            for number, line in enumerate(rec.doc.text.splitlines(), 1):
                if TODO_MARK.search(line):
                    yield Error(rec.path, "a value is still marked `# TODO`", "check the value against a source "
                                "(or delete the field if it is optional), then remove the `# TODO` comment",
                                line=number)
    for kind in site.records:
        for rec in site.kind(kind):
            for i, change in enumerate(rec.get("changes", [])):
                if change["date"] > rec["last_reviewed"]:
                    yield Error(rec.path, f"change dated {change['date']} is after last_reviewed {rec['last_reviewed']}",
                                "a change is a review: set last_reviewed to the date of the latest change",
                                field_name(("changes", i, "date")), rec.doc.line_of(("changes", i, "date")))
    for kind in site.records:
        reserved = template_anchors(ANCHOR_TEMPLATES[kind])
        for rec in site.kind(kind):
            if rec.id in reserved:
                yield Error(rec.path, f"the id '{rec.id}' is also a heading anchor the pages use (#{rec.id})",
                            "choose another file name (id), e.g. with a year or a qualifier")
    reserved = template_anchors(ANCHOR_TEMPLATES["articles"])
    for rec in site.kind("articles"):
        seen: set[str] = {rec.id}
        for i, section in enumerate(rec["sections"]):
            sid, where = section["id"], ("sections", i, "id")
            if sid in seen:
                yield Error(rec.path, f"section id '{sid}' is used twice on the page"
                            + (" (it is the article's own id)" if sid == rec.id else ""),
                            "give each section its own id", field_name(where), rec.doc.line_of(where))
            elif sid in reserved:
                yield Error(rec.path, f"section id '{sid}' is also a heading anchor the page uses (#{sid})",
                            "choose another section id", field_name(where), rec.doc.line_of(where))
            seen.add(sid)
    yield from _check_unique(site, "references", ("pmid", "doi"))


def _check_record(site: Site, rec: Record, refs: list, rules: list, outdated_as_pending: bool) -> Iterator[Error]:
    """A record's references, inline links (and how they read in their sentence), translation stamps, numbers,
    Chinese punctuation and glossary terms."""
    labels = {reference_label(site.records["references"][r]): r for r in rec.get("references", [])
              if r in site.records["references"]}

    def shown_in(lang: str) -> Any:
        def shown(link_kind: str, rec_id: str, words: str | None) -> str | None:
            target = site.records.get(LINK_KINDS.get(link_kind, ""), {}).get(rec_id)
            if words is not None or target is None:
                return words
            name = short_name(target.kind, target, lang)
            if target.kind == "articles":  # printed as a title, in quotation marks (render.bare_name)
                return f"《{name}》" if lang == "zh" else f"“{name}”"
            return name
        return shown
    for pattern, target in refs:
        for path, value in _values_at(rec.data, pattern):
            if not site.exists(target, value):
                yield Error(rec.path, f"'{value}' is not a record in data/{target}/", _suggest(value, site.records[target], target),
                            field_name(path), rec.doc.line_of(path))
    for path, text in texts(rec.data):
        line = rec.doc.line_of(path)
        if path and path[-1] in TITLE_FIELDS and (LINK_RE.search(text["en"]) or LINK_RE.search(text["zh"])):
            yield Error(rec.path, "links are not allowed in titles and names",
                        "write the name as plain text; link records from the prose fields",
                        field_name(path), line)
        for lang in LANGS:
            for link_kind, target_id, _ in LINK_RE.findall(text[lang]):
                target = LINK_KINDS.get(link_kind)
                if target is None:
                    yield Error(rec.path, f"unknown link kind [[{link_kind}:…]]",
                                f"use one of {', '.join(LINK_KINDS)}", field_name(path + (lang,)), line)
                elif not site.exists(target, target_id):
                    yield Error(rec.path, f"link [[{link_kind}:{target_id}]] points to no record in data/{target}/",
                                _suggest(target_id, site.records[target], target), field_name(path + (lang,)), line)
                elif target == "references" and "references" in rec.data and target_id not in rec["references"]:
                    # The page's numbered list is built from `references`: a citation must find its entry.
                    yield Error(rec.path, f"cites [[ref:{target_id}]], which is not in `references`",
                                f"add {target_id} to `references`", field_name(path + (lang,)), line)
        for lang in LANGS:
            for message, fix in link_prose_problems(text[lang], lang, shown_in(lang), labels):
                yield Error(rec.path, message, fix, field_name(path + (lang,)), line)
        if outdated_as_pending and _outdated(text):
            site.warnings.extend(_check_translation(rec, path, text, line))
            text["pending"] = True
        yield from _check_translation(rec, path, text, line)
        only_en, only_zh = numerals.differences(text["en"], text["zh"])
        if (only_en or only_zh) and not text.get("pending"):
            yield Error(rec.path, "numbers differ between languages"
                        + (f"; only in en: {', '.join(only_en)}" if only_en else "")
                        + (f"; only in zh: {', '.join(only_zh)}" if only_zh else ""),
                        "write the same numbers, IDs, doses and dates in both languages (in digits or in "
                        "words; dates in either language's form)", field_name(path), line)
        for message, fix in zhtext.findings(text["zh"], rec.path):
            yield Error(rec.path, message, fix, field_name(path + ("zh",)), line)
        if not (rec.kind == "glossary" and path and path[0] in ("term", "usage")):  # a term names what to avoid
            for message, fix in term_problems(text["zh"], text["en"], rules):
                yield Error(rec.path, message, fix, field_name(path + ("zh",)), line)


def _outdated(text: dict) -> bool:
    """The source text changed after the translation was stamped, and the translation is not marked pending."""
    return "stamp" in text and not text.get("pending") and text["stamp"] != stamp_of(text[source_of(text)[0]])


def _check_translation(rec: Record, path: tuple, text: dict, line: int | None) -> Iterator[Error]:
    source, target = source_of(text)
    where = field_name(path)
    command = f"python -m scripts.translations stamp {rec.path} --field {where}"
    if "stamp" not in text:
        yield Error(rec.path, f"the {target} translation is not stamped",
                    f"check that the {target} text says what the {source} text says, then run `{command}`", where, line)
    elif text["stamp"] != stamp_of(text[source]):
        if not text.get("pending"):
            yield Error(rec.path, f"the {target} text is outdated: the {source} text changed after it was translated",
                        f"update the {target} text and run `{command}`; or add `pending: true` to publish it with a "
                        "notice for readers", f"{where}.{target}", line)
    elif text.get("pending"):
        yield Error(rec.path, "is marked pending but its translation is up to date", "remove `pending: true`",
                    where, line)


def _check_glossary(site: Site) -> Iterator[Error]:
    for term in site.kind("glossary"):
        for i, item in enumerate(term.get("zh_avoid", [])):
            for key in ("unless_en", "when_en") if isinstance(item, dict) else ():
                if key not in item:
                    continue
                try:
                    re.compile(item[key])
                except re.error as exc:
                    path = ("zh_avoid", i, key)
                    yield Error(term.path, f"is not a valid regular expression: {exc}",
                                "write a Python regular expression, e.g. `sham (surgery|operation)`",
                                field_name(path), term.doc.line_of(path))


def _suggest(value: str, pool: dict, kind: str) -> str:
    close = [i for i in pool if schema._similar(value, i)]
    return f"did you mean '{close[0]}'?" if close else f"use an id of a file in data/{kind}/, or add that record"


def _check_file_name(rec: Record) -> Iterator[Error]:
    """A record with registry IDs is named by the first of them (studies and excluded studies alike)."""
    ids = rec["registry_ids"]
    if ids and rec.id != registry_slug(ids[0]):
        yield Error(rec.path, f"file name does not match the primary registry ID {ids[0]}",
                    f"rename the file to {registry_slug(ids[0])}.yml, or list the matching ID first",
                    "registry_ids", rec.doc.line_of(("registry_ids",)))


def _check_studies(site: Site) -> Iterator[Error]:
    seen: dict[str, str] = {}
    for rec in site.kind("studies"):
        ids = rec["registry_ids"]
        yield from _check_file_name(rec)
        for i, rid in enumerate(ids):
            if rid in seen:
                yield Error(rec.path, f"{rid} is already the subject of {seen[rid]}",
                            "merge the two records: one study, one file", field_name(("registry_ids", i)),
                            rec.doc.line_of(("registry_ids", i)))
            seen.setdefault(rid, rec.path)
        start, end = rec.get("start"), rec.get("completion")
        if start and end and end < start[: len(end)]:
            yield Error(rec.path, f"completion {end} is before start {start}", "check both dates against the source",
                        "completion", rec.doc.line_of(("completion",)))
        if rec["status_checked"] > rec["last_reviewed"]:
            yield Error(rec.path, f"status_checked {rec['status_checked']} is after last_reviewed {rec['last_reviewed']}",
                        "last_reviewed is the latest date anyone checked the record", "status_checked",
                        rec.doc.line_of(("status_checked",)))
        if rec.get("treated") is not None and rec.get("enrolled") is not None and rec["treated"] > rec["enrolled"]:
            yield Error(rec.path, f"treated ({rec['treated']}) is more than enrolled ({rec['enrolled']})",
                        "check both counts against the source", "treated", rec.doc.line_of(("treated",)))
        noted = {u["field"].split(".")[0].split("[")[0] for u in rec.get("uncertain", [])}
        for i, event in enumerate(rec.get("regulatory", [])):
            if sources.grade_url(event["source"]) == "secondary" and "regulatory" not in noted:
                yield Error(rec.path, "this regulatory event rests on a secondary source (news, company statement or "
                            "copy) and no uncertain note says so",
                            "cite the regulator's own notice or label, or add an `uncertain` entry with "
                            "`field: regulatory` saying that the regulator's own document was not found",
                            field_name(("regulatory", i, "source")), rec.doc.line_of(("regulatory", i, "source")))
        if rec.get("findings") and not rec["results"]:
            yield Error(rec.path, "has findings but `results` lists no place where results were reported",
                        "list where they were reported (publication, registry, press-release, conference)", "results",
                        rec.doc.line_of(("results",)))


def _check_excluded(site: Site) -> Iterator[Error]:
    studied = {rid: rec.path for rec in site.kind("studies") for rid in rec["registry_ids"]}
    seen: dict[str, str] = {}
    for rec in site.kind("excluded"):
        ids = rec["registry_ids"]
        yield from _check_file_name(rec)
        for i, rid in enumerate(ids):
            where = field_name(("registry_ids", i)), rec.doc.line_of(("registry_ids", i))
            if rid in studied:
                yield Error(rec.path, f"{rid} is also a study record ({studied[rid]})",
                            "a study is either included or excluded: delete this file, or remove the ID from the "
                            "study record", *where)
            elif rid in seen:
                yield Error(rec.path, f"{rid} is already excluded by {seen[rid]}", "keep one excluded record per study",
                            *where)
            seen.setdefault(rid, rec.path)
        if (rec["reason"] == "duplicate") != ("duplicate_of" in rec.data):
            field = "duplicate_of" if rec["reason"] == "duplicate" else "reason"
            yield Error(rec.path, "a duplicate names the study record it duplicates, and only a duplicate does",
                        "with `reason: duplicate` add `duplicate_of: <study id>`; otherwise remove `duplicate_of`",
                        field, rec.doc.line_of((field,)))


def _check_searches(site: Site) -> Iterator[Error]:
    """Each query's counts add up, and each study or excluded lead is counted as found by one query only."""
    first: dict[tuple[str, str], str] = {}
    for log in sorted(site.kind("searches"), key=lambda r: (r["date"], r.id)):
        for i, query in enumerate(log["queries"]):
            path = ("queries", i)
            screened = query["found"] - query["duplicates"]
            accounted = len(query["included"]) + len(query["assessed_excluded"]) + sum(query["excluded"].values())
            if screened != accounted:
                yield Error(log.path, f"found ({query['found']}) minus duplicates ({query['duplicates']}) is {screened},"
                            f" but included + assessed_excluded + excluded add up to {accounted}",
                            "every result is a duplicate, included, assessed and excluded, or screened out by a reason: "
                            "correct the counts", field_name(path), log.doc.line_of(path))
            for key, kind in (("included", "studies"), ("assessed_excluded", "excluded")):
                for j, rec_id in enumerate(query[key]):
                    here = f"{log.path} {field_name(path + (key, j))}"
                    if (kind, rec_id) in first:
                        yield Error(log.path, f"{rec_id} was already found by {first[kind, rec_id]}",
                                    "count a result found again under `duplicates`, not a second time here",
                                    field_name(path + (key, j)), log.doc.line_of(path + (key, j)))
                    first.setdefault((kind, rec_id), here)


def _check_unique(site: Site, kind: str, fields: tuple) -> Iterator[Error]:
    for name in fields:
        owners: dict[str, str] = {}
        for rec in site.kind(kind):
            value = rec.get(name)
            if value is None:
                continue
            key = value.lower()
            if key in owners:
                yield Error(rec.path, f"{name} {value} is already used by {owners[key]}",
                            "one record per publication: reuse that record's id", name, rec.doc.line_of((name,)))
            owners.setdefault(key, rec.path)
