"""The two load-time policies of scripts/yamlio.py, over every string of every file: the text policy (no control,
invisible, reordering or non-characters, written raw or as an escape; each named with line, column, field and code
point) and exact types (YAML 1.1 implicit typing off), plus the schema interpreter's whole-string patterns, date and
count bounds, and linear time."""

from __future__ import annotations

import json
import time

import pytest

from conftest import TODAY
from scripts import schema, yamlio
from scripts.records import load_site


def problems(text: str) -> list[tuple]:
    try:
        yamlio.parse(text.encode("utf-8"))
    except yamlio.YamlError as exc:
        return [(p.line, p.column, p.path, p.message, p.fix) for p in exc.problems]
    return []


@pytest.mark.parametrize("char", [
    "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x85", "\x9f",  # C0 and C1 controls
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",  # embeddings, isolates
    "\u200e", "\u200f", "\u061c",  # bidi marks
    "\u200b", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u2062", "\U000e0041",  # invisible
    "\u2028", "\u2029",  # line and paragraph separators
    "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff",  # noncharacters
    "\ue000", "\U000f0001",  # private use
    "\ufffd",  # replacement character
])
@pytest.mark.parametrize("written", ["raw", "escape"])
def test_every_forbidden_character_is_named_with_line_column_and_field(char, written):
    # Raw, many of these stop YAML's own reader with a message that names no line: the policy must name them first.
    value = f"'ab{char}cd'" if written == "raw" else f'"ab\\U{ord(char):08x}cd"'
    found = problems(f"id: x\ntitle:\n  en: {value}\n  zh: 好\n")
    assert found, repr(char)
    line, column, path, message, fix = found[0]
    assert line == 3 and path == ("title", "en"), found
    assert column == (10 if written == "raw" else 7), found
    assert message.startswith(f"U+{ord(char):04X}"), found
    assert fix, found


def test_message_reads_like_the_issue_example(data_dir):
    study = data_dir / "studies" / "nct00000001.yml"
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("Test Sponsor", "Test \u202eSponsor"), encoding="utf-8")
    _, errors = load_site(data_dir, TODAY)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "Test Sponsor" in row)
    assert f"data/studies/nct00000001.yml:{line}:15: sponsor: U+202E RIGHT-TO-LEFT OVERRIDE" in str(errors[0])
    assert str(errors[0]).endswith("(fix: delete it)")


def test_all_forbidden_characters_of_a_file_are_reported_at_once():
    found = problems("a: x\u200by\nb:\n  - 'p\u202eq'\n# comment \u2066 too\n")
    assert [(f[0], f[1], f[2]) for f in found] == [(1, 5, ("a",)), (3, 7, ("b", 0)), (4, 11, None)]


def test_keys_are_checked_too():
    assert problems("ti\u200btle: x\n")[0][:2] == (1, 3)


def test_tab_and_carriage_return_only_as_layout():
    assert problems("a: x\r\nb: y\r\n") == []
    assert problems("a: x   \t# comment\n") == []
    assert "TABULATION" in problems("a: 'x\ty'\n")[0][3]
    assert "TABULATION" in problems('a: "x\\ty"\n')[0][3]
    assert "CARRIAGE RETURN" in problems("a: x\ry\n")[0][3]


def test_zero_width_joiners_only_where_a_script_needs_them():
    assert problems("a: '👩\u200d🔬 scientist'\n") == []  # emoji sequence
    assert problems("a: 'می\u200cخواهم'\n") == []  # Persian
    assert "ZERO WIDTH JOINER" in problems("a: 'ab\u200dcd'\n")[0][3]
    assert "ZERO WIDTH NON-JOINER" in problems("a: '干\u200c细胞'\n")[0][3]
    assert problems("a: '\u200d'\n")


def test_real_text_passes():
    assert problems("a: 'Ünïcödé — “quotes” · 间充质干细胞 ・ NBSP\u00a0and ideographic\u3000space ✓ 🇨🇳'\n") == []


