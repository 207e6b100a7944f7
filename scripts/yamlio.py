"""Read one YAML record file safely, keeping the line number of every field.

Reads: a file's bytes. Writes: nothing. Uses PyYAML's C parser (CSafeLoader, about 6x faster) when available.
Rejects what PyYAML silently accepts or what a record never needs: duplicate keys, anchors and aliases (which also
stops "billion laughs" bombs), a byte-order mark, bytes that are not UTF-8, an empty file, an oversized file, and a
top level that is not a mapping. Timestamps stay strings so that the schema checks their exact form.

Two policies apply to every file, before any schema sees it:
- Text: no character that is invisible, reorders text or breaks a page may appear anywhere in the file, written
  raw or as a YAML escape (see `text_problem`). Each is reported with line, column, field and code point.
- Exact types: YAML 1.1 implicit typing is off. A plain (unquoted) scalar is a number only when written as a plain
  decimal (`15`, `-3`, `2.5`), a boolean only as `true`/`false`, null only as `null`, `~` or nothing. What YAML 1.1
  would silently turn into something else is an error that says to quote it: `015` (octal 13), `1:05` (65, base
  60), `0x1f`, `1_000`, `.inf`, `.nan`, `yes`/`no`/`on`/`off`/`y`/`n` (booleans; a country `NO` became false).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re
import unicodedata

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 256 * 1024  # the longest real record is a few KB; anything this big is a mistake or an attack
MAX_REPORTED = 50  # text-policy problems listed per file (a file full of them gets a count for the rest)

Path_ = tuple  # a field path such as ("design", "allocation") or ("sources", 2)


class YamlError(Exception):
    """A file that cannot be read as a record; `line` and `column` are 1-based or None, `path` the field path if
    known. `problems` is every problem found (this one first): the text policy reports all of a file's at once."""

    def __init__(self, message: str, line: int | None = None, fix: str = "", column: int | None = None,
                 path: Path_ | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.fix = fix
        self.column = column
        self.path = path
        self.problems: list[YamlError] = [self]


# --- text policy -----------------------------------------------------------------------------------------------------
# Rejected everywhere: C0 and C1 controls other than line feed (tab and carriage return only as YAML layout, never in
# a value), format characters (bidi embeddings, overrides, isolates and marks; zero-width space, word joiner,
# soft hyphen, BOM, invisible operators, tag characters …), line and paragraph separators (U+2028/U+2029 are line
# breaks to YAML 1.1 and end a JavaScript string), surrogates, private-use characters, noncharacters (U+FDD0-U+FDEF,
# U+xFFFE, U+xFFFF) and U+FFFD, the mark of text damaged by a wrong conversion.
# Two zero-width characters are kept where a script needs them and nowhere else: U+200D ZERO WIDTH JOINER between
# two emoji (👩‍🔬), U+200C ZERO WIDTH NON-JOINER between two letters of a script that uses it (Persian, Indic:
# code points U+0600..U+2DFF). The site's own languages need neither.
_ZWJ, _ZWNJ = "\u200d", "\u200c"
_CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "CHARACTER TABULATION", 0x0B: "LINE TABULATION",
                  0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE",
                  0xA0: "NO-BREAK SPACE"}


def _forbidden_ranges() -> str:
    """A regex character class of every candidate code point (context decides for ZWJ and ZWNJ)."""
    bad = [cp for cp in (*range(0x10000), *range(0x10000, 0x20000), *range(0xE0000, 0xE1000))
           if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
           or 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE or cp == 0xFFFD]
    bad += [cp for plane in range(2, 17) for cp in (plane * 0x10000 + 0xFFFE, plane * 0x10000 + 0xFFFF)]
    bad = sorted(set(bad) - {0x0A})
    ranges, start = [], bad[0]
    for prev, cp in zip(bad, bad[1:] + [None]):
        if cp != prev + 1:
            ranges.append((start, prev))
            start = cp
    esc = lambda cp: f"\\U{cp:08x}"
    return "[" + "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in ranges) + "\\U000f0000-\\U0010ffff]"


_VALUE_BAD = re.compile(_forbidden_ranges())  # in a parsed value: tab and carriage return included
_RAW_BAD = re.compile(r"\r(?!\n)|(?![\t\r])" + _VALUE_BAD.pattern)  # in the file: tab, and CR before LF, are layout


def _is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or ch == "\ufe0f" or 0x1F3FB <= ord(ch) <= 0x1F3FF


