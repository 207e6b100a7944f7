"""Writing generated pages: only what changed, stale files removed, nothing written when data is invalid."""

from __future__ import annotations

import subprocess
import sys

import pytest

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


def test_cache_key_is_the_content_not_size_and_time(tmp_path):
    """An edit that keeps a file's size and modification time still regenerates (and is validated)."""
    import os

    project = _project(tmp_path)
    assert not generate(project, today=TODAY).errors
    study = project / "data" / "studies" / "nct00000001.yml"
    before = study.stat()
    text = study.read_text(encoding="utf-8")
    assert "enrolled: 48" in text
    study.write_text(text.replace("enrolled: 48", "enrolled: -1"), encoding="utf-8")  # same size
    os.utime(study, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert study.stat().st_size == before.st_size and study.stat().st_mtime_ns == before.st_mtime_ns
    outcome = generate(project, today=TODAY)
    assert any("enrolled" in str(e) for e in outcome.errors)


def test_entries_that_are_not_records_are_reported_by_build_and_validator_alike(tmp_path):
    """A backup file, a directory, a FIFO and a dangling symlink named like records: each one message, the same
    from the validator and from generation, and nothing blocks (a FIFO read would)."""
    import os

    project = _project(tmp_path)
    assert not generate(project, today=TODAY).errors
    studies = project / "data" / "studies"
    (studies / "nct00000001.yml~").write_bytes((studies / "nct00000001.yml").read_bytes())
    (studies / "folder-study.yml").mkdir()
    os.mkfifo(studies / "fifo-study.yml")
    (studies / "gone-study.yml").symlink_to(studies / "does-not-exist.yml")
    before = _snapshot(project / "docs")
    outcome = generate(project, today=TODAY)
    validator = subprocess.run([sys.executable, "-m", "scripts.validate", "--data", str(project / "data")],
                               cwd=project, capture_output=True, text=True, timeout=60)
    assert validator.returncode == 1
    for name in ("nct00000001.yml~", "folder-study.yml", "fifo-study.yml", "gone-study.yml"):
        messages = [str(e) for e in outcome.errors if e.file == f"data/studies/{name}"]
        assert len(messages) == 1, (name, outcome.errors)
        assert messages[0] in validator.stderr
    assert _snapshot(project / "docs") == before
    # The cache key is computed from the same tree without reading the FIFO either.
    assert generate(project, today=TODAY).errors


def test_staged_generation_leaves_docs_untouched_until_commit(tmp_path):
    from scripts.generate import commit, discard

    project = _project(tmp_path)
    assert not generate(project, today=TODAY).errors
    before = _snapshot(project / "docs")
    study = project / "data" / "studies" / "nct00000001.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("enrolled: 48", "enrolled: 49"), encoding="utf-8")
    staged = generate(project, today=TODAY, staged=True)
    assert staged.written and staged.stage is not None
    assert _snapshot(project / "docs") == before
    # The staging folder is a whole docs/ tree (hand-written pages included) to build from.
    assert (staged.stage / "en" / "index.md").read_bytes() == before["en/index.md"]
    assert b"49" in (staged.stage / "en" / "studies" / "nct00000001.md").read_bytes()
    discard(project, staged)
    assert _snapshot(project / "docs") == before and not staged.stage
    staged = generate(project, today=TODAY, staged=True)
    commit(project, staged)
    after = _snapshot(project / "docs")
    assert after["en/studies/nct00000001.md"] != before["en/studies/nct00000001.md"]
    assert {k for k in after if after[k] != before.get(k)} == set(staged.written)
    assert generate(project, today=TODAY).written == []


def test_outdated_translation_is_a_warning_only_for_the_preview(tmp_path):
    project = _project(tmp_path)
    study = project / "data" / "studies" / "nct00000001.yml"
    text = study.read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.startswith("  en: ") and "stamp" not in l)
    study.write_text(text.replace(line, line + " Changed.", 1), encoding="utf-8")
    strict = generate(project, today=TODAY)
    assert any("outdated" in e.message for e in strict.errors)
    preview = generate(project, today=TODAY, outdated_as_pending=True)
    assert not preview.errors and any("outdated" in w.message for w in preview.warnings)
    page = (project / "docs" / "zh" / "studies" / "nct00000001.md").read_text(encoding="utf-8")
    assert "!!! warning" in page  # the pending notice on the Chinese page


def test_a_page_that_fails_to_render_leaves_docs_and_no_staged_pages(tmp_path, monkeypatch):
    """Pages are written to the staging folder as they are rendered (scripts/render.render_pages' keep): when a later
    page fails, the ones already written are dropped with the folder, and docs/ is as it was."""
    from scripts import render
    from scripts.generate import STAGE

    project = _project(tmp_path)
    assert not generate(project, today=TODAY).errors
    before = _snapshot(project / "docs")
    study = project / "data" / "studies" / "nct00000001.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("enrolled: 48", "enrolled: 49"), encoding="utf-8")
    real = render.Renderer.pages
    staged_pages = []

    class FailsAtTheLastPage(dict):
        def items(self):
            yield from list(dict.items(self))[:-1]
            staged_pages.extend((project / STAGE).rglob("*.md"))  # the changed pages are in the staging folder
            raise RuntimeError("the next page failed")

    monkeypatch.setattr(render.Renderer, "pages", lambda self, **which: FailsAtTheLastPage(real(self, **which)))
    for staged in (True, False):
        with pytest.raises(RuntimeError, match="the next page failed"):
            generate(project, today=TODAY, staged=staged)
        assert not (project / STAGE).exists()
        assert _snapshot(project / "docs") == before
    assert staged_pages