# --- exact types --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("plain, expected", [
    ("15", 15), ("0", 0), ("-3", -3), ("2.5", 2.5), ("true", True), ("false", False), ("null", None), ("~", None),
    ("", None), ("2024-01-01", "2024-01-01"), ("NCT00000001", "NCT00000001"), ("1e5", "1e5"), ("09", "09"),
    ("0o17", "0o17"),
])
def test_plain_scalars_that_mean_one_thing(plain, expected):
    value = yamlio.parse(f"a: {plain}\n".encode()).data["a"]
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("plain, message, fix", [
    ("015", "'015' has a leading zero (YAML reads it as the octal number 13)", 'write 15, or write it in quotes: "015"'),
    ("1:05", "'1:05' is read by YAML as a base-60 number", 'write it in quotes: "1:05"'),
    ("NO", "'NO' is read by YAML as the boolean false", 'write it in quotes: "NO"'),
    ("yes", "'yes' is read by YAML as the boolean true", 'write it in quotes: "yes"'),
    ("off", "'off' is read by YAML as the boolean false", "write true or false"),
    ("True", "'True' is read by YAML as the boolean true", 'write it in quotes: "True"'),
    ("y", None, None), ("n", None, None), ("On", None, None),
    (".inf", "'.inf' is not a plain decimal number", 'write it in quotes: ".inf"'),
    ("-.inf", "is not a plain decimal number", None), (".nan", "is not a plain decimal number", None),
    ("0x1f", "is not a plain decimal number", None), ("0_17", "has a leading zero", None), ("1_000", None, None),
    ("+5", None, None), ("-0", None, None), ("NULL", "read by YAML as empty", None),
    ("1" * 30, "is not a plain decimal number", None),
])
def test_yaml_1_1_surprises_are_errors_that_say_to_quote(plain, message, fix):
    found = problems(f"a: {plain}\n")
    if plain in ("y", "n"):  # PyYAML's resolver reads these as text already
        assert found == []
        return
    assert found, plain
    assert found[0][:3] == (1, 4, ("a",))
    if message:
        assert message in found[0][3]
    if fix:
        assert fix in found[0][4]


def test_quoted_values_are_always_text():
    assert yamlio.parse(b"a: '015'\nb: \"NO\"\nc: '1:05'\n").data == {"a": "015", "b": "NO", "c": "1:05"}


def test_country_no_needs_quotes(data_dir):
    study = data_dir / "studies" / "nct00000001.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("countries: [CN, US]", "countries: [CN, NO]"),
                     encoding="utf-8")
    _, errors = load_site(data_dir, TODAY)
    assert any("countries[1]: 'NO' is read by YAML as the boolean false" in str(e) and 'write it in quotes: "NO"'
               in str(e) for e in errors), errors


@pytest.mark.parametrize("field, value", [
    ("registry_ids", ['NCT00000001\n']), ("status_checked", "2024-03-01\n"), ("start", "2019\n"),
    ("status_checked", "\n2024-03-01"),
])
def test_patterns_match_the_whole_string(field, value):
    data = {field: value}
    spec = schema.load_schema("study.schema.json")["properties"][field]
    assert list(schema._check(data[field], spec, "study.schema.json", (field,), TODAY)), (field, value)


def test_every_schema_pattern_is_anchored():
    for name in [*schema.KINDS.values(), "common.schema.json", schema.STRINGS_SCHEMA]:
        text = (schema.SCHEMA_DIR / name).read_text(encoding="utf-8")

        def walk(node):
            if isinstance(node, dict):
                if isinstance(node.get("pattern"), str):
                    yield node["pattern"]
                for v in node.values():
                    yield from walk(v)
            elif isinstance(node, list):
                for v in node:
                    yield from walk(v)
        for pattern in walk(json.loads(text)):
            assert pattern.startswith("^") and pattern.endswith("$"), (name, pattern)


@pytest.mark.parametrize("field, value, message", [
    ("completion", "9999", "'9999' is more than 10 years ahead"),
    ("start", "1899-01", "'1899-01' is before 1990"),
    ("status_checked", "1989-12-31", "is before 1990"),
    ("enrolled", 10 ** 7, "above the maximum 100000"),
    ("administrations", 5000, "above the maximum 1000"),
    ("sources", [f"https://example.org/{i}" for i in range(1001)], "has 1001 items, more than the 1000 allowed"),
])
def test_dates_counts_and_lists_are_bounded(field, value, message):
    spec = schema.load_schema("study.schema.json")["properties"][field]
    found = [p.message for p in schema._check(value, spec, "study.schema.json", (field,), TODAY)]
    assert any(message in m for m in found), found


def test_partial_dates_up_to_ten_years_ahead_are_accepted():
    spec = schema.load_schema("study.schema.json")["properties"]["completion"]
    assert not list(schema._check(str(TODAY.year + 10), spec, "study.schema.json", ("completion",), TODAY))


# What the "linear" and "quickly" tests allow. The inputs are sized so that a quadratic check takes minutes (a plain
# pairwise comparison of the 50,000 strings below, 43 s on this project's machine kind), while the linear ones take
# 0.05–0.4 s; a bound of 2 s left too little room for a shared machine that runs twice as slow under load.
LINEAR_S = 10