def _joins(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM" and 0x0600 <= ord(ch) <= 0x2DFF


def text_problem(text: str, i: int) -> tuple[str, str] | None:
    """(what, fix) if the character text[i] (one that _VALUE_BAD matched) is not allowed there, else None."""
    ch = text[i]
    before, after = text[i - 1: i], text[i + 1: i + 2]
    if ch == _ZWJ and before and after and _is_emoji(before) and _is_emoji(after):
        return None
    if ch == _ZWNJ and before and after and _joins(before) and _joins(after):
        return None
    cp = ord(ch)
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(cp, "")
    category = unicodedata.category(ch)
    label = f"U+{cp:04X}" + (f" {name}" if name else "")
    if ch == "\t":
        return f"{label} in a value", "write a space instead"
    if ch == "\r":
        return f"{label} on its own", "save the file with Unix (LF) or Windows (CRLF) line endings"
    if category in ("Zl", "Zp"):
        return f"{label} (a line break YAML and JavaScript read differently)", "write an ordinary line break, or delete it"
    if cp == 0xFFFD:
        return f"{label} (text damaged by a wrong conversion)", "retype the damaged characters from the source"
    if category == "Co":
        return f"{label} (a private-use character, shown differently on every system)", "write a standard character"
    if category == "Cs" or (cp & 0xFFFE) == 0xFFFE or 0xFDD0 <= cp <= 0xFDEF:
        return f"{label} (not a character)", "delete it"
    if category == "Cf":
        return f"{label} (invisible; it can reorder or hide text)", "delete it"
    return f"{label} (a control character)", "delete it"


def _line_col(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


@dataclass
class Document:
    """A parsed record: plain Python data plus the line where each field path starts."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    text: str = ""
    # Where each value sits in the text: (start line, start column, end line, end column, flow style), 0-based;
    # used by tools that edit a record in place without disturbing its comments and layout.
    spans: dict[Path_, tuple[int, int, int, int, bool]] = field(default_factory=dict)
    key_columns: dict[Path_, int] = field(default_factory=dict)
    problems: list = field(default_factory=list, repr=False)  # YamlErrors found while converting (all reported)

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that exists."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


# Documents parsed from the same bytes, kept for the next load (under `mkdocs serve`, every save reloads all of
# data/, and parsing the unchanged files was a quarter of a save). Each caller gets its own copy of the data.
_parsed: dict[bytes, Document] = {}
_PARSED_MAX = 100_000


def parse(raw: bytes) -> Document:
    """Parse a record file's bytes into a Document, or raise YamlError."""
    key = hashlib.sha256(raw).digest()
    done = _parsed.get(key)
    if done is None:
        done = _parse_checked(raw)
        if len(_parsed) >= _PARSED_MAX:
            _parsed.clear()
        _parsed[key] = done
    return dataclasses.replace(done, data=copy.deepcopy(done.data))


def _parse_checked(raw: bytes) -> Document:
    if len(raw) > MAX_BYTES:
        raise YamlError(f"file is {len(raw)} bytes, more than the {MAX_BYTES} allowed", fix="split or shorten it")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise YamlError("file starts with a byte-order mark (BOM)", 1, "save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(f"not valid UTF-8 (byte {exc.start})", line, "save the file as UTF-8") from None
    raw_bad = list(_raw_problems(text))
    if raw_bad:
        raise _located(raw_bad, text)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlError("file is empty", 1, "add the record's fields, or delete the file")
    doc = _parse_text(text)
    if doc.problems:
        first = doc.problems[0]
        first.problems = doc.problems
        raise first
    return doc


def _raw_problems(text: str):
    for match in _RAW_BAD.finditer(text):
        problem = text_problem(text, match.start())
        if problem:
            yield match.start(), problem


def _located(found: list, text: str) -> YamlError:
    """Text-policy errors for characters written raw in the file, with the field each sits in when the file parses
    with those characters blanked out."""
    blanked = list(text)
    for index, _ in found:
        blanked[index] = " "
    try:
        spans = _parse_text("".join(blanked)).spans
    except YamlError:
        spans = {}
    errors = []
    leaves = _leaves(spans)
    for index, (what, fix) in found[:MAX_REPORTED]:
        line, column = _line_col(text, index)
        errors.append(YamlError(what, line, fix, column, _field_at(leaves, line - 1, column - 1)))
    if len(found) > MAX_REPORTED:
        errors.append(YamlError(f"and {len(found) - MAX_REPORTED} more characters like these", None,
                                "the file may have been saved by a tool that adds them: retype or re-save it"))
    errors[0].problems = errors
    return errors[0]


def _leaves(spans: dict) -> dict:
    """The spans of scalar values: paths no other path extends."""
    parents = {path[:-1] for path in spans if path}
    return {path: span for path, span in spans.items() if path not in parents}


def _field_at(leaves: dict, line: int, column: int) -> Path_ | None:
    """The field whose scalar value spans (line, column), 0-based; None in a comment or a key."""
    for path, (l0, c0, l1, c1, _) in leaves.items():
        if (l0, c0) <= (line, column) < (l1, c1) or (l0, c0) == (line, column):
            return path
    return None


def _parse_text(text: str) -> Document:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        bad_line = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
        fix = "indent with spaces, never tabs" if "\t" in bad_line else "fix the YAML syntax (indentation, colons, quotes)"
        raise YamlError(f"YAML syntax error: {problem}", line, fix) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}", None, "fix the YAML syntax") from None
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode):
        raise YamlError("the top level must be a mapping of field: value", node.start_mark.line + 1 if node else 1,
                        "start each field at the beginning of a line as `name: value`")
    doc = Document(None, text=text)
    doc.data = _convert(node, (), doc, set())
    return doc


def _convert(node: yaml.Node, path: Path_, doc: Document, seen: set[int]) -> Any:
    start, end = node.start_mark, node.end_mark
    doc.lines.setdefault(path, start.line + 1)
    doc.spans[path] = (start.line, start.column, end.line, end.column, bool(getattr(node, "flow_style", False)))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, path, doc)
    if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise YamlError(f"unsupported YAML tag {node.tag}", start.line + 1, "remove the tag")
    # An alias is the same node object met twice; refusing it also defuses "billion laughs" bombs.
    if id(node) in seen:
        raise YamlError("YAML anchors and aliases (&name, *name) are not allowed", start.line + 1,
                        "write the value out in full")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError("YAML merge keys (<<) are not allowed", key_node.start_mark.line + 1,
                                "write the fields out in full")
            key = _scalar(key_node, path, doc) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise YamlError("every key must be a plain name", key_node.start_mark.line + 1,
                                "write keys as plain words, e.g. `title:`")
            if key in out:
                raise YamlError(f"duplicate key '{key}' (first at line {doc.lines[path + (key,)]})",
                                key_node.start_mark.line + 1, "keep one of them; YAML would silently drop the first")
            here = path + (key,)
            doc.lines[here] = key_node.start_mark.line + 1
            doc.key_columns[here] = key_node.start_mark.column
            out[key] = _convert(value_node, here, doc, seen)
        return out
    return [_convert(item, path + (i,), doc, seen) for i, item in enumerate(node.value)]


