"""Fuzzer (issue #15, item 7): property-based mutations of real records, with a fixed seed and a time budget.

1. The validator, on the real data/ with one real record mutated (a character inserted, a YAML token inserted, a
   value replaced by hostile text or by a value of another type, a line duplicated or dropped): it exits 0 or 1,
   every message names a file, and nothing is an internal error or a traceback.
2. A real `mkdocs build --strict` of the fixture site with hostile text written into the fields that reach titles,
   tables, navigation, feeds, the search index and inline JSON (re-stamped, so that most builds pass validation):
   either the build succeeds and no page holds anything executable or layout-breaking that came from the data
   (checked on the HTML), or it fails and docs/ and site/ are as they were.

Seeded (derandomize=True: the same examples on every run, no example database) and bounded in time: FUZZ_SECONDS
(default 150) is shared between the two, a third for the validator; each measures one run first and takes as
many examples as fit. A failing example is printed by Hypothesis; reproduce it by running this file again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from conftest import FIXTURE_DATA, ROOT, copy_project, mkdocs_build, snapshot
from scripts import validate, yamlio
from scripts.translations import stamp_text

pytestmark = pytest.mark.slow

BUDGET = float(os.environ.get("FUZZ_SECONDS", "150"))
VALIDATOR_SECONDS, BUILD_SECONDS = BUDGET / 3, BUDGET * 2 / 3
MARK = "qzxq"  # in every hostile text: whatever carries it in the HTML came from the data
REAL = sorted(p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").glob("*/*.yml")
              if p.parent.name != "strings")


def fuzz_settings(seconds: float, per_example: float, shrink: bool = True) -> settings:
    """Seeded settings with as many examples as fit in `seconds` at `per_example` seconds each (measured on this
    machine first: Hypothesis needs the same example count from start to end, so the budget sets it)."""
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])
    return settings(derandomize=True, database=None, deadline=None, phases=phases,
                    max_examples=max(5, int(seconds / max(per_example, 1e-3))), suppress_health_check=list(HealthCheck))

# Characters and tokens that have meant trouble somewhere between YAML and HTML.
HOSTILE_CHARS = list("<>&\"'`\\|*_[]{}()#!:;-+=~^%$@/\n\t ") + [
    "\x00", "\x07", "\x0c", "\x7f", "\x85", "\u00ad", "\u200b", "\u200d", "\u202e", "\u2066", "\u2028", "\u2029",
    "\ufeff", "\ufffd", "\ufffe", "\ue000", "\U0001f600", "间", "é"]
HOSTILE_TOKENS = ["<script>", "</script>", "<!--", "-->", "]]>", "<img src=x onerror=", "javascript:", "&amp;",
                  "&lt;", "{{ config }}", "{% raw %}", "[[study:nct00000001]]", "[x](javascript:y)", "| a | b |",
                  "\n- ", "\n\n", "# ", "{: .x }", "{ #id }", "*a*", "`b`", "\\", "015", "1:05", "NO", ".inf", "~",
                  "&anchor ", "*alias", "<<: ", "!!python/object:os.system ", "? ", "'", '"', "\t", "\n  "]
hostile_text = st.lists(st.sampled_from(HOSTILE_CHARS) | st.sampled_from(HOSTILE_TOKENS)
                        | st.text("qzxk", min_size=1, max_size=4), max_size=12).map("".join)
values = st.recursive(st.none() | st.booleans() | st.integers(-10 ** 20, 10 ** 20)
                      | st.floats(allow_nan=True, allow_infinity=True) | hostile_text,
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=2),
                      max_leaves=5)


def _paths(data, path=()):
    """Every path to a value in parsed YAML data."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, path + (i,))


def _set(data, path, value):
    if not path:
        return value
    data[path[0]] = _set(data[path[0]], path[1:], value)
    return data


