"""Real-browser checks in Debian's chromium driven by Playwright: the language switch, the 404 pages, abbreviations,
and no request leaving the site's own origin (the search has its own file, tests/test_search.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

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
    page.goto(fixture_site["url"] + "zh/glossary/")
    abbr = page.locator("abbr").first
    assert abbr.get_attribute("tabindex") == "0"
    abbr.focus()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5000)
    assert "间充质干细胞" in tooltip.inner_text()
