"""Escaping by construction on each path from data to HTML (issue #15, item 5), tested on arbitrary text rather than
on chosen examples: front matter always parses back to the same text, JSON in <script> cannot end the element,
addresses cannot leave their link or table cell, abbreviations never touch references, tags or code, and no page
gets one anchor twice. (tests/test_injection.py checks a whole hostile build.)"""

from __future__ import annotations

import html
import json
import re

import markdown
import pytest
from hypothesis import given, settings, strategies as st
from mkdocs.utils import meta

from conftest import TODAY
from scripts.render import script_json, url_for_markdown, yaml_scalar
from scripts.records import load_site
from test_hooks import _config
from scripts import abbreviations
from scripts.hooks import a11y, common

# Every code point, surrogates aside (they cannot be written to a file): the text policy refuses many, but these
# functions must not depend on it.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | ANY_TEXT,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
                           max_leaves=12)
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None)


@FUZZ
@given(ANY_TEXT, ANY_TEXT)
def test_front_matter_always_parses_back_to_the_same_text(title, description):
    page = f"---\ntitle: {yaml_scalar(title)}\ndescription: {yaml_scalar(description)}\n---\n\n# Body\n"
    assert yaml_scalar(title).isascii()
    body, data = meta.get_data(page)
    assert data == {"title": " ".join(title.split()), "description": " ".join(description.split())}
    assert body.strip() == "# Body"


@FUZZ
@given(JSON_VALUES)
def test_json_in_a_script_element_cannot_end_it(value):
    text = script_json(value)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


@FUZZ
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_an_address_stays_inside_its_link_and_table_cell(tail):
    url = "https://example.org/" + tail
    safe = url_for_markdown(url)
    assert not re.search(r"""[\s()<>|\\"'`*\[\]{}]""", safe), safe
    page = markdown.markdown(f"| a | b |\n|---|---|\n| [x](<{safe}>) | c |\n", extensions=["tables", "attr_list"])
    cells = re.findall(r"<td>(.*?)</td>", page, re.S)
    assert len(cells) == 2 and cells[1] == "c", page
    assert re.fullmatch(r'<a href="([^"<>]*)">x</a>', cells[0]), page


def test_addresses_that_broke_out_before():
    for url, encoded in (("https://e.org/a\\", "https://e.org/a%5C"), ("https://e.org/a|b", "https://e.org/a%7Cb"),
                         ("https://e.org/(a)'\"", "https://e.org/%28a%29%27%22"), ("https://e.org/%7C?x=1&y=2#f", None)):
        assert url_for_markdown(url) == (encoded or url)


def test_abbreviations_never_touch_character_references_tags_comments_or_code(tmp_path):
    config = _config(tmp_path, "en")
    # Abbreviations spelled like the names of character references, added to what the generator hands the hooks.
    common.set_facts({"glossary": common.glossary_terms() + [
        {"abbreviation": name, "term": {"en": f"expansion of {name}", "zh": "展开"}, "zh_alternatives": []}
        for name in ("amp", "lt", "quot", "x27")]})
    a11y.on_config(config)
    page = ('<p title="MSC > x" data-x=\'ALS > y\'>Tom &amp; Jerry &lt;b&gt; &quot;q&quot; &#x27; &#39;</p>\n'
            '<!-- MSC > ALS -->\n```\nALS\n```\n\n`` ALS ` MSC ``\n[ALS](<https://e.org/ALS>)\n'
            '<https://e.org/MSC>\n{ #ALS .MSC }\nMSC\n')
    out = a11y.on_page_markdown(page, None, config, None)
    assert out == page.replace("\nMSC\n", '\n<abbr title="mesenchymal stem cell" tabindex="0">MSC</abbr>\n'), out
    amp_out = a11y.on_page_markdown("amp &amp; amp\n", None, config, None)
    assert amp_out == '<abbr title="expansion of amp" tabindex="0">amp</abbr> &amp; amp\n'
    # A glossary term cannot end a table cell or an attribute from inside the mark's title.
    marker = abbreviations.Marker({"MSC": 'a | b " c <d>'})
    assert marker.mark("| MSC |") == '| <abbr title="a &#124; b &#34; c &#60;d&#62;" tabindex="0">MSC</abbr> |'
    # Nor can Markdown inside a title (the link pattern runs before raw HTML is set aside) make a link or markup.
    marked = abbreviations.Marker({"MSC": "[x](javascript:y) *a* `c` {: .x }"}).mark("MSC")
    assert markdown.markdown(marked) == f"<p>{marked}</p>" and "javascript:" not in marked


def test_an_abbreviation_is_not_marked_as_the_tail_of_a_hyphenated_name():
    marker = abbreviations.Marker({"CSF": "cerebrospinal fluid", "MSC-NTF": "MSC-NTF cells"})
    assert marker.mark("G-CSF was given; CSF was sampled.") == \
        'G-CSF was given; <abbr title="cerebrospinal fluid" tabindex="0">CSF</abbr> was sampled.'
    assert marker.mark("MSC-NTF") == '<abbr title="MSC&#45;NTF cells" tabindex="0">MSC-NTF</abbr>'


def _article(data_dir, old: str, new: str):
    path = data_dir / "articles" / "what-is-proven.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return [str(e) for e in load_site(data_dir, TODAY)[1]]


@pytest.mark.parametrize("section_id, message", [
    ("references", "section id 'references' is also a heading anchor the page uses (#references)"),
    ("cite", "section id 'cite' is also a heading anchor the page uses"),
    ("what-is-proven", "section id 'what-is-proven' is used twice on the page (it is the article's own id)"),
])
def test_section_ids_never_collide_with_the_pages_anchors(data_dir, section_id, message):
    errors = _article(data_dir, "  - id: in-short", f"  - id: {section_id}")
    assert any(f"data/articles/what-is-proven.yml:8: sections[0].id: {message}" in e for e in errors), errors


def test_record_ids_never_collide_with_their_pages_anchors(data_dir):
    study = data_dir / "studies" / "test-2010-series.yml"
    study.rename(study.with_name("findings.yml"))
    errors = [str(e) for e in load_site(data_dir, TODAY)[1]]
    assert any("data/studies/findings.yml: the id 'findings' is also a heading anchor the pages use" in e
               for e in errors), errors


def test_renderer_refuses_an_anchor_twice_on_a_page(data_dir):
    from scripts.render import Renderer
    site, errors = load_site(data_dir, TODAY)
    assert not errors
    ctx = Renderer(site).context("en", "patients/what-is-proven.md", "x", template="article.md.j2")
    ctx["anchor"]("in-short")
    for bad in ("in-short", "references", "Not-an-id", "a\n"):
        with pytest.raises(ValueError):
            ctx["anchor"](bad)
    assert ctx["anchor"]("ref-in-short") == "ref-in-short"  # a reference-list entry: its own name
    with pytest.raises(ValueError):
        ctx["anchor"]("ref-in-short")


def test_escaped_html_entities_survive_markdown():
    # The renderer's own escape(): an entity written in data is shown, not interpreted.
    from scripts.render import escape
    out = markdown.markdown(str(escape("&amp; <!--<script> | x")), extensions=["tables"])
    assert html.unescape(re.sub("<[^>]+>", "", out)) == "&amp; <!--<script> | x"