@st.composite
def mutations(draw, originals: dict[str, str]) -> tuple[str, bytes]:
    """(file under data/, its mutated bytes)."""
    name = draw(st.sampled_from(REAL))
    text = originals[name]
    kind = draw(st.sampled_from(["char", "token", "value", "line"]))
    if kind in ("char", "token"):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(HOSTILE_CHARS) if kind == "char" else st.sampled_from(HOSTILE_TOKENS))
        return name, (text[:at] + piece + text[at:]).encode("utf-8")
    if kind == "line":
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        lines[i:i + 1] = draw(st.sampled_from([[], [lines[i], lines[i]], [lines[i][: len(lines[i]) // 2]]]))
        return name, "\n".join(lines).encode("utf-8")
    data = yaml.safe_load(text)
    path = draw(st.sampled_from(list(_paths(data))[1:] or [()]))
    data = _set(data, path, draw(values))
    header = text.split("\n", 1)[0]
    return name, (header + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)).encode("utf-8")


@pytest.fixture(scope="module")
def real_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("fuzz-real") / "data"
    shutil.copytree(ROOT / "data", data)
    return data


def test_validator_on_mutated_real_records(real_data, capsys):
    originals = {name: (real_data / name).read_text(encoding="utf-8") for name in REAL}
    assert validate.main(["--data", str(real_data)]) == 0, capsys.readouterr().err[-2000:]  # warm: schemas, caches
    started = time.monotonic()
    validate.main(["--data", str(real_data)])
    per_example = (time.monotonic() - started) * 1.3  # and the drawing and writing
    capsys.readouterr()
    seen = {"examples": 0, "rejected": 0}

    @fuzz_settings(VALIDATOR_SECONDS, per_example)
    @given(mutations(originals))
    def check(mutation):
        name, raw = mutation
        target = real_data / name
        target.write_bytes(raw)
        try:
            status = validate.main(["--data", str(real_data)])
        finally:
            target.write_text(originals[name], encoding="utf-8")
        out = capsys.readouterr()
        seen["examples"] += 1
        seen["rejected"] += status == 1
        assert status in (0, 1)
        assert "Traceback" not in out.err + out.out and "internal error" not in out.err, out.err[-2000:]
        lines = out.err.strip().splitlines()
        if status == 1:
            assert lines and all(line.startswith("data/") for line in lines[:-1]), lines[:5]
            assert "problem(s) in" in lines[-1]

    check()
    print(f"validator fuzz: {seen['examples']} mutations, {seen['rejected']} rejected")
    assert seen["examples"] >= 5, seen


# --- builds -----------------------------------------------------------------------------------------------------

# Fields of the fixture records that reach titles, navigation, tables, feeds, the search index or inline JSON.
TARGETS = [
    ("studies/nct00000001.yml", ("title",)), ("studies/nct00000001.yml", ("lay_summary",)),
    ("studies/nct00000001.yml", ("sponsor",)), ("studies/nct00000001.yml", ("product",)),
    ("studies/nct00000001.yml", ("findings",)), ("studies/test-2010-series.yml", ("title",)),
    ("cell-types/msc-umbilical-cord.yml", ("name",)), ("cell-types/msc-umbilical-cord.yml", ("summary",)),
    ("routes/intrathecal.yml", ("name",)), ("references/test-2022-trial.yml", ("title",)),
    ("references/test-2022-trial.yml", ("authors",)), ("glossary/mesenchymal-stem-cell.yml", ("definition",)),
    ("glossary/mesenchymal-stem-cell.yml", ("term",)), ("articles/what-is-proven.yml", ("sections", 0, "heading")),
    ("articles/what-is-proven.yml", ("summary",)), ("preclinical/test-2005-sod1-rats.yml", ("title",)),
]
# Text a contributor could type: hostile for Markdown and HTML, but without what validation rejects anyway
# (digits, number words) so that most builds pass it and reach the HTML.
build_text = st.lists(st.sampled_from([c for c in HOSTILE_CHARS if c.isprintable() or c in "\n"])
                      | st.sampled_from([t for t in HOSTILE_TOKENS if not any(ch.isdigit() for ch in t)])
                      | st.text("qzxk", min_size=1, max_size=3), min_size=1, max_size=10).map(lambda parts: MARK + "".join(parts))


class _Page(HTMLParser):
    """What a page holds that data could have injected."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.script: dict | None = None
        self.scripts: list[tuple[dict, str]] = []
        self.tables: list[list[int]] = []
        self.row = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if MARK in tag or any(MARK in name for name in attrs):
            self.problems.append(f"tag or attribute from data: <{tag} {attrs}>")
        for name, value in attrs.items():
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in ("href", "src", "action", "formaction") and value.startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{name}={value[:40]} on <{tag}>")
        if tag == "script":
            self.script = attrs
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append(0)
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self.tables[-1][-1] += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self.script = None

    def handle_data(self, data):
        if self.script is not None:
            self.scripts.append((self.script, data))

    def handle_comment(self, data):
        if MARK in data:
            self.problems.append("data became an HTML comment")


def html_problems(site: Path, studies: int) -> list[str]:
    problems = []
    for path in site.rglob("*.html"):
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        where = path.relative_to(site).as_posix()
        problems += [f"{where}: {p}" for p in page.problems]
        for attrs, content in page.scripts:
            if MARK in content and attrs.get("type") != "application/json":
                problems.append(f"{where}: data inside an executable script")
            if attrs.get("type") == "application/json":
                try:
                    parsed = json.loads(content)
                except ValueError:
                    problems.append(f"{where}: inline JSON #{attrs.get('id')} does not parse")
                    continue
                if attrs.get("id") == "atlas-studies" and len(parsed["rows"]) != studies:
                    problems.append(f"{where}: the studies table lost rows")
        for rows in page.tables:
            if rows and any(n != rows[0] for n in rows):
                problems.append(f"{where}: table rows with {sorted(set(rows))} cells")
    return problems


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("fuzz-build") / "p", FIXTURE_DATA)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert html_problems(project / "site", 2) == []  # the checks hold on the clean site
    return project


def test_builds_with_hostile_text_are_inert_or_fail_cleanly(project):
    data = project / "data"
    originals = {name: (data / name).read_text(encoding="utf-8") for name, _ in TARGETS}
    started = time.monotonic()
    assert mkdocs_build(project).returncode == 0
    per_build = (time.monotonic() - started) * 1.2  # and two snapshots of the site
    seen = {"builds": 0, "failed": 0}
    reasons: Counter = Counter()  # why builds failed: printed, to see what the fuzzer explores

    # No shrinking: each step would be a build; the failing example is printed as found.
    @fuzz_settings(BUILD_SECONDS, per_build, shrink=False)
    @given(st.lists(st.tuples(st.sampled_from(TARGETS), build_text, st.booleans()), min_size=1, max_size=6))
    def check(edits):
        for name, text in originals.items():
            (data / name).write_text(text, encoding="utf-8")
        for (name, path), text, both in edits:
            record = yaml.safe_load((data / name).read_text(encoding="utf-8"))
            node = record
            for part in path[:-1]:
                node = node[part]
            if isinstance(node[path[-1]], dict):  # a prose field: the same text in both languages, or only one
                node[path[-1]]["en"] = text
                if both:
                    node[path[-1]]["zh"] = text
            else:
                node[path[-1]] = text
            header = originals[name].split("\n", 1)[0]
            dumped = header + "\n" + yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10_000)
            try:
                dumped = stamp_text(dumped)[0]
            except yamlio.YamlError:
                pass  # text the loader refuses (a tab, a control character): the build must refuse it too
            (data / name).write_text(dumped, encoding="utf-8")
        before = snapshot(project)
        result = mkdocs_build(project)
        seen["builds"] += 1
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        if result.returncode != 0:
            seen["failed"] += 1
            reasons.update(re.sub(r"^[^:]*:[0-9:]*:? ?(\S+: )?", "", line)[:60] for line in result.stderr.splitlines()
                           if line.startswith("data/"))
            assert snapshot(project) == before, "a failed build changed docs/ or site/"
            return
        assert html_problems(project / "site", 2) == [], edits

    check()
    print(f"build fuzz: {seen['builds']} builds, {seen['failed']} failed; reasons: {reasons.most_common(8)}")
    assert seen["builds"] >= 5, seen