_STR, _TIMESTAMP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"
_INT, _FLOAT, _BOOL, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null"))
_DECIMAL = re.compile(r"0|-?[1-9][0-9]{0,17}")  # 18 digits: beyond any count, and far from int() limits
_DECIMAL_FRACTION = re.compile(r"-?(0|[1-9][0-9]{0,17})\.[0-9]{1,18}")


def _scalar(node: yaml.ScalarNode, path: Path_, doc: Document) -> Any:
    value = node.value
    if node.tag == _STR or node.tag == _TIMESTAMP:
        # Strings are most values: their node value is the string (what PyYAML's constructor would return).
        # Timestamps stay as written; the schema checks their form.
        if _VALUE_BAD.search(value):
            _value_problems(node, path, doc)
        return value
    line = node.start_mark.line + 1
    quote = f'write it in quotes: "{value}"'
    if node.tag == _NULL and value in ("", "~", "null"):
        return None
    if node.tag == _BOOL and value in ("true", "false"):
        return value == "true"
    if node.tag == _INT and _DECIMAL.fullmatch(value):
        return int(value)
    if node.tag == _FLOAT and _DECIMAL_FRACTION.fullmatch(value):
        return float(value)
    if node.tag == _BOOL:
        what, fix = f"'{value}' is read by YAML as the boolean {str(value.lower() in ('y', 'yes', 'on', 'true')).lower()}", \
            f"{quote} if it is text; write true or false if it is a yes/no answer"
    elif node.tag == _NULL:
        what, fix = f"'{value}' is read by YAML as empty", f"{quote} if it is text; write null for no value"
    elif node.tag == _INT and re.fullmatch(r"0[0-9_]+", value):
        what, fix = (f"'{value}' has a leading zero (YAML reads it as the octal number {int(value.replace('_', ''), 8)})"
                     if re.fullmatch(r"0[0-7_]+", value) else f"'{value}' has a leading zero"), \
            f"write {value.lstrip('0_') or '0'}, or {quote} if it is an identifier"
    elif ":" in value:
        what, fix = f"'{value}' is read by YAML as a base-60 number", quote
    elif node.tag in (_INT, _FLOAT):
        what, fix = f"'{value}' is not a plain decimal number", f"write the number in plain digits, e.g. 15 or 2.5, or {quote}"
    else:
        raise YamlError(f"unsupported YAML tag {node.tag}", line, "remove the tag", node.start_mark.column + 1, path)
    doc.problems.append(YamlError(what, line, fix, node.start_mark.column + 1, path))
    return value


def _value_problems(node: yaml.ScalarNode, path: Path_, doc: Document) -> None:
    """Text-policy errors in one string value: located exactly when the character is written raw in the file (a tab
    inside a value), at the value's start when it comes from a YAML escape ("\\u202e")."""
    value, text = node.value, doc.text
    start, end = node.start_mark.index, node.end_mark.index
    after: dict[str, int] = {}  # where to look for the next raw occurrence of each character
    for match in _VALUE_BAD.finditer(value):
        problem = text_problem(value, match.start())
        if not problem or len(doc.problems) >= MAX_REPORTED:
            continue
        what, fix = problem
        raw = text.find(match.group(), after.get(match.group(), start), end)
        after[match.group()] = raw + 1
        if raw >= 0:
            line, column = _line_col(text, raw)
        else:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
            what += ", written as an escape"
        doc.problems.append(YamlError(what, line, fix, column, path))


def read(path: Path) -> Document:
    """Read and parse one file."""
    return parse(path.read_bytes())