def test_duplicate_check_is_linear():
    spec = {"type": "array", "uniqueItems": True, "maxItems": 100_000, "items": {"type": "string"}}
    items = [f"item-{i}" for i in range(50_000)] + ["item-7"]
    started = time.perf_counter()
    found = list(schema._check(items, spec, "x", ("list",), TODAY))
    assert time.perf_counter() - started < LINEAR_S
    assert [p.path for p in found] == [("list", 50_000)]
    records = [{"a": i, "b": [i, {"c": str(i)}]} for i in range(50_000)] + [{"b": [3, {"c": "3"}], "a": 3}]
    spec = {"type": "array", "uniqueItems": True, "maxItems": 100_000}
    started = time.perf_counter()
    assert [p.path for p in schema._check(records, spec, "x", ("list",), TODAY)] == [("list", 50_000)]
    assert time.perf_counter() - started < LINEAR_S


def test_validator_is_linear_on_a_file_of_50000_list_items(data_dir):
    study = data_dir / "studies" / "nct00000001.yml"
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("countries: [CN, US]", "countries: [" + "CN, " * 50_000 + "US]"), encoding="utf-8")
    started = time.perf_counter()
    _, errors = load_site(data_dir, TODAY)
    assert time.perf_counter() - started < LINEAR_S
    assert any("countries: has 50001 items, more than the 1000 allowed" in str(e) for e in errors), errors[:3]


def test_a_file_full_of_forbidden_characters_is_reported_quickly_and_briefly():
    started = time.perf_counter()
    found = problems("".join(f"k{i}: 'a\u200bb\u200bc'\n" for i in range(10_000)))
    assert time.perf_counter() - started < LINEAR_S
    assert len(found) == yamlio.MAX_REPORTED + 1 and found[-1][3] == "and 19950 more characters like these"
    assert found[1][:3] == (1, 9, ("k0",))  # the second of one value's characters, at its own column


# --- property tests: any input gives a Document or YamlErrors, and any value gives Problems, never an exception --

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_PIECES = ["a: ", "- ", "\n", "  ", "b:\n  c: ", "[", "]", "{", "}", ",", "x", "1", "015", "1:05", "NO", ".inf", "~",
           "&x ", "*x", "<<: ", "!!str ", "!!python/name:os.system ", "? ", "'", '"', "\\", "\t", "\x0c", "\u202e",
           "\u200b", "\ufffe", "\\u202e", "\\x7f", "#", "|\n  ", ">-\n  ", "---\n", "...\n", "%YAML 1.1\n", "间"]
_QUICK = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))


@_QUICK
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join) | st.binary(max_size=300))
def test_any_bytes_give_a_document_or_yaml_errors(raw):
    raw = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    try:
        doc = yamlio.parse(raw)
    except yamlio.YamlError as exc:
        assert all(p.message and "\n" not in p.message for p in exc.problems)
    else:
        assert isinstance(doc.data, dict)


_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-10 ** 20, 10 ** 20) | st.floats()
                       | st.text(max_size=20),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                       max_leaves=10)
_FIELDS = ["title", "registry_ids", "start", "completion", "status_checked", "enrolled", "sections", "term",
           "countries", "date", "en", "zh", "sources", "changes", "uncertain", "pending"]


@_QUICK
@given(st.sampled_from([*schema.KINDS.values(), schema.STRINGS_SCHEMA]),
       st.dictionaries(st.sampled_from(_FIELDS) | st.text(max_size=6), _VALUES, max_size=6))
def test_any_value_gives_problems_not_an_exception(name, data):
    for problem in schema.validate(data, name, TODAY):
        assert problem.message and problem.fix is not None


def test_parsing_the_same_bytes_again_gives_an_independent_copy():
    raw = b"# header\nname:\n  en: MSC\n  zh: \xe9\x97\xb4\xe5\x85\x85\xe8\xb4\xa8\nlist: [a, b]\n"
    first = yamlio.parse(raw)
    first.data["name"]["en"] = "changed"
    first.data["list"].append("c")
    again = yamlio.parse(raw)
    assert again.data == {"name": {"en": "MSC", "zh": "间充质"}, "list": ["a", "b"]}
    assert again.line_of(("list",)) == 5
    with pytest.raises(yamlio.YamlError):
        yamlio.parse(b"a: 015\n")  # a failed parse is never kept: the same bytes fail the same way again
    with pytest.raises(yamlio.YamlError):
        yamlio.parse(b"a: 015\n")
