"""The renderer: pure, deterministic, paired across languages, and safe against anything typed into data/."""

from __future__ import annotations

import posixpath
import re

import markdown
import pytest
import yaml

from conftest import ROOT, TODAY
from scripts import forked, markdown_subset
from scripts.records import load_site
from scripts.render import escape, relative, render_pages

NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](data:text/html,<script>alert(1)</script>)",
    "<https://evil.example>",
    "{{ config }} {% include 'x' %} {# c #}",
    "a | b | c",
    "*bold* _em_ `code` **x** # not a heading",
    "1. not a list\n- not a bullet\n> not a quote",
    "!!! warning \"not an admonition\"",
    "*[HTML]: not an abbreviation",
    "{ #id .class onclick=alert(1) }",
    "back\\slash & ampersand &amp; &lt;tag&gt;",
    "--8<-- \"/etc/passwd\"",
    "    indented code",
    "ALS 肌萎缩侧索硬化（渐冻症）1 × 10^6",
    "1. looks like an ordered list", "12) also a list marker", "- a bullet", "+ another bullet", "# a heading",
    "--- a rule?", "* star bullet", "> quote", "    1. indented", "=== setext?", "a - b . c ( d ) ! e # f + g",
    "[[study:nct1]] not a link here", "x](y) z", "\\[escaped\\]", "`code` and ``more``", "{: .class #id}",
    "*[ALS]: abbreviation definition", "[^1] footnote", "<!-- comment -->", "&copy; &#169; &amp;",
]


def _md():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""), Loader=yaml.SafeLoader)
    exts = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    return markdown.Markdown(extensions=[*exts, markdown_subset.Subset()])  # as the build does (hooks/generate.py)


@pytest.mark.parametrize("text", NASTY)
def test_escape_round_trips_through_markdown_as_plain_text(text):
    html = _md().convert(escape(text))
    # Whatever the input, the output is one paragraph holding exactly the (HTML-escaped) text.
    expected = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert html == f"<p>{expected}</p>", html


def _site(data_dir):
    site, errors = load_site(data_dir, TODAY)
    assert not errors, errors
    return site


def test_rendering_is_deterministic(data_dir):
    assert render_pages(_site(data_dir)) == render_pages(_site(data_dir))


@pytest.mark.skipif(not forked.AVAILABLE, reason="os.fork does not exist on this system")
def test_rendering_in_two_processes_gives_the_same_pages(data_dir):
    site = _site(data_dir)
    assert render_pages(site, parallel=True) == render_pages(site)


@pytest.mark.skipif(not forked.AVAILABLE, reason="os.fork does not exist on this system")
def test_an_error_in_the_forked_process_reaches_the_caller():
    assert forked.start(lambda: {"zh/x.md": "文本"})() == {"zh/x.md": "文本"}
    with pytest.raises(KeyError, match="'missing'"):  # the child's own exception, as if raised here
        forked.start(lambda: {}["missing"])()
    with pytest.raises(RuntimeError, match="in the forked process"):  # one that cannot be pickled: its traceback
        forked.start(lambda: (_ for _ in ()).throw(_Unpicklable()))()


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("not picklable")


def test_every_page_has_a_pair_with_the_same_anchors(data_dir):
    pages = render_pages(_site(data_dir))
    en = {p[3:] for p in pages if p.startswith("en/")}
    zh = {p[3:] for p in pages if p.startswith("zh/")}
    assert en == zh and en
    for rel in en:
        anchors = [re.findall(r"\{ #([a-z0-9-]+) \}", pages[f"{lang}/{rel}"]) for lang in ("en", "zh")]
        assert anchors[0] == anchors[1], rel
        assert anchors[0], f"{rel} has no explicit heading anchors"


def test_each_record_gets_a_page_in_both_languages_and_is_listed(data_dir):
    pages = render_pages(_site(data_dir))
    for lang in ("en", "zh"):
        assert f"{lang}/studies/nct00000001.md" in pages
        assert "(nct00000001.md)" in pages[f"{lang}/studies/index.md"]
        assert "(../studies/nct00000001.md)" in pages[f"{lang}/cell-types/msc-umbilical-cord.md"]


