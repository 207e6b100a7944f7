"""Writing generated pages: only what changed, stale files removed, nothing written when data is invalid."""

from __future__ import annotations

import subprocess
import sys

from conftest import TODAY, copy_project, fixture_data
from scripts.generate import generate


def _project(tmp_path):
    return copy_project(tmp_path / "p", fixture_data(tmp_path))


def _snapshot(docs):
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}


def test_second_run_writes_nothing(tmp_path):
    project = _project(tmp_path)
    first = generate(project, today=TODAY)
    assert not first.errors and first.written
    again = generate(project, today=TODAY)
    assert again.written == [] and again.removed == [] and again.unchanged == len(first.written)


def test_stale_generated_files_are_removed_and_hand_written_pages_kept(tmp_path):
    project = _project(tmp_path)
    generate(project, today=TODAY)
    (project / "data" / "studies" / "test-2010-series.yml").unlink()
    outcome = generate(project, today=TODAY)
    assert sorted(outcome.removed) == ["en/studies/test-2010-series.md", "zh/studies/test-2010-series.md"]
    assert (project / "docs" / "en" / "index.md").is_file()
    assert (project / "docs" / "zh" / "about.md").is_file()


def test_invalid_data_writes_nothing(tmp_path):
    project = _project(tmp_path)
    generate(project, today=TODAY)
    before = _snapshot(project / "docs")
    study = project / "data" / "studies" / "nct00000001.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("enrolled: 48", "enrolled: -1"), encoding="utf-8")
    (project / "data" / "studies" / "test-2010-series.yml").unlink()  # would otherwise remove pages
    outcome = generate(project, today=TODAY)
    assert outcome.errors and not outcome.written and not outcome.removed
    assert _snapshot(project / "docs") == before


def test_cli_reports_errors_and_exits_1(tmp_path):
    project = _project(tmp_path)
    study = project / "data" / "studies" / "nct00000001.yml"
    study.write_text(study.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "scripts.generate"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 1
    line = len(study.read_text(encoding="utf-8").splitlines())
    assert f"data/studies/nct00000001.yml:{line}: colour: is not a known field" in result.stderr
    assert "nothing was written" in result.stderr
    assert not (project / "docs" / "en" / "studies").exists()


def test_check_mode_reports_out_of_date_pages(tmp_path):
    project = _project(tmp_path)
    run = lambda *a: subprocess.run([sys.executable, "-m", "scripts.generate", *a], cwd=project,
                                    capture_output=True, text=True)
    assert run("--check").returncode == 1
    assert run().returncode == 0
    assert run("--check").returncode == 0
