"""A strict MkDocs build of the fixture data and of the real data, checked in the HTML it writes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import urljoin

import pytest

pytestmark = pytest.mark.slow

PAGES = ["", "studies/", "studies/nct00000001/", "cell-types/msc-umbilical-cord/", "routes/intrathecal/",
         "preclinical/", "preclinical/test-2005-sod1-rats/", "patients/", "patients/what-is-proven/", "science/",
         "evidence/", "glossary/", "references/", "about/"]


def html(site, rel, lang):
    return (site / ("" if lang == "en" else "zh") / rel / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("rel", PAGES)
def test_both_languages_have_the_page_with_lang_and_switch(fixture_site, rel):
    site, url = fixture_site["site"], fixture_site["url"]
    for lang, other in (("en", "zh"), ("zh", "en")):
        page = html(site, rel, lang)
        assert f'<html lang="{lang}"' in page
        # No <link rel="alternate"> in the page: Material would download a sitemap.xml beside each (404s).
        assert '<link rel="alternate"' not in page
        # The language switcher leads to the same page in the other language.
        switch = re.search(rf'href="([^"]+)" hreflang="{other}" class="md-select__link"', page).group(1)
        here = url + ("" if lang == "en" else "zh/") + rel
        assert urljoin(here, switch) == url + ("" if other == "en" else "zh/") + rel


def test_sitemap_lists_every_page_of_both_languages_with_absolute_alternates(fixture_site):
    site, url = fixture_site["site"], fixture_site["url"]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    entries = {}
    for block in re.findall(r"<url>(.*?)</url>", sitemap, re.S):
        loc = re.search(r"<loc>([^<]+)</loc>", block).group(1)
        entries[loc] = dict((h, l) for h, l in re.findall(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/>', block))
    pages = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}
    for rel in PAGES:
        for loc in (url + rel, url + "zh/" + rel):
            assert entries[loc] == {"en": url + rel, "zh": url + "zh/" + rel, "x-default": url + rel}, loc
    assert len(entries) == len(pages), "every built page, in both languages, is in the sitemap"
    assert not (site / "404.html").read_text(encoding="utf-8").count('<link rel="alternate"')


def test_no_script_holds_up_the_first_paint(fixture_site):
    for rel in ("", "studies/", "studies/nct00000001/"):
        for lang in ("en", "zh"):
            tags = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", html(fixture_site["site"], rel, lang))
            assert tags and all(" defer" in tag for tag in tags), tags


def test_record_pages_have_their_own_title(fixture_site):
    page = html(fixture_site["site"], "studies/nct00000001/", "zh")
    assert "<title>脐带间充质干细胞鞘内注射治疗试验（测试数据） - 肌萎缩侧索硬化干细胞治疗证据图谱</title>" in page


def test_404_page_in_each_language(fixture_site):
    site = fixture_site["site"]
    assert '<html lang="en"' in (site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in (site / "zh" / "404.html").read_text(encoding="utf-8")


def test_no_third_party_resources(fixture_site):
    for path in fixture_site["site"].rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        for src in re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', text):
            assert src.startswith(fixture_site["url"]) or "rel=\"alternate\"" in text, (path, src)


def test_real_data_builds_strictly(real_site):
    site = real_site["site"]
    studies = [p for p in (site / "studies").iterdir() if p.is_dir()]
    assert len(studies) >= 5
    for study in studies:
        assert (site / "zh" / "studies" / study.name / "index.html").is_file()


def test_invalid_data_fails_the_build_and_leaves_site_and_pages_untouched(tmp_path):
    from conftest import FIXTURE_DATA, copy_project, mkdocs_build, snapshot

    project = copy_project(tmp_path / "p", FIXTURE_DATA)
    assert mkdocs_build(project).returncode == 0


    before = snapshot(project)
    study = project / "data" / "studies" / "nct00000001.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("  zh: 一项小型安慰剂对照试验，未发现获益。\n", ""),
                     encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    line = next(i for i, text in enumerate(study.read_text(encoding="utf-8").splitlines(), 1) if text == "lay_summary:")
    assert f"data/studies/nct00000001.yml:{line}: lay_summary.zh: is required but missing" in result.stderr
    assert snapshot(project) == before


def test_abbreviations_marked_once_per_page_in_the_page_language(fixture_site):
    en = html(fixture_site["site"], "preclinical/test-2005-sod1-rats/", "en")
    zh = html(fixture_site["site"], "glossary/", "zh")
    assert en.count("<abbr") == 1 and '<abbr title="mesenchymal stem cell" tabindex="0">MSC</abbr>' in en
    assert '<abbr title="间充质干细胞（mesenchymal stem cell）" tabindex="0">MSC</abbr>' in zh


def test_every_page_shows_when_its_facts_were_checked(fixture_site):
    site = fixture_site["site"]
    date = re.compile(r"(last checked|核查)[^<]*\d{4}-\d{2}-\d{2}")
    pages = [p for p in site.rglob("index.html")]
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        empty = "No pages have been written for this section yet." in text or "本栏目尚未撰写页面。" in text
        assert empty or date.search(text), path


def test_a_strict_build_that_fails_after_generation_leaves_docs_and_site_byte_identical(tmp_path):
    """Valid data, then a strict failure later in the build (here a broken link in a hand-written page): the new
    pages were generated and built, but neither docs/ nor site/ changes; the next good build brings both."""
    from conftest import FIXTURE_DATA, copy_project, mkdocs_build, snapshot

    project = copy_project(tmp_path / "p", FIXTURE_DATA)
    assert mkdocs_build(project).returncode == 0
    study = project / "data" / "studies" / "nct00000001.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("enrolled: 48", "enrolled: 49"), encoding="utf-8")
    about = project / "docs" / "en" / "about.md"
    good = about.read_text(encoding="utf-8")
    about.write_text(good + "\n[A page that does not exist](missing.md)\n", encoding="utf-8")
    before = snapshot(project)
    result = mkdocs_build(project)
    assert result.returncode != 0 and "missing.md" in result.stderr
    assert snapshot(project) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []
    about.write_text(good, encoding="utf-8")
    assert mkdocs_build(project).returncode == 0
    after = snapshot(project)
    assert after["docs/en/studies/nct00000001.md"] != before["docs/en/studies/nct00000001.md"]
    assert after["site/studies/nct00000001/index.html"] != before["site/studies/nct00000001/index.html"]


def test_the_parallel_build_and_the_shortcuts_give_the_plain_build_byte_for_byte(tmp_path):
    """scripts/hooks/parallel.py builds Chinese in a forked process: the same site as static-i18n's serial build,
    byte for byte (the 404 pages' language switch points at the home pages in both; the serial build once took it
    from the last English page built). The shortcuts (ATLAS_SHORTCUTS: the navigation kept per folder,
    scripts/hooks/theme.py; one Markdown converter for all pages and each link target looked up once,
    scripts/hooks/pages.py) give the same pages as MkDocs and Material doing all of it for every page."""
    import os

    from conftest import FIXTURE_DATA, copy_project

    project = copy_project(tmp_path / "p", FIXTURE_DATA)
    sites = {}
    for serial, shortcuts in (("1", "1"), ("0", "1"), ("0", "0")):
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1:8000/",
                   SOURCE_DATE_EPOCH="1700000000", ATLAS_SERIAL_BUILD=serial, ATLAS_SHORTCUTS=shortcuts)
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
        site = project / "site"
        # The Pagefind indexes (site/pagefind/, site/zh/pagefind/) are derived from the pages compared here, under
        # content-hashed names that change with any page they index; tests/test_search.py tests them.
        sites[serial, shortcuts] = {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and not p.relative_to(site).as_posix().startswith(("pagefind/", "zh/pagefind/"))}
    serial, parallel, uncached = sites["1", "1"], sites["0", "1"], sites["0", "0"]
    assert set(serial) == set(parallel) == set(uncached)
    assert [name for name in serial if serial[name] != parallel[name]] == []
    assert [name for name in uncached if uncached[name] != parallel[name]] == []
    # the kept navigation is there: a record page's sidebar lists the sections
    assert b'class="md-nav md-nav--primary"' in parallel["studies/nct00000001/index.html"]
    assert b'<a href="/" hreflang="en" class="md-select__link">' in parallel["zh/404.html"]
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_a_strict_warning_in_the_chinese_build_alone_fails_the_build_and_changes_nothing(tmp_path):
    from conftest import FIXTURE_DATA, copy_project, mkdocs_build, snapshot

    project = copy_project(tmp_path / "p", FIXTURE_DATA)
    assert mkdocs_build(project).returncode == 0
    about = project / "docs" / "zh" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[不存在的页面](missing.md)\n", encoding="utf-8")
    before = snapshot(project)
    result = mkdocs_build(project)
    assert result.returncode != 0 and "missing.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before
