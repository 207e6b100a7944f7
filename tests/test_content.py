"""The real content: the accuracy bar every record must meet, and Chinese conventions on every page."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from scripts.records import avoid_rules, load_site, term_problems, texts
from scripts.render import render_pages


@pytest.fixture(scope="module")
def site():
    site, errors = load_site(ROOT / "data")
    assert not errors, "\n".join(map(str, errors[:20]))
    return site


@pytest.fixture(scope="module")
def pages(site):
    out = render_pages(site)
    for lang in ("en", "zh"):
        for path in (ROOT / "docs" / lang).glob("*.md"):
            out[f"{lang}/{path.name}"] = path.read_text(encoding="utf-8")
    return out


def test_every_reference_is_traceable(site):
    for ref in site.kind("references"):
        assert ref.get("pmid") or ref.get("doi") or ref.get("url"), ref.path


def test_every_study_has_sources_and_review_date(site):
    assert len(site.kind("studies")) >= 5
    for study in site.kind("studies"):
        assert study["sources"] and all(u.startswith(("http://", "https://")) for u in study["sources"]), study.path
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", study["last_reviewed"]), study.path


def test_no_prose_uses_a_term_the_glossary_rejects(site):
    rules = avoid_rules(site)
    assert {"间质干细胞", "有条件批准", "ALS功能评定量表", "假手术", "扩大使用"} <= {form for _, form, _, _ in rules}
    for kind in site.records:
        for rec in site.kind(kind):
            for path, text in texts(rec.data):
                if kind == "glossary" and path[0] in ("term", "usage"):  # where the glossary names what to avoid
                    continue
                assert not list(term_problems(text["zh"], text["en"], rules)), (rec.path, path)
    for key, zh in site.strings["zh"].items():
        assert not list(term_problems(zh, site.strings["en"][key], rules)), key


FIRST = re.compile(r"(?<![A-Za-z])ALS(?![A-Za-z])|肌萎缩侧索硬化|渐冻")


def test_first_mention_of_als_in_chinese_pairs_the_two_names(pages):
    """On every Chinese page, the first mention of ALS below the title names both 肌萎缩侧索硬化 and 渐冻症."""
    for path, text in pages.items():
        if not path.startswith("zh/"):
            continue
        body = text.split("\n---\n", 1)[-1]
        body = re.sub(r"^# .*$", "", body, count=1, flags=re.M)  # the title may name ALS as part of a study name
        body = re.sub(r"<abbr [^>]*>([^<]*)</abbr>", r"\1", body)  # the words a reader sees
        m = FIRST.search(body)
        if m:
            window = body[max(0, m.start() - 12): m.start() + 30]
            assert "肌萎缩侧索硬化" in window and "渐冻症" in window, (path, window)


def test_no_link_syntax_reaches_a_page(pages):
    """Every [[kind:id]] in the data is turned into a link (or its label), whatever field it is in."""
    leftovers = [path for path, text in pages.items() if "[[" in text and path.endswith(".md")]
    assert leftovers == []
