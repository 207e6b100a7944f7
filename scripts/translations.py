"""Translation freshness: stamp reviewed translations, and report the translation state of the whole site.

Reads: data/ (records and their prose fields). Writes: with `stamp`, only the `stamp:` (and `pending:`) lines of the
files named, in place — comments, order and layout are kept, because contributors edit these files by hand.
Usage:
  python -m scripts.translations stamp FILE... [--field PATH]   after checking a translation against its source
  python -m scripts.translations report                         missing, outdated and pending translations
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from . import guard, yamlio
from .records import field_name, load_site, source_of, stamp_of, texts

ROOT = Path(__file__).resolve().parent.parent


def stamp_text(raw: str, only: str | None = None) -> tuple[str, int]:
    """The file's text with every prose field (or only the one at `only`) stamped as translated from its current
    source text and no longer pending; and how many fields changed."""
    doc = yamlio.parse(raw.encode("utf-8"))
    lines = raw.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    edits = []  # (line, column, action) applied bottom-up so earlier positions stay valid
    for path, text in texts(doc.data):
        if only is not None and field_name(path) != only:
            continue
        source, _ = source_of(text)
        stamp = stamp_of(text[source])
        if text.get("stamp") == stamp and not text.get("pending"):
            continue
        edits.append((path, text, stamp))
    for path, text, stamp in sorted(edits, key=lambda e: doc.spans[e[0]][:2], reverse=True):
        start_line, start_col, end_line, end_col, flow = doc.spans[path]
        if flow:
            _stamp_flow(lines, doc, path, text, stamp)
        else:
            _stamp_block(lines, doc, path, text, stamp)
    return "".join(lines), len(edits)


def _stamp_block(lines: list[str], doc: yamlio.Document, path: tuple, text: dict, stamp: str) -> None:
    indent = " " * doc.key_columns[path + ("en",)]
    actions = []  # (line index, operation), applied from the bottom up
    if "stamp" in text:
        actions.append((doc.lines[path + ("stamp",)] - 1, "replace"))
    else:
        # After the mapping's last line: its end mark is where the next token starts.
        end_line, end_col = doc.spans[path][2], doc.spans[path][3]
        at_line_start = end_line >= len(lines) or not lines[end_line][:end_col].strip()
        actions.append((end_line if at_line_start else end_line + 1, "insert"))
    if "pending" in text:
        actions.append((doc.lines[path + ("pending",)] - 1, "delete"))
    for index, operation in sorted(actions, reverse=True):
        if operation == "replace":
            lines[index] = f"{indent}stamp: '{stamp}'\n"
        elif operation == "insert":
            lines.insert(min(index, len(lines)), f"{indent}stamp: '{stamp}'\n")
        else:
            del lines[index]


def _stamp_flow(lines: list[str], doc: yamlio.Document, path: tuple, text: dict, stamp: str) -> None:
    start_line, start_col, end_line, end_col, _ = doc.spans[path]
    if start_line != end_line:  # a flow mapping over several lines: rewrite it as one line
        raise ValueError(f"{field_name(path)}: multi-line {{…}} mappings cannot be stamped; write it as a block")
    line = lines[start_line]
    body = line[start_col:end_col]
    inner = body[1:-1]
    parts = [p for p in _split_flow(inner) if p.split(":", 1)[0].strip() not in ("stamp", "pending")]
    parts.append(f" stamp: '{stamp}'")
    lines[start_line] = line[:start_col] + "{" + ",".join(parts).strip() + "}" + line[end_col:]


def _split_flow(inner: str) -> list[str]:
    """Split a flow mapping's body on top-level commas (commas inside quotes stay)."""
    parts, current, quote = [], "", None
    for ch in inner:
        if quote:
            current += ch
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            current += ch
        elif ch == ",":
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p for p in parts if p.strip()]


def report(data: Path) -> str:
    """One screen: per kind, the prose fields and how many are unstamped, outdated or pending; then the pages."""
    site, _ = load_site(data)
    rows, pages = [], []
    for kind in site.records:
        count: Counter = Counter()
        for rec in site.kind(kind):
            problems: Counter = Counter()
            for _, text in texts(rec.data):
                count["fields"] += 1
                source, _ = source_of(text)
                if "stamp" not in text:
                    problems["missing"] += 1
                elif text["stamp"] != stamp_of(text[source]):
                    problems["pending" if text.get("pending") else "outdated"] += 1
            count.update(problems)
            if problems:
                pages.append(f"  {rec.path}: " + ", ".join(f"{n} {k}" for k, n in sorted(problems.items())))
        rows.append(f"{kind:<12} {len(site.records[kind]):>6} {count['fields']:>7} {count['missing']:>8} "
                    f"{count['outdated']:>9} {count['pending']:>8}")
    head = f"{'kind':<12} {'records':>6} {'fields':>7} {'missing':>8} {'outdated':>9} {'pending':>8}"
    out = [head, *rows]
    out += ["", "Records needing translation work:", *pages] if pages else ["", "Every translation is up to date."]
    return "\n".join(out)


@guard.command
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.translations", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    stamp = sub.add_parser("stamp", help="record that the translations in FILE match their source text")
    stamp.add_argument("files", nargs="+", type=Path)
    stamp.add_argument("--field", help="only this field, e.g. findings or design.summary")
    sub.add_parser("report", help="print the translation state of the whole site")
    args = parser.parse_args(argv)
    if args.command == "report":
        print(report(ROOT / "data"))
        return 0
    status = 0
    for path in args.files:
        try:
            text, changed = stamp_text(path.read_text(encoding="utf-8"), args.field)
        except (yamlio.YamlError, ValueError, OSError) as exc:
            print(f"{path}: {getattr(exc, 'message', exc)}", file=sys.stderr)
            status = 1
            continue
        if changed:
            path.write_text(text, encoding="utf-8")
        print(f"{path}: stamped {changed} field(s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