def test_generated_pages_carry_the_marker(data_dir):
    for rel, text in render_pages(_site(data_dir)).items():
        if not rel.endswith(".md"):
            continue
        assert "<!-- generated from " in text.split("\n---\n", 1)[-1].splitlines()[0], rel


def test_language_shows_only_through_strings_and_fields(data_dir):
    pages = render_pages(_site(data_dir))
    assert "| Phase | Phase 2 |" in pages["en/studies/nct00000001.md"]
    assert "| 分期 | 2 期 |" in pages["zh/studies/nct00000001.md"]
    assert "# 脐带间充质干细胞鞘内注射治疗试验（测试数据） { #nct00000001 }" in pages["zh/studies/nct00000001.md"]


def test_text_from_data_cannot_inject(data_dir):
    study = data_dir / "studies" / "nct00000001.yml"
    payload = "<script>alert(1)</script> [x](javascript:alert(1)) {{ 7*7 }} a | b"
    text = study.read_text(encoding="utf-8").replace("sponsor: Test Sponsor", f"sponsor: {yaml.safe_dump(payload).strip().splitlines()[0]}")
    study.write_text(text, encoding="utf-8")
    site = _site(data_dir)
    assert site.records["studies"]["nct00000001"]["sponsor"] == payload
    page = render_pages(site)["en/studies/nct00000001.md"]
    html = _md().convert(page.split("\n---\n", 1)[1])
    assert "<script" not in html and "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert 'href="javascript' not in html
    assert "{{ 7*7 }}" in html and "49" not in html
    row = next(line for line in page.splitlines() if line.startswith("| Sponsor |"))
    assert row.count(" | ") == 1, "a | in data must not add table cells"


def test_overdue_and_stale_flags(data_dir):
    study = data_dir / "studies" / "nct00000001.yml"
    text = study.read_text(encoding="utf-8").replace("results: [publication]", "results: []")
    text = re.sub(r"findings:\n  en: .*\n  zh: .*\n(  stamp: .*\n)?", "", text)
    study.write_text(text.replace("last_reviewed: 2026-11-01", "last_reviewed: 2025-01-01"), encoding="utf-8")
    pages = render_pages(_site(data_dir))
    assert "No results found" in pages["en/studies/nct00000001.md"]
    assert "Not checked for over 12 months" in pages["en/studies/nct00000001.md"]
    assert "超过 12 个月未核查" in pages["zh/studies/nct00000001.md"]
    assert "| No results yet |" in pages["en/studies/index.md"]


def test_articles_render_lists_links_and_section_anchors(data_dir):
    pages = render_pages(_site(data_dir))
    en = pages["en/patients/what-is-proven.md"]
    assert "## In short { #in-short }" in en
    # A citation is a numbered superscript after the claim, named for screen readers, pointing into the page's list.
    assert ('- second point, from a trial report<sup class="cite"><a href="#ref-test-2022-trial" '
            'aria-label="Reference 1: Tester A 2022">&#91;1&#93;</a></sup>') in en
    assert '1. <span id="ref-test-2022-trial"></span>[Tester A 2022](../references/index.md#test-2022-trial)' in en
    assert "[NCT00000001](../studies/nct00000001.md)" in en
    assert "(what-is-proven.md)" in pages["zh/patients/index.md"]
    assert "(../preclinical/test-2005-sod1-rats.md)" in pages["en/cell-types/msc-umbilical-cord.md"]


