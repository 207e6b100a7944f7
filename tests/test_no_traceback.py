"""Never a traceback (issue #15, item 6): every case of the bad-input corpus gives messages and exit 1, and an
unexpected exception anywhere — loading, checking, rendering, a MkDocs hook, a forked renderer — becomes one line
that names the file being processed and asks for a report. (tests/test_bad_input.py runs the corpus through real
builds and checks their output for tracebacks too.)"""

from __future__ import annotations

import pickle
import subprocess
import sys
from types import SimpleNamespace

import pytest

from conftest import ROOT, copy_project, fixture_data, FIXTURE_DATA
from scripts import guard, schema, validate
from test_bad_input import CASES, HUGE, place


@pytest.mark.parametrize("case", CASES + [HUGE], ids=[c["file"] for c in CASES] + ["huge-file"])
def test_validator_reports_each_corpus_case_without_a_traceback(tmp_path, capsys, case):
    data = fixture_data(tmp_path)
    place(data, case)
    assert validate.main(["--data", str(data)]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out and "internal error" not in out.err
    lines = out.err.strip().splitlines()
    assert all(line.startswith("data/") for line in lines[:-1]), lines
    assert "problem(s) in" in lines[-1]


def test_an_unexpected_exception_in_a_command_is_one_line_naming_the_file(tmp_path, capsys, monkeypatch):
    data = fixture_data(tmp_path)
    real = schema.validate

    def broken(value, name, today):
        if name == "reference.schema.json":
            raise RuntimeError("something unforeseen\nover two lines")
        return real(value, name, today)

    monkeypatch.setattr(schema, "validate", broken)
    assert validate.main(["--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("internal error while processing data/references/test-2022-trial.yml: RuntimeError: "
                          "something unforeseen over two lines — this is a bug in the site's scripts; please report it")


def test_an_unexpected_exception_while_rendering_names_the_record(tmp_path, monkeypatch):
    from scripts import evidence
    from scripts.records import load_site
    from scripts.render import render_pages
    from conftest import TODAY

    from scripts import render

    site, errors = load_site(fixture_data(tmp_path), TODAY)
    assert not errors
    monkeypatch.setattr(render, "bibtex", lambda value: {}["no-such-key"])  # used by record pages only
    with pytest.raises(guard.InternalError) as caught:
        render_pages(site)
    assert caught.value.file.startswith("data/studies/") and "(page en/studies/" in caught.value.file
    assert "KeyError: 'no-such-key'" in guard.line(caught.value)
    monkeypatch.setattr(evidence, "evidence_label", lambda study: study["no-such-field"])  # between pages too
    with pytest.raises(guard.InternalError, match=r"^data/ \(the en pages\): KeyError"):
        render_pages(site)
    # The same exception comes back from a forked renderer as it was.
    back = pickle.loads(pickle.dumps(caught.value))
    assert (back.file, type(back.error)) == (caught.value.file, KeyError)


def test_a_hook_turns_an_unexpected_exception_into_one_line_naming_the_page():
    from mkdocs.exceptions import PluginError
    from scripts.hooks import a11y

    page = SimpleNamespace(title="x", file=SimpleNamespace(src_uri="en/studies/nct00000001.md"))
    config = SimpleNamespace(plugins={"i18n": SimpleNamespace(current_language="en")})
    saved = a11y._markers.get("en")
    a11y._markers["en"] = object()  # a marker that is not one: .mark fails inside the hook
    try:
        with pytest.raises(PluginError) as caught:
            a11y.on_page_markdown("text", page=page, config=config, files=None)
    finally:
        a11y._markers.pop("en")
        if saved is not None:
            a11y._markers["en"] = saved
    message = str(caught.value)
    assert "\n" not in message and message.startswith("internal error while processing docs/en/studies/nct00000001.md")


@pytest.mark.slow
def test_a_build_with_a_null_glossary_field_fails_with_messages_not_a_traceback(tmp_path):
    from conftest import mkdocs_build
    project = copy_project(tmp_path / "p", FIXTURE_DATA)
    term = project / "data" / "glossary" / "mesenchymal-stem-cell.yml"
    term.write_text(term.read_text(encoding="utf-8").replace("zh_alternatives: [间充质基质细胞]", "zh_alternatives:"),
                    encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "zh_alternatives: expected a list, found empty (null)" in result.stderr


def test_commands_run_as_modules_print_no_traceback(tmp_path):
    data = fixture_data(tmp_path)
    (data / "studies" / "nct00000001.yml").write_bytes(b"title: \"\\u202e\"\n\x0c\n")
    result = subprocess.run([sys.executable, "-m", "scripts.validate", "--data", str(data)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "data/studies/nct00000001.yml:2:1: U+000C FORM FEED" in result.stderr


def test_every_message_is_one_line_whatever_the_data_holds(data_dir):
    from conftest import TODAY
    from scripts.records import load_site
    study = data_dir / "studies" / "nct00000001.yml"
    study.write_text(study.read_text(encoding="utf-8") + '"odd\\nkey": 1\n', encoding="utf-8")
    errors = [str(e) for e in load_site(data_dir, TODAY)[1]]
    assert any("odd\\nkey: is not a known field" in e for e in errors), errors
    assert all("\n" not in e for e in errors)
