"""Reader features in a real browser (Debian's chromium), both languages: the study explorer's filters, sorting and
URL state; the evidence map linking to a filtered view; downloads that parse and match the records; a keyboard-only
walk through every control; and no request leaving the site's origin."""

from __future__ import annotations

import csv
import io
import json
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def visible_rows(page) -> list[str]:
    return page.eval_on_selector_all("article table tbody tr:not([hidden]) td:first-child a",
                                     "els => els.map(e => e.textContent.trim())")


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_filters_and_sorting_keep_their_state_in_the_url(page, fixture_site, lang):
    url = fixture_site["url"] + lang + "studies/"
    page.goto(url)
    assert len(visible_rows(page)) == 2
    page.select_option("#atlas-filter-phase", "2")
    assert visible_rows(page) == ["NCT00000001"]
    assert "phase=2" in page.url
    assert page.locator(".atlas-explorer__count").inner_text().count("1") >= 1
    page.select_option("#atlas-filter-phase", "")
    page.locator("th .atlas-sort").nth(7).click()  # start year, ascending: the undated series first
    assert "sort=year" in page.url
    assert page.locator("th").nth(7).get_attribute("aria-sort") == "ascending"
    first = visible_rows(page)[0]
    page.locator("th .atlas-sort").nth(7).click()
    assert "sort=-year" in page.url and visible_rows(page)[0] != first
    # The address alone restores the view.
    page.goto(url + "?label=rct-placebo&sort=-year")
    assert visible_rows(page) == ["NCT00000001"]
    assert page.locator("#atlas-filter-label").input_value() == "rct-placebo"


def test_table_is_complete_without_javascript(browser, fixture_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(fixture_site["url"] + "studies/")
    assert page.locator("article table tbody tr").count() == 2
    assert page.locator(".atlas-explorer").count() == 0
    context.close()


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_evidence_map_cell_opens_the_filtered_explorer(page, fixture_site, lang):
    page.goto(fixture_site["url"] + lang + "studies/charts/")
    page.locator('svg a[href*="cell=msc-umbilical-cord"][href*="route=intrathecal"]').first.click()
    page.wait_for_url("**/studies/?cell=msc-umbilical-cord&route=intrathecal")
    assert len(visible_rows(page)) == 2
    assert page.locator("#atlas-filter-cell").input_value() == "msc-umbilical-cord"


def test_charts_have_titles_descriptions_and_tables(page, fixture_site):
    page.goto(fixture_site["url"] + "zh/studies/charts/")
    svgs = page.locator("svg.atlas-chart")
    assert svgs.count() == 4
    for i in range(4):
        svg = svgs.nth(i)
        assert svg.locator("title").first.text_content() and svg.locator("desc").first.text_content()
    assert page.locator("article table").count() >= 3


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:
        return response.read()


def test_downloads_parse_and_match_the_records(fixture_site):
    from conftest import TODAY, fixture_data
    import tempfile
    from pathlib import Path
    from scripts.records import load_site

    site, _ = load_site(fixture_data(Path(tempfile.mkdtemp())), TODAY)
    base = fixture_site["url"] + "downloads/"
    for kind in site.records:
        document = json.loads(_get(base + f"{kind}.json"))
        assert document["count"] == len(site.records[kind])
        for record in document["records"]:
            original = site.records[kind][record["id"]].data
            assert {k: record[k] for k in original} == original
        rows = list(csv.DictReader(io.StringIO(_get(base + f"{kind}.csv").decode("utf-8"))))
        assert sorted(r["id"] for r in rows) == sorted(site.records[kind])
    study = json.loads(_get(base + "studies.json"))["records"]
    assert {r["id"]: r["evidence_label"] for r in study} == {"nct00000001": "rct-placebo", "test-2010-series": "no-results"}
    json.loads(_get(base + "schema/study.schema.json"))
    assert b"CC BY 4.0" in _get(base + "LICENSE.txt")
    feed = _get(base + "changes.zh.atom").decode("utf-8")
    assert feed.startswith("<?xml") and "<entry>" in feed


def test_record_page_offers_citation_and_correction(page, fixture_site):
    page.goto(fixture_site["url"] + "studies/nct00000001/")
    bibtex = page.locator("code").filter(has_text="@misc{atlas-nct00000001").first.inner_text()
    assert "title = {Umbilical cord mesenchymal stem cells given intrathecally (test fixture)}" in bibtex
    edit = page.locator('a[href$="/edit/main/data/studies/nct00000001.yml"]')
    assert edit.count() == 1


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_keyboard_alone_reaches_every_control_with_visible_focus(page, fixture_site, lang):
    page.goto(fixture_site["url"] + lang + "studies/")
    wanted = page.eval_on_selector_all(
        ".atlas-explorer select, .atlas-explorer button, th .atlas-sort", "els => els.length")
    reached, outlines = set(), []
    for _ in range(200):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement;
            const inExplorer = !!e.closest('.atlas-explorer') || e.classList.contains('atlas-sort');
            return {key: e.id || (e.textContent || '').trim() + '@' + [...document.querySelectorAll(e.tagName)].indexOf(e),
                    inExplorer, outline: getComputedStyle(e).outlineStyle, box: e.getBoundingClientRect().height}; }""")
        if info["inExplorer"]:
            reached.add(info["key"])
            outlines.append((info["outline"], info["box"]))
        if len(reached) == wanted:
            break
    assert len(reached) == wanted, f"reached {len(reached)} of {wanted} controls by keyboard"
    assert all(style != "none" and height >= 44 for style, height in outlines), outlines