def test_search_flow_counts_and_draws_the_fixture_logs(data_dir):
    from scripts import prisma
    site = _site(data_dir)
    flow = prisma.flow(site)
    # The fixture log: 8 + 3 results, 1 duplicate; 7 + 1 screened out; nct00000001 included, nct00000077 excluded.
    assert (flow.identified, flow.duplicates, flow.screened, flow.assessed, flow.included) == (11, 1, 10, 2, 1)
    assert dict(flow.screened_out) == {"not-a-study": 7, "not-als": 1}
    assert dict(flow.excluded) == {"not-found": 1}
    assert (flow.other_included, flow.total, flow.registered, flow.last_search) == (1, 2, 1, "2026-11-20")
    pages = render_pages(site)
    for lang, words in (("en", "Duplicates removed"), ("zh", "去除重复")):
        snippet = pages[f"snippets/{lang}/search-flow.md"]
        svg = re.search(r"<svg.*?</svg>", snippet).group(0)
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        assert words in svg and "n = 11" in svg and "n = 10" in svg
        # The same numbers as a table, for readers who cannot see the figure.
        assert f"| {words} | 1 |" in snippet and "| 11 |" in snippet
        assert "(studies/search.md)" in snippet and "(studies/excluded.md)" in snippet  # relative to about.md
        assert "2026-11-20" in pages[f"snippets/{lang}/counts.md"]
        assert "(about.md#how-the-studies-were-found)" in pages[f"snippets/{lang}/counts.md"]
        assert "../about.md#how-the-studies-were-found" in pages[f"{lang}/studies/index.md"]
        excluded = pages[f"{lang}/studies/excluded.md"]
        assert "{ #nct00000077 }" in excluded and "NCT00000077" in excluded
        log = pages[f"{lang}/studies/search.md"]
        assert "amyotrophic lateral sclerosis mesenchymal stem cells" in log
        assert "excluded.md#nct00000077" in log and "(nct00000001.md)" in log


def test_flow_box_text_wraps_chinese_and_english():
    from scripts.prisma import _wrap
    assert _wrap("Found by other routes (references of papers, earlier curation)", 30) == [
        "Found by other routes", "(references of papers, earlier", "curation)"]
    lines = _wrap("经其他途径发现（文献引用、既往整理）", 20)
    assert len(lines) == 2 and "".join(lines) == "经其他途径发现（文献引用、既往整理）"


def test_every_non_randomised_result_carries_the_bias_that_could_explain_it():
    from scripts.evidence import caveat
    base = {"status": "completed", "record_type": "registered-trial", "results": ["publication"], "findings": {"en": "x"},
            "design": {"allocation": "non-randomised", "comparator": "external-control"}}
    assert caveat(base) == "external"
    assert caveat({**base, "design": {"allocation": "non-randomised", "comparator": "standard-care"}}) == "concurrent"
    assert caveat({**base, "design": {"allocation": "single-group", "comparator": "none"}}) == "uncontrolled"
    assert caveat({**base, "record_type": "published-series", "design": {"allocation": "single-group",
                                                                        "comparator": "none"}}) == "uncontrolled"
    assert caveat({**base, "design": {"allocation": "randomised", "comparator": "placebo"}}) is None
    assert caveat({k: v for k, v in base.items() if k != "findings"}) is None  # nothing reported, nothing to explain


