"""Text typed into data/ must reach every HTML file inert: no script, no event handler, no dangerous link, no
template evaluation, no broken table — and still readable. Builds the fixture site with hostile records."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from conftest import FIXTURE_DATA, copy_project, mkdocs_build

pytestmark = pytest.mark.slow

# No digits: the validator would (rightly) reject numbers that appear in one language only.
HOSTILE = (
    "<script>alert('pwned')</script> \" onmouseover=\"alert(x) <img src=x onerror=alert(y)> "
    "[click](javascript:alert(z)) <a href='javascript:alert(w)'>a</a> {{ config.site_name }} {% raw %} a | b | c "
    "<!--<script>alert(v)</script> &amp; &lt;b&gt; \\ ]]> ` `` *x* _y_"
)
# Allowed by the schema's URL pattern, and each able to end a Markdown link or table cell if written raw.
HOSTILE_URL = "https://example.org/a(b)c'd*e[f]g"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_script = False
        self.scripts: list[str] = []
        self.bad_attrs: list[tuple] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or (name in ("href", "src", "action") and value.startswith(("javascript:", "data:"))):
                self.bad_attrs.append((tag, name, value))

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        (self.scripts if self.in_script else self.text).append(data)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile") / "p", FIXTURE_DATA)
    study = project / "data" / "studies" / "nct00000001.yml"
    text = study.read_text(encoding="utf-8")
    quoted = "'" + HOSTILE.replace("'", "''") + "'"
    for old in ("  en: Umbilical cord mesenchymal stem cells given intrathecally (test fixture)",
                "  zh: 脐带间充质干细胞鞘内注射治疗试验（测试数据）",
                "  en: A small placebo-controlled trial that found no benefit.",
                "  zh: 一项小型安慰剂对照试验，未发现获益。"):
        assert old in text
        text = text.replace(old, old.split(":")[0] + ": " + quoted)
    text = text.replace("sponsor: Test Sponsor", "sponsor: " + quoted)
    text = text.replace("  - https://clinicaltrials.gov/study/NCT00000001", "  - https://clinicaltrials.gov/study/NCT00000001"
                        f"\n  - \"{HOSTILE_URL}\"")
    glossary = project / "data" / "glossary" / "mesenchymal-stem-cell.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("abbreviation: MSC", "abbreviation: amp"),
                        encoding="utf-8")
    from scripts.translations import stamp_text
    study.write_text(stamp_text(text)[0], encoding="utf-8")  # the hostile texts are the "reviewed" translations
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_no_executable_markup_from_data_reaches_any_html_file(hostile_site):
    pages = list(hostile_site.rglob("*.html"))
    assert pages
    for path in pages:
        collector = _Collector()
        collector.feed(path.read_text(encoding="utf-8"))
        assert not any("alert(" in s for s in collector.scripts), path
        assert collector.bad_attrs == [], (path, collector.bad_attrs)


def test_hostile_text_is_shown_as_text(hostile_site):
    for lang in ("", "zh/"):
        collector = _Collector()
        collector.feed((hostile_site / lang / "studies" / "nct00000001" / "index.html").read_text(encoding="utf-8"))
        text = " ".join(" ".join(collector.text).split())
        assert "<script>alert('pwned')</script>" in text
        assert "{{ config.site_name }} {% raw %}" in text, "template syntax must not be evaluated"


def test_inline_json_and_entities_survive(hostile_site):
    import json
    for lang in ("", "zh/"):
        page = (hostile_site / lang / "studies" / "index.html").read_text(encoding="utf-8")
        data = page.split('<script type="application/json" id="atlas-studies">', 1)[1].split("</script>", 1)[0]
        assert len(json.loads(data)["rows"]) == 2
        assert page.count("<tr") >= 3  # header and both studies: nothing was swallowed by a comment or script
        record = (hostile_site / lang / "studies" / "nct00000001" / "index.html").read_text(encoding="utf-8")
        assert "&<abbr" not in record and "&amp;amp;" in record  # the data's "&amp;" shown as typed
        assert 'href="https://example.org/a%28b%29c%27d%2Ae%5Bf%5Dg"' in record


def test_pipes_in_data_do_not_add_table_cells(hostile_site):
    page = (hostile_site / "studies" / "nct00000001" / "index.html").read_text(encoding="utf-8")
    row = page.split("<td>Sponsor</td>", 1)[1].split("</tr>", 1)[0]
    assert row.count("<td") == 1
