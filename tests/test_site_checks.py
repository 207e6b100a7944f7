"""Checks on the built real site, both languages: internal links and anchors (lychee, offline), HTML validity (the
Nu HTML Checker), accessibility (axe-core in chromium)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

LYCHEE = Path(sys.executable).parent / "lychee"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Errors in Material for MkDocs' own markup (the same on every page; not ours to fix without forking the theme):
# its drawer/search toggles are checkboxes with autocomplete="off", and a label points at the hidden search toggle.
VNU_ALLOWED = (
    "Attribute “autocomplete” is only allowed when the input type is",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
)


def lychee(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LYCHEE), "--offline", "--include-fragments", "--index-files", "index.html",
                           "--root-dir", str(root), "--no-progress", "--format", "json", f"{root}/**/*.html"],
                          capture_output=True, text=True, timeout=300)


def test_no_broken_internal_links_or_anchors(real_site):
    result = lychee(real_site["site"])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert json.loads(result.stdout)["errors"] == 0


def test_link_checker_catches_a_broken_anchor(real_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(real_site["site"], site)
    page = site / "about" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", '<a href="../studies/#no-such-anchor">x</a></article>'),
                    encoding="utf-8")
    assert lychee(site).returncode != 0


def test_html_is_valid_apart_from_the_themes_known_errors(real_site):
    result = subprocess.run(["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json",
                             str(real_site["site"])], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    ours = [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages
            if not m["message"].startswith(VNU_ALLOWED)]
    assert ours == [], "\n".join(ours[:30])


AXE_PAGES = ["", "studies/", "studies/nct03280056/", "cell-types/msc-bone-marrow/", "glossary/", "patients/",
             "patients/what-is-proven/", "studies/charts/", "data/", "preclinical/suzuki-2007-gdnf-hnpc-rats/"]


@pytest.mark.parametrize("lang", ["", "zh/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_key_pages_have_no_accessibility_violations(real_site, browser, lang, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    problems = []
    for rel in AXE_PAGES:
        page.goto(real_site["url"] + lang + rel)
        results = axe.run(page)
        for violation in results.response["violations"]:
            targets = [n["target"] for n in violation["nodes"]][:3]
            problems.append(f"{lang}{rel}: {violation['id']} ({violation['impact']}): {targets}")
    context.close()
    assert problems == [], "\n".join(problems)
