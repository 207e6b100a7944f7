"""Validate parsed records against the JSON Schema files in schema/ — the one place the data model is defined.

Reads: schema/*.schema.json. Writes: nothing.
Implements the subset of JSON Schema (2020-12) those files use — type, enum, properties, required,
additionalProperties, propertyNames, items, minItems, maxItems, uniqueItems, minLength, pattern, minimum, maximum,
anyOf, $ref — plus annotations of ours: `format: date` (a real calendar date from 1990, not in the future),
`format: partial-date` (from 1990 to ten years ahead), `x-ref` (the ids must name records of that kind; checked by
records.py), `x-placeholders` (the {placeholders} an interface string has: exactly these), `x-fix` (the advice
shown with an error) and `x-unknown-fix` (the advice for a field the object does not know, instead of the list).
Every `pattern` is matched whole (re.fullmatch; each is also written ^…$ for editors): a `$` alone would also match
before a final newline, and let "NCT01234567\n" through as an id.
Linear in the size of the data: uniqueItems compares canonical forms in a set, not each item with every other.
A small interpreter of our own, not a library, because every error must name the field path with its line and say
how to fix it, in words a contributor in GitHub's web editor can act on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"

# Each kind of record: its folder under data/ and its schema file.
KINDS = {
    "studies": "study.schema.json",
    "cell-types": "cell-type.schema.json",
    "routes": "route.schema.json",
    "references": "reference.schema.json",
    "glossary": "glossary-term.schema.json",
    "preclinical": "preclinical.schema.json",
    "articles": "article.schema.json",
    "excluded": "excluded.schema.json",
    "searches": "search.schema.json",
}
STRINGS_SCHEMA = "strings.schema.json"
PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")
FIRST_YEAR, YEARS_AHEAD = 1990, 10  # dates before the first cell-therapy trials in ALS, or far ahead, are typos
MAX_ITEMS = 1000  # any list longer than this (unless its schema says otherwise) is a mistake or an attack

_TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
}


@dataclass(frozen=True)
class Problem:
    """One schema violation: where (field path) and what, with the fix."""

    path: tuple
    message: str
    fix: str


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """Load one schema file from schema/."""
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _resolve(ref: str, current: str) -> tuple[dict, str]:
    file, _, pointer = ref.partition("#")
    file = file or current
    node: Any = load_schema(file)
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node, file


def validate(value: Any, schema_name: str, today: dt.date) -> list[Problem]:
    """Every problem with `value` against the named schema file."""
    return list(_check(value, load_schema(schema_name), schema_name, (), today))


def _type_ok(value: Any, expected: str) -> bool:
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[expected])


def _describe(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"a number ({value})"
    if isinstance(value, float):
        return f"a decimal number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        # A newline or other unprintable character is shown as an escape: the message stays on one line.
        shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in shown)
        return f"the text '{shown}'"
    return "a list" if isinstance(value, list) else "a mapping"


def _check(value: Any, schema: dict, file: str, path: tuple, today: dt.date) -> Iterator[Problem]:
    if "$ref" in schema:
        target, target_file = _resolve(schema["$ref"], file)
        yield from _check(value, target, target_file, path, today)
        # Keywords beside $ref (descriptions, minItems, x-ref) refine the target.
        schema = {k: v for k, v in schema.items() if k != "$ref"}
    fix = schema.get("x-fix", "")

    expected = schema.get("type")
    if expected:
        types = expected if isinstance(expected, list) else [expected]
        if not any(_type_ok(value, t) for t in types):
            want = " or ".join({"object": "a mapping of fields", "array": "a list", "string": "text",
                                "integer": "a whole number", "boolean": "true or false"}.get(t, t) for t in types)
            quote = "text" in want and isinstance(value, (int, float)) and not isinstance(value, bool)
            yield Problem(path, f"expected {want}, found {_describe(value)}",
                          (f'write it in quotes: "{value}"; ' if quote else "") + (fix or f"write {want}"))
            return

    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(str(v) for v in schema["enum"])
        quoted = not isinstance(value, str) and str(value) in schema["enum"]
        yield Problem(path, f"{_describe(value)} is not an allowed value",
                      f'write it in quotes: "{value}"' if quoted else f"use one of: {allowed}")
        return

    if isinstance(value, str):
        if len(value.strip()) < schema.get("minLength", 0):
            yield Problem(path, "is empty", fix or "write the text, or remove the field if it is optional")
            return
        if "pattern" in schema and not _pattern(schema["pattern"]).fullmatch(value):
            yield Problem(path, f"{_describe(value)} is not in the expected form", fix or f"match {schema['pattern']}")
            return
        fmt = schema.get("format")
        if fmt in ("date", "partial-date"):
            yield from _check_date(value, fmt, path, today, fix)
        if "x-placeholders" in schema:
            found, allowed = set(PLACEHOLDER_RE.findall(value)), set(schema["x-placeholders"])
            if found != allowed:
                yield Problem(path, "has placeholders " + (", ".join("{%s}" % p for p in sorted(found)) or "none")
                              + " where the pages fill in " + (", ".join("{%s}" % p for p in sorted(allowed)) or "none"),
                              "write exactly these {placeholders}, spelt as shown")

    if _type_ok(value, "number"):
        if "minimum" in schema and value < schema["minimum"]:
            yield Problem(path, f"{value} is below the minimum {schema['minimum']}",
                          fix or f"use a number of at least {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            yield Problem(path, f"{value} is above the maximum {schema['maximum']}",
                          fix or f"use a number of at most {schema['maximum']}")

    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            yield Problem(path, f"needs at least {schema['minItems']} item(s), found {len(value)}",
                          fix or "add the missing item(s)")
        if len(value) > schema.get("maxItems", MAX_ITEMS):
            yield Problem(path, f"has {len(value)} items, more than the {schema.get('maxItems', MAX_ITEMS)} allowed",
                          "shorten the list")
            return
        if schema.get("uniqueItems"):
            seen: set = set()
            for i, item in enumerate(value):
                key = _canonical(item)
                if key in seen:
                    yield Problem(path + (i,), f"{_describe(item)} is listed twice", "remove the repeat")
                seen.add(key)
        if "items" in schema:
            for i, item in enumerate(value):
                yield from _check(item, schema["items"], file, path + (i,), today)

    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                hint = props.get(name, {}).get("description", "")
                yield Problem(path + (name,), "is required but missing",
                              f"add `{name}:`" + (f" ({hint})" if hint else ""))
        extra = schema.get("additionalProperties", True)
        names = schema.get("propertyNames")
        for key, item in value.items():
            if names and not _pattern(names["pattern"]).fullmatch(key):
                yield Problem(path + (key,), "is not a valid key name", f"match {names['pattern']}")
            if key in props:
                yield from _check(item, props[key], file, path + (key,), today)
            elif extra is False:
                close = [p for p in props if _similar(key, p)]
                yield Problem(path + (key,), "is not a known field",
                              (f"did you mean `{close[0]}`? " if close else "")
                              + (schema.get("x-unknown-fix") or f"known fields: {', '.join(props)}"))
            elif isinstance(extra, dict):
                yield from _check(item, extra, file, path + (key,), today)

    if "anyOf" in schema and not any(
        not list(_check(value, sub, file, path, today)) for sub in schema["anyOf"]
    ):
        yield Problem(path, "does not satisfy any allowed form", fix or "see the schema")


def _check_date(value: str, fmt: str, path: tuple, today: dt.date, fix: str) -> Iterator[Problem]:
    parts = [int(p) for p in value.split("-")]
    try:
        date = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        yield Problem(path, f"'{value}' is not a real calendar date", fix)
        return
    if date.year < FIRST_YEAR:
        yield Problem(path, f"'{value}' is before {FIRST_YEAR}", "check the year against the source")
    elif fmt == "date" and date > today:
        yield Problem(path, f"'{value}' is in the future (today is {today.isoformat()})",
                      "use the date the check was actually made")
    elif date.year > today.year + YEARS_AHEAD:
        yield Problem(path, f"'{value}' is more than {YEARS_AHEAD} years ahead", "check the year against the source")


@lru_cache(maxsize=None)
def _pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _canonical(item: Any) -> Any:
    """A hashable form of a parsed YAML value, equal exactly when the values are equal (as `==` compares them)."""
    if isinstance(item, dict):
        return ("map", frozenset((k, _canonical(v)) for k, v in item.items()))
    if isinstance(item, list):
        return ("list", tuple(_canonical(v) for v in item))
    return item


def _similar(a: str, b: str) -> bool:
    """True for near-miss field names (typos, British/American spellings, _ vs -)."""
    a, b = a.lower().replace("-", "_"), b.lower().replace("-", "_")
    if a == b or a.rstrip("s") == b.rstrip("s"):
        return True
    if abs(len(a) - len(b)) > 2:
        return False
    # Levenshtein distance at most 2, enough for typos; the strings are short.
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= 2
