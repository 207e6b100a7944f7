"""Rewrite old-style links in prose so that each sentence reads as prose (issue 14), in place.

Reads: data/ (the named files, or every record), schema/. Writes: the prose fields of those files, and the `stamp:`
of a field whose translation was up to date before the rewrite (the rewrite changes both languages alike).
Usage: python -m scripts.migrate_links [FILE ...] [--data DIR] [--dry-run]

Old records printed a record's full label wherever it was linked, and put links after a claim as if they were
citations. For each prose text this script:
1. puts a citation [[ref:id]] against the word it follows (no space; none after it before Chinese text either);
2. moves a bare record link that follows a claim onto the words of the sentence that already name the record
   ("经腰椎穿刺鞘内注射 [[route:intrathecal]]" → "经腰椎穿刺[[route:intrathecal|鞘内注射]]"); when no words name it,
   puts it in parentheses after the claim, where its short name reads as an aside ("… (NCT01363401)[3].");
3. takes a word repeated next to a bare link into the link ("[[route:intrathecal]] injection" →
   "[[route:intrathecal|intrathecal injection]]").
What it cannot fix (a citation used as a word of the sentence, say) is left for a person: the validator lists it.
Re-run it on new records written the old way; it changes nothing in text already in the new form.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from pathlib import Path

import yaml

from . import yamlio
from .records import LANGS, LINK_KINDS, LINK_RE, NAMING_BEFORE, Record, Site, field_name, load_site, short_name, \
    source_of, stamp_of, texts
from .translations import stamp_text

ROOT = Path(__file__).resolve().parent.parent
_CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
_RUN = re.compile(r"(?:\s*\[\[[a-z]+:[^\]\s|]*(?:\|[^\]\[|]*)?\]\])+")  # links one after another
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)\]。，；：！？）]|$)")  # not "、": it joins names in a list
_CLAUSE_START = re.compile(r"[.;:!?。；：！？\n(（]")
# "NurOwn" → "NurOwn phase 3 trial": a product name and the few words after it that end in trial or study.
_STUDY_NOUN = {"en": r"(?:\s+(?!and\b|or\b|of\b)[^\s,;]+){0,3}?\s+(?:trial|study|series|report)s?\b",
               "zh": r"[^，。；、和与及]{0,12}?(?:试验|研究|报告)"}
# Kinds whose bare link after a claim is a pointer to the record, put in parentheses when no words name it. A bare
# term, cell type or route link is a noun of the sentence ("behind the [[term:blood-brain-barrier]]") and stays.
_POINTER_KINDS = ("studies", "preclinical")


def _names(site: Site, kind: str, rec: Record, lang: str) -> list[str]:
    """Words by which a sentence may already name the record, longest first."""
    out = [short_name(kind, rec, lang)]
    for key in ("name", "title", "term"):
        if key in rec.data:
            full = rec[key][lang]
            out.append(re.sub(r"\s*[(（][^)）]*[)）]\s*$", "", full))
            if kind != "studies":  # "(lumbar puncture)" names the route too; a study's "(China)" does not
                out += re.findall(r"[(（]([^)）,，]+)[)）]", full)
    if kind == "glossary":
        out += ([rec["abbreviation"]] if rec.get("abbreviation") else []) + (rec.get("zh_alternatives", []) if lang == "zh" else [])
    if kind == "studies":
        out += rec["registry_ids"]
    return sorted({n for n in out if len(n) >= 2}, key=len, reverse=True)


def _product(rec: Record) -> str | None:
    """A study's product name ("NurOwn"): it names the study only with the words after it ("NurOwn phase 3 trial")."""
    return re.split(r"[\s(（,]", rec["product"])[0] if rec.get("product") else None


def _find(text: str, name: str, lang: str) -> re.Match | None:
    """The last whole-word occurrence of `name` in `text`, outside links."""
    edge = "" if lang == "zh" and re.match(_CJK, name) else r"(?<![A-Za-z0-9-])"
    tail = "" if lang == "zh" and re.match(_CJK, name[-1]) else r"(?![A-Za-z0-9-])"
    found = None
    for m in re.finditer(edge + re.escape(name) + tail, text, re.IGNORECASE if lang == "en" else 0):
        if not any(l.start() < m.end() and m.start() < l.end() for l in LINK_RE.finditer(text)):
            found = m
    return found


