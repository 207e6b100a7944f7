"""`mkdocs serve --dirty` (as `make serve` runs it) in chromium: a contributor saves an invalid record and sees the
problem on the page, in both languages, without the server stalling; saves the fix and sees the page; changes
the English of a stamped text and sees the Chinese page published with the pending notice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import FIXTURE_DATA, _free_port, copy_project
from scripts.benchmark import SERVE

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path):
    project = copy_project(tmp_path / "p", FIXTURE_DATA)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = open(tmp_path / "serve.log", "w")
    server = subprocess.Popen([sys.executable, *SERVE, "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                              env=dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=url),
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "studies/nct00000001/", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        server.terminate()
        pytest.fail("mkdocs serve did not come up: " + (tmp_path / "serve.log").read_text())
    yield {"project": project, "url": url, "log": tmp_path / "serve.log"}
    server.terminate()
    server.wait(timeout=30)
    log.close()


def test_invalid_save_shows_the_problem_panel_then_the_fix_shows_the_page(served, browser):
    study = served["project"] / "data" / "studies" / "nct00000001.yml"
    good = study.read_text(encoding="utf-8")
    line = next(i for i, text in enumerate(good.splitlines(), 1) if text.startswith("enrolled: 48"))
    context = browser.new_context()
    en, zh = context.new_page(), context.new_page()
    try:
        en.goto(served["url"] + "studies/nct00000001/")
        zh.goto(served["url"] + "zh/studies/nct00000001/")
        assert en.locator("#atlas-problems").count() == 0

        study.write_text(good.replace("enrolled: 48", "enrolled: -48"), encoding="utf-8")
        expected = f"data/studies/nct00000001.yml:{line}: enrolled: -48 is below the minimum"
        for page, title in ((en, "problem(s) in data/"), (zh, "个问题")):
            panel = page.locator("#atlas-problems")  # the page reloads by itself (live reload)
            panel.wait_for(timeout=90_000)
            assert expected in panel.inner_text() and "(fix: " in panel.inner_text()
            assert title in panel.inner_text()
            # The last valid page is still served under the panel.
            assert "48" in page.locator("article").inner_text()
        # Every page, not only the edited record's.
        other = context.new_page()
        other.goto(served["url"] + "zh/glossary/")
        assert other.locator("#atlas-problems").count() == 1
        other.close()

        study.write_text(good.replace("enrolled: 48", "enrolled: 50"), encoding="utf-8")
        for page in (en, zh):
            page.wait_for_function("() => !document.getElementById('atlas-problems') && "
                                   "document.querySelector('article') && "
                                   "/\\b50\\b/.test(document.querySelector('article').innerText)", timeout=90_000)
    finally:
        context.close()


def test_outdated_translation_is_published_with_the_pending_notice(served, browser):
    study = served["project"] / "data" / "studies" / "nct00000001.yml"
    text = study.read_text(encoding="utf-8")
    source = next(l for l in text.splitlines() if l.startswith("  en: ") and "placebo" in l)
    study.write_text(text.replace(source, source + " Edited first in English.", 1), encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(served["url"] + "zh/studies/nct00000001/")
        page.locator(".admonition.warning").first.wait_for(timeout=90_000)
        assert page.locator("#atlas-problems").count() == 0
    finally:
        context.close()
    assert "is outdated" in served["log"].read_text(encoding="utf-8")
