"""Contributor tools: the record skeleton, validating only changed files."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from conftest import TODAY, copy_project, fixture_data
from scripts import schema, yamlio
from scripts.new import skeleton
from scripts.records import load_site


def test_skeleton_matches_the_schema_but_is_rejected_until_filled(tmp_path):
    text = skeleton("study", "NCT01234567", TODAY.isoformat())
    doc = yamlio.parse(text.encode("utf-8"))
    assert schema.validate(doc.data, "study.schema.json", TODAY) == []
    assert text.startswith("# yaml-language-server: $schema=../../schema/study.schema.json")
    for name in schema.load_schema("study.schema.json")["properties"]:
        if name != "changes":
            assert f"\n# {name} (" in text, f"{name} is not explained"
    data = fixture_data(tmp_path)
    (data / "studies" / "nct01234567.yml").write_text(text, encoding="utf-8")
    found = [str(e) for e in load_site(data, TODAY)[1] if "nct01234567" in e.file]
    assert any("title.en: still has a TODO placeholder" in e for e in found)
    assert any("a value is still marked `# TODO`" in e for e in found)


def test_new_command_creates_the_file_once(tmp_path):
    project = copy_project(tmp_path / "p", fixture_data(tmp_path))
    run = lambda: subprocess.run([sys.executable, "-m", "scripts.new", "study", "NCT07654321"], cwd=project,
                                 capture_output=True, text=True)
    first = run()
    assert first.returncode == 0 and (project / "data" / "studies" / "nct07654321.yml").is_file()
    assert run().returncode == 1


def test_validate_changed_reports_only_changed_files(tmp_path):
    project = copy_project(tmp_path / "p", fixture_data(tmp_path))
    git = lambda *a: subprocess.run(["git", *a], cwd=project, capture_output=True, text=True, check=True)
    git("init", "-q")
    git("-c", "user.email=t@e", "-c", "user.name=t", "add", "-A")
    git("-c", "user.email=t@e", "-c", "user.name=t", "commit", "-qm", "x")
    validate = lambda *a: subprocess.run([sys.executable, "-m", "scripts.validate", *a], cwd=project,
                                         capture_output=True, text=True)
    assert validate("--changed").stdout.strip() == "no changed data files"
    route = project / "data" / "routes" / "intrathecal.yml"
    route.write_text(route.read_text(encoding="utf-8").replace("invasiveness: moderate", "invasiveness: medium"),
                     encoding="utf-8")
    result = validate("--changed")
    assert result.returncode == 1 and "data/routes/intrathecal.yml" in result.stderr
    assert "nct00000001" not in result.stderr


def test_a_filled_skeleton_becomes_pages_in_both_languages(tmp_path):
    """The contributor's path: skeleton → fill every TODO → stamp → valid → a page in each language, listed."""
    import re
    from scripts.render import render_pages
    from scripts.translations import stamp_text

    data = fixture_data(tmp_path)
    text = skeleton("study", "NCT01234567", TODAY.isoformat())
    fills = {'"TODO English"': '"A new test study"', '"TODO 中文"': '"一项新的测试研究"', '"todo"': '"msc-umbilical-cord"',
             '"https://example.org/TODO"': '"https://clinicaltrials.gov/study/NCT01234567"', '"TODO"': '"Test Sponsor"'}
    for old, new in fills.items():
        text = text.replace(old, new)
    text = re.sub(r"  # TODO$", "", text, flags=re.M)
    # Optional fields without a source are deleted, as the skeleton's header asks.
    text = re.sub(r"\n# (administrations|enrolled|treated|start|completion) \(optional\)[^\n]*\n(#[^\n]*\n)*[a-z_]+: [^\n]*\n",
                  "\n", text)
    text = re.sub(r"\n# findings \(optional\)[^\n]*\n(#[^\n]*\n)*findings:\n  en: [^\n]*\n  zh: [^\n]*\n", "\n", text)
    (data / "studies" / "nct01234567.yml").write_text(stamp_text(text)[0], encoding="utf-8")
    site, errors = load_site(data, TODAY)
    assert [str(e) for e in errors] == []
    pages = render_pages(site)
    assert "# 一项新的测试研究 { #nct01234567 }" in pages["zh/studies/nct01234567.md"]
    assert "(nct01234567.md)" in pages["en/studies/index.md"] and "(nct01234567.md)" in pages["zh/studies/index.md"]