def rewrite(text: str, lang: str, site: Site) -> str:
    """One prose text in the new link form (idempotent)."""
    def target(m: re.Match) -> tuple[str, Record] | None:
        kind = LINK_KINDS.get(m.group(1))
        rec = site.records.get(kind, {}).get(m.group(2)) if kind else None
        return (kind, rec) if rec is not None else None

    # 2. Bare record links after a claim: onto the sentence's words, or into parentheses.
    out, pos = [], 0
    for run in _RUN.finditer(text):
        before, links = text[pos:run.start()], list(LINK_RE.finditer(run.group(0)))
        pointers = [l for l in links if l.group(1) != "ref" and l.group(3) is None and target(l)]
        clause_at = max((m.end() for m in _CLAUSE_START.finditer(before)), default=0)
        # A record link after a citation is a pointer wherever the clause goes on; otherwise only at its end.
        after_citation = any(l.group(1) == "ref" for l in links[:1])
        if (not pointers or not before[clause_at:].strip(" -\t") or before.rstrip()[-1:] in "(（,，、;；:："
                or not (after_citation or _CLAUSE_END.match(text, run.end())) or NAMING_BEFORE.search(before.rstrip())):
            out.append(before + run.group(0))
            pos = run.end()
            continue
        head, clause = before[:clause_at], before[clause_at:]
        aside, kept = [], []
        for l in pointers:
            kind, rec = target(l)
            # The naming words closest to the link (then the longest): "经腰椎穿刺鞘内注射" → "鞘内注射".
            found = [(m, m.end()) for m in (_find(clause, name, lang) for name in _names(site, kind, rec, lang)) if m]
            product = _product(rec) if kind == "studies" else None
            m = _find(clause, product, lang) if product else None
            more = m and re.match(_STUDY_NOUN[lang], clause[m.end():], re.IGNORECASE)
            if more:
                found.append((m, m.end() + more.end()))
            for m, end in sorted(found, key=lambda f: (f[1], f[1] - f[0].start()), reverse=True)[:1]:
                clause = f"{clause[:m.start()]}[[{l.group(1)}:{l.group(2)}|{clause[m.start():end]}]]{clause[end:]}"
                break
            else:
                if kind in _POINTER_KINDS:
                    aside.append(l.group(0).strip())
                else:
                    kept.append(l.group(0).strip())
        rest = [l.group(0).strip() for l in links if l.group(1) == "ref" or l not in pointers]
        clause = clause.rstrip()
        if kept:  # left where it was: a noun of the sentence
            clause += " " + " ".join(kept)
        if aside and clause[-1:] in ")）":  # "…（3 次给药，间隔约 8 周；NCT03280056）", not two brackets in a row
            clause = clause[:-1] + ("；" if lang == "zh" else "; ") + ("、" if lang == "zh" else ", ").join(aside) + clause[-1]
        elif aside:
            clause += ("（" + "、".join(aside) + "）") if lang == "zh" else (" (" + ", ".join(aside) + ")")
        out.append(head + clause + "".join(rest))
        pos = run.end()
    text = "".join(out) + text[pos:]

    # 3. A word repeated at the edge of a bare link goes into the link.
    for m in reversed(list(LINK_RE.finditer(text))):
        found = target(m)
        if m.group(1) == "ref" or m.group(3) is not None or not found:
            continue
        name = short_name(*found, lang)
        after = text[m.end():]
        last = re.escape(name.split()[-1]) if lang == "en" else re.escape(name[-2:])
        rep = re.match(r"\s*" + last + (r"s?\b" if lang == "en" else ""), after, re.IGNORECASE if lang == "en" else 0)
        if rep:
            text = f"{text[:m.start()]}[[{m.group(1)}:{m.group(2)}|{name}]]{after[rep.end():]}"
            continue
        # The whole name just before the link, or before it in parentheses: "regulatory T cells ([[cell:…]])".
        before = text[:m.start()]
        said = re.search(re.escape(name) + r"\s*([(（]?)\s*$", before, re.IGNORECASE if lang == "en" else 0)
        close = re.match(r"\s*[)）]", after) if said and said.group(1) else re.match("", after)
        if said and close:
            words = before[said.start():said.start() + len(name)]
            text = f"{before[:said.start()]}[[{m.group(1)}:{m.group(2)}|{words}]]{after[close.end():]}"

    # A word running on from a bare link ("[[term:randomized-controlled-trial]]s") belongs in the link.
    def run_on(m: re.Match) -> str:
        found = target(m)
        if not found or m.group(1) == "ref" or m.group(3) is not None:
            return m.group(0)
        return f"[[{m.group(1)}:{m.group(2)}|{short_name(*found, lang)}{m.group(4)}]]"
    text = re.sub(LINK_RE.pattern + r"([A-Za-z]+)", run_on, text)
    if lang == "zh":  # no space between a link that prints Chinese and its Chinese neighbours
        parts, pos = [], 0
        for m in LINK_RE.finditer(text):
            found = target(m)
            shown = (m.group(3) if m.group(3) is not None else short_name(*found, lang)) if found else ""
            before = text[pos:m.start()]
            if shown and m.group(1) != "ref" and re.match(_CJK, shown) and re.search(_CJK + r"[ \t]+$", before):
                before = before.rstrip(" \t")
            parts.append(before + m.group(0))
            pos = m.end()
            if shown and m.group(1) != "ref" and re.search(_CJK + "$", shown) and re.match(r"[ \t]+" + _CJK, text[pos:]):
                pos += len(text[pos:]) - len(text[pos:].lstrip(" \t"))
        text = "".join(parts) + text[pos:]

    # 1. Citations sit against the word they follow; in Chinese, nothing between them and the next Chinese text.
    text = re.sub(r"(?<=\S)[ \t]+(?=\[\[ref:)", "", text)
    text = re.sub(r"(?<=\S)\s*\n\s*(?=\[\[ref:)", "", text) if "\n- " not in text else text
    if lang == "zh":
        text = re.sub(r"(\[\[ref:[^\]]*\]\])[ \t]+(?=" + _CJK + ")", r"\1", text)
        # Links whose words are Chinese take no space either side from Chinese neighbours.
        text = re.sub(r"(?<=" + _CJK + r")[ \t]+(?=\[\[[a-z]+:[^\]|]*\|" + _CJK + ")", "", text)
        text = re.sub(r"(\|" + _CJK + r"[^\]]*\]\])[ \t]+(?=" + _CJK + ")", r"\1", text)
    return text


