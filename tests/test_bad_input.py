"""The bad-input corpus (tests/bad-input/cases.yml): every broken file is rejected with a message that names the
file, the field and the line, and a real `mkdocs build` fails without touching the site or the generated pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE_DATA, TODAY, copy_project, fixture_data, mkdocs_build, snapshot
from scripts.records import load_site

CORPUS = Path(__file__).parent / "bad-input"
CASES = yaml.safe_load((CORPUS / "cases.yml").read_text(encoding="utf-8"))
HUGE = {"file": None, "target": "studies/nct00000002.yml", "expect": "data/studies/nct00000002.yml: file is 300008 bytes"}


def place(data: Path, case: dict) -> Path:
    target = data / case["target"]
    if case["file"] is None:
        target.write_bytes(b"title: " + b"x" * 300_000 + b"\n")
    else:
        shutil.copyfile(CORPUS / case["file"], target)
    return target


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert sorted(c["file"] for c in CASES) == sorted(p.name for p in CORPUS.glob("*.yml") if p.name != "cases.yml")


@pytest.mark.parametrize("case", CASES + [HUGE], ids=[c["file"] for c in CASES] + ["huge-file"])
def test_each_case_is_rejected_with_its_message(tmp_path, case):
    data = fixture_data(tmp_path)
    place(data, case)
    _, errors = load_site(data, TODAY)
    messages = [str(e) for e in errors]
    assert any(case["expect"] in m for m in messages), "\n".join(messages)
    assert all("(fix: " in m for m in messages), messages


@pytest.mark.slow
def test_each_case_fails_the_build_and_changes_nothing(tmp_path):
    project = copy_project(tmp_path / "p", FIXTURE_DATA)
    assert mkdocs_build(project).returncode == 0


    before = snapshot(project)
    failures = []
    for case in CASES + [HUGE]:
        target = project / "data" / case["target"]
        original = target.read_bytes() if target.exists() else None
        place(project / "data", case)
        result = mkdocs_build(project)
        if result.returncode == 0 or case["expect"] not in result.stderr or "Traceback" in result.stderr:
            failures.append(f"{case['file']}: rc={result.returncode} {result.stderr[-300:]}")
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)
        if snapshot(project) != before:
            failures.append(f"{case['file']}: site or docs changed")
            before = snapshot(project)
    assert failures == [], "\n".join(failures)