IMPORT = __import__("conftest").ROOT / "tests" / "fixtures" / "ctgov-import" / "NCT00000002.json"


def test_import_prefills_a_study_from_a_clinicaltrials_gov_v2_record(tmp_path):
    project = copy_project(tmp_path / "p", fixture_data(tmp_path))
    result = subprocess.run([sys.executable, "-m", "scripts.new", "study", "NCT00000002", "--from", str(IMPORT)],
                            cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    text = (project / "data" / "studies" / "nct00000002.yml").read_text(encoding="utf-8")
    data = yamlio.parse(text.encode("utf-8")).data
    today = dt.date.today()  # the command dates the skeleton with the real day
    assert schema.validate(data, "study.schema.json", today) == []
    assert data["registry_ids"] == ["NCT00000002", "EudraCT 2019-001234-56"]
    assert (data["phase"], data["status"], data["status_checked"]) == ("1-2", "recruiting", "2025-01-20")
    assert (data["enrolled"], data["start"], data["completion"]) == (40, "2024-03-15", "2027-06")
    assert data["sponsor"] == "Synthetic University: Hospital" and data["countries"] == ["CN", "KR"]
    assert data["design"]["allocation"] == "randomised" and data["design"]["comparator"] == "placebo"
    assert data["design"]["masking"] == "double-blind" and data["results"] == []
    assert "Synthetic record: Intrathecal Stem Cells in ALS" in data["title"]["en"]
    assert "Adverse events (12 months)" in data["primary_endpoint"]["en"]
    assert [u["field"] for u in data["uncertain"]] == ["enrolled", "completion"]  # estimated, anticipated
    assert "# Import note: registry interventions (for product, cell_types, cell_origin, routes, dose): " \
           "BIOLOGICAL: Autologous MSC; OTHER: Placebo" in text
    assert "SPONSOR-PROTOCOL-7" in text  # a secondary ID it could not map is named, not dropped silently
    # Registry values are not marked TODO; what a person must still write is, so the record stays invalid.
    assert 'sponsor: "Synthetic University: Hospital"\n' in text and 'phase: "1-2"\n' in text
    found = [str(e) for e in load_site(project / "data", today)[1] if "nct00000002" in e.file]
    assert any("title.en: still has a TODO placeholder" in e for e in found)
    assert not any(f in e for e in found for f in ("phase:", "status:", "enrolled:", "sponsor:", "countries"))


def test_import_fetches_with_the_registry_watch_client(tmp_path, monkeypatch):
    import json
    from scripts import new
    monkeypatch.setattr(new, "ROOT", tmp_path)
    (tmp_path / "data" / "studies").mkdir(parents=True)
    calls = []
    monkeypatch.setattr(new, "http_fetcher", lambda: lambda nct: calls.append(nct) or json.loads(IMPORT.read_text()))
    assert new.main(["study", "NCT00000002", "--fetch"]) == 0
    assert calls == ["NCT00000002"] and (tmp_path / "data" / "studies" / "nct00000002.yml").is_file()


def test_import_rejects_what_is_not_that_record(tmp_path, capsys):
    from scripts import new
    wrong = tmp_path / "x.json"
    wrong.write_text('{"studies": []}', encoding="utf-8")
    assert new.main(["study", "NCT00000002", "--from", str(wrong)]) == 1
    assert "not a ClinicalTrials.gov API v2 study record" in capsys.readouterr().err
    assert new.main(["study", "NCT00000003", "--from", str(IMPORT)]) == 1
    assert "the registry record is NCT00000002, not NCT00000003" in capsys.readouterr().err
    assert not (new.ROOT / "data" / "studies" / "nct00000003.yml").exists()
