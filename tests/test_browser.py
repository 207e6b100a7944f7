"""Real-browser checks in Debian's chromium driven by Playwright: search per language (including a word from the
middle of a Chinese title), the language switch, and no request leaving the site's own origin."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

def search(page, query: str) -> list[str]:
    """Type a query into Material's search and return the result links (fill + keyup: CJK input fires no keyup)."""
    box = page.locator("input.md-search__input")
    box.focus()
    box.fill(query)
    box.dispatch_event("keyup")
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta'); return m && !/Initializing|正在初始化/.test(m.textContent) && m.textContent.trim() !== '' }",
        timeout=15000)
    page.wait_for_timeout(300)
    return page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)")


@pytest.mark.parametrize("query", ["间充质", "干细胞", "鞘内注射", "脐带"])
def test_chinese_search_finds_the_chinese_page(page, fixture_site, query):
    page.goto(fixture_site["url"] + "zh/")
    links = search(page, query)
    assert any(link.startswith(fixture_site["url"] + "zh/studies/nct00000001/") for link in links), (query, links)
    assert all("/zh/" in link for link in links), links
    assert page.outside == []


def test_english_search_returns_only_english_pages(page, fixture_site):
    page.goto(fixture_site["url"])
    links = search(page, "umbilical")
    assert any(link.startswith(fixture_site["url"] + "studies/nct00000001/") for link in links), links
    assert not any("/zh/" in link for link in links), links
    assert page.outside == []


def test_language_switch_lands_on_the_same_page(page, fixture_site):
    url = fixture_site["url"]
    page.goto(url + "studies/nct00000001/")
    page.locator(".md-header__option .md-select").first.hover()
    page.locator('a.md-select__link[hreflang="zh"]').first.click()
    page.wait_for_url(url + "zh/studies/nct00000001/")
    assert page.locator("html").get_attribute("lang") == "zh"
    page.locator(".md-header__option .md-select").first.hover()
    page.locator('a.md-select__link[hreflang="en"]').first.click()
    page.wait_for_url(url + "studies/nct00000001/")
    assert page.outside == []


def test_missing_page_shows_404_in_each_language(page, fixture_site):
    page.goto(fixture_site["url"] + "zh/404.html")
    assert page.locator("html").get_attribute("lang") == "zh"
    page.goto(fixture_site["url"] + "404.html")
    assert page.locator("html").get_attribute("lang") == "en"


def test_abbreviation_expands_on_keyboard_focus(page, fixture_site):
    page.goto(fixture_site["url"] + "zh/cell-types/msc-umbilical-cord/")
    abbr = page.locator("abbr").first
    assert abbr.get_attribute("tabindex") == "0"
    abbr.focus()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5000)
    assert "间充质干细胞" in tooltip.inner_text()


def test_search_index_loads_only_when_search_is_used(page, fixture_site):
    url = fixture_site["url"]
    wanted: list[str] = []
    page.on("request", lambda r: wanted.append(r.url) if r.url.endswith("search_index.json") else None)
    page.goto(url + "zh/studies/nct00000001/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert wanted == [], "the search index loaded with the page"
    links = search(page, "间充质")
    assert wanted == [url + "zh/search/search_index.json"]
    assert any(link.startswith(url + "zh/studies/nct00000001/") for link in links), links