# --- writing a changed value back into its file --------------------------------------------------------------------

def _emit(value: str, indent: int, block: bool) -> str:
    """A YAML scalar for `value` that parses back to exactly `value`."""
    pad = " " * indent
    if block and "\n" not in value:
        folded = ">-\n" + "\n".join(pad + line for line in textwrap.wrap(value, 116 - indent, break_long_words=False,
                                                                        break_on_hyphens=False))
        if _parses_to(folded, value):
            return folded
    if block:
        literal = "|-\n" + "\n".join(pad + line if line else "" for line in value.split("\n"))
        if _parses_to(literal, value):
            return literal
    one = yaml.safe_dump(value, allow_unicode=True, width=10 ** 9, default_flow_style=True).strip()
    one = one[:-4].rstrip() if one.endswith("\n...") else one
    return one if _parses_to(one, value) and "\n" not in one else '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _parses_to(scalar: str, value: str) -> bool:
    try:
        return yaml.safe_load("k: " + scalar) == {"k": value}
    except yaml.YAMLError:
        return False


def migrate_file(path: Path, site: Site) -> tuple[str, int]:
    """The file's new text and how many prose texts changed."""
    doc = yamlio.parse(path.read_bytes())
    edits = {}
    for fpath, text in texts(doc.data):
        for lang in LANGS:
            new = rewrite(text[lang], lang, site)
            if new != text[lang]:
                edits[fpath + (lang,)] = new
    return write_values(path.read_text(encoding="utf-8"), edits), len(edits)


def write_values(raw: str, edits: dict[tuple, str]) -> str:
    """A record's text with the prose values at the given paths replaced, and each field whose translation was up to
    date re-stamped (both languages were rewritten alike); every other line is kept as it was."""
    doc = yamlio.parse(raw.encode("utf-8"))
    lines = raw.splitlines(keepends=True)
    current = []
    for fpath, text in texts(doc.data):
        source, _ = source_of(text)
        if text.get("stamp") == stamp_of(text[source]) and not text.get("pending"):
            current.append(field_name(fpath))
    for vpath, new in sorted(edits.items(), key=lambda e: doc.spans[e[0]][:2], reverse=True):
        start_line, start_col, end_line, end_col, _ = doc.spans[vpath]
        block = lines[start_line][start_col:start_col + 1] in ">|" or start_line != end_line
        if start_line != end_line and not lines[end_line][:end_col].strip():
            end_line, end_col = end_line - 1, len(lines[end_line - 1].rstrip("\n"))
        if doc.spans[vpath[:-1]][4]:  # inside {en: …, zh: …}: only a quoted scalar is safe among the commas
            scalar = json.dumps(new, ensure_ascii=False)
        else:
            scalar = _emit(new, doc.key_columns[vpath] + 2, block)
        keep = lines[end_line][end_col:]
        lines[start_line:end_line + 1] = [lines[start_line][:start_col] + scalar + (keep if keep.strip() else "\n")]
    text = "".join(lines)
    if edits:
        for name in current:
            text, _ = stamp_text(text, only=name)
        for fpath, value in texts(yamlio.parse(text.encode("utf-8")).data):
            for lang in LANGS:
                assert value[lang] == edits.get(fpath + (lang,), _at(doc.data, fpath)[lang]), (fpath, lang)
    return text


def _at(data, fpath: tuple):
    for part in fpath:
        data = data[part]
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.migrate_links", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="record files (default: every file under data/)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data folder the links point into")
    parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    args = parser.parse_args(argv)
    site, _ = load_site(args.data.resolve())
    files = args.files or sorted(p for kind in LINK_KINDS.values() for p in (args.data / kind).glob("*.yml"))
    total = 0
    for path in files:
        text, changed = migrate_file(path, site)
        if changed:
            total += changed
            print(f"{path}: {changed} text(s) rewritten")
            if not args.dry_run:
                path.write_text(text, encoding="utf-8")
    print(f"{total} text(s) rewritten; now run `python -m scripts.validate` and read each changed sentence")
    return 0


if __name__ == "__main__":
    sys.exit(main())