def test_the_markdown_subset_changes_no_page(data_dir):
    """Every page, generated and hand-written, and every hostile string converts to the same HTML as with stock
    Python-Markdown (all inline patterns, no shortcuts)."""
    subset = _md()
    assert not set(subset.inlinePatterns._data) & set(markdown_subset.UNUSED)
    # The shortcut for text without syntax is on with the site's extensions (it turns itself off for patterns it
    # does not know), and it does skip text: without it this test would compare stock Markdown with itself.
    quick = subset.treeprocessors["inline"]
    subset.convert("| Phase | 1/2 |\n|---|---|\n| a | b |\n\nPlain words and a [link](x.md).")
    assert quick._has_syntax is not None and quick._has_syntax("Phase 1/2") is None
    tried = []
    apply = markdown.treeprocessors.InlineProcessor._InlineProcessor__applyPattern
    try:
        markdown.treeprocessors.InlineProcessor._InlineProcessor__applyPattern = \
            lambda self, pattern, *rest: tried.append(type(pattern).__name__) or apply(self, pattern, *rest)
        subset.reset().convert("A cell with a [link](x.md) and no other syntax.")
    finally:
        markdown.treeprocessors.InlineProcessor._InlineProcessor__applyPattern = apply
    assert set(tried) == {"LinkInlineProcessor"}, tried  # the other patterns need a character the text lacks
    # The hand-written pages: those outside the generated sections (docs/<lang>/about.md, index.md).
    hand_written = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*/*.md"))}
    assert len(hand_written) >= 4
    pages = render_pages(_site(data_dir))
    for path, text in {**pages, **hand_written}.items():
        if path.endswith(".md"):
            assert subset.reset().convert(text) == _stock(text), path
    # The raw-HTML shortcut is taken on a generated record page (its parser runs over the first lines only).
    whole = []
    full_run = markdown.preprocessors.HtmlBlockPreprocessor.run
    try:
        markdown.preprocessors.HtmlBlockPreprocessor.run = lambda self, lines: whole.append(1) or full_run(self, lines)
        subset.reset().convert(pages["en/studies/nct00000001.md"].split("\n---\n", 1)[1])
    finally:
        markdown.preprocessors.HtmlBlockPreprocessor.run = full_run
    assert whole == []
    # Hostile text (raw, not escaped, so it uses syntax the subset leaves out), and raw HTML around a first-line
    # comment: the shortcuts alone change nothing.
    slow = _md()
    slow.treeprocessors.register(markdown.treeprocessors.InlineProcessor(slow), "inline", 20)
    slow.preprocessors.register(markdown.preprocessors.HtmlBlockPreprocessor(slow), "html_block", 20)
    slow.preprocessors.deregister("atlas_block_level_set")
    slow.parser.blockprocessors.register(markdown.extensions.tables.TableProcessor(
        slow.parser, slow.parser.blockprocessors["table"].config), "table", 75)
    for name, priority in (("hashheader", 70), ("setextheader", 60), ("hr", 50), ("quote", 20)):
        slow.parser.blockprocessors.register(markdown_subset._BLOCK_NEEDS[name][0](slow.parser), name, priority)
    comment = "<!-- generated from data/x.yml -->"
    after = ["", "text", "<div>block</div>", "<div>\nopen", "<span>open", "a <span>b</span> c", "&amp", "&amp; x",
             "<script>x", "x <!-- inline --> y", "<!-- second -->", "  <!-- indented -->", "<p>para</p>\n\nafter",
             "<span><!-- in span --></span>", "</div>", "<hr>", "<br>", "<?php x ?>", "<![CDATA[x]]>", "`<div>`"]
    html_cases = [comment, f"\n{comment}", f"{comment} tail", f"{comment}<div>x</div>"] + [
        f"{comment}\n{a}\n{b}\n{c}" for a in after for b in ("", "# Title", "<div>x</div>") for c in after[:8]]
    cells = ["a", "`x|y`", "\\|", "a \\| b", "\\\\", "``a|`b``", "\\`c|d`", "[l](x.md)", ""]
    table_cases = [f"| h | i |\n|---|---|\n| {a} | {b} |" for a in cells for b in cells] + [
        f"h | i\n--- | ---\n{a} | {b}" for a in cells for b in cells]
    lines = ["text", "# h", "## h ##", "a # b", "===", "---", "- - -", "***", "* item", "_ _ _", "> q", ">q", "a > b",
             "|", "a | b", "\\# not", "    # code"]
    block_cases = [f"{a}\n{b}" for a in lines for b in lines] + [f"{a}\n{b}\n\n{c}" for a in lines[:6]
                                                                for b in lines for c in lines[::3]]
    for text in NASTY + [" ".join(NASTY), "\n\n".join(NASTY)] + html_cases + table_cases + block_cases:
        assert subset.reset().convert(text) == slow.reset().convert(text), text


def _stock(text: str) -> str:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""), Loader=yaml.SafeLoader)
    exts = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    return markdown.Markdown(extensions=exts).convert(text)


def test_relative_links_are_what_posixpath_gives():
    pages = ["index.md", "about.md", "studies/index.md", "studies/x.md", "references/index.md", "a/b/c.md", "a/b.md",
             "a/bc/d.md", "ab/c.md", "./studies/x.md", "../other.md", "studies//x.md"]
    for current in pages:
        for target in pages:
            for anchor in ("", "#ref-a-2020"):
                assert relative(target + anchor, current) == posixpath.relpath(target, posixpath.dirname(current)
                                                                               or ".") + anchor, (target, current)


def test_hand_written_pages_are_held_to_the_subset():
    page = ("Fine [link](x.md) and `![not an image](x)` here.\n```\n[a][b]\n```\n"
            "![image](a.png)\n[text][ref]\n[ref]: https://e.org\nMail <a@b.org>\nBreak  \nBreak\\\n")
    assert [(line, what.split(" (")[0]) for line, what, _ in markdown_subset.problems(page)] == [
        (5, "an image"), (6, "a reference-style link"), (7, "a reference-style link"), (8, "an e-mail autolink"),
        (9, "a hard line break"), (10, "a hard line break")]
