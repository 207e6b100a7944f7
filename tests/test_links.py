"""Links that read as prose (issue 14): the renderer, the validator's check and the migration of old-style links."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import TODAY
from scripts import yamlio
from scripts.migrate_links import rewrite, write_values
from scripts.records import link_prose_problems, load_site
from scripts.render import render_pages
from scripts.translations import stamp_text

STUDY = "studies/nct00000001.yml"


def set_text(data: Path, file: str, field: tuple, en: str, zh: str) -> None:
    """Give a prose field new text in both languages, stamped as translated (as a reviewer would)."""
    path = data / file
    raw = path.read_text(encoding="utf-8")
    path.write_text(write_values(raw, {field + ("en",): en, field + ("zh",): zh}), encoding="utf-8")


def add_reference(data: Path, rec_id: str, authors: str, year: int) -> None:
    text = (data / "references" / "test-2022-trial.yml").read_text(encoding="utf-8")
    text = text.replace("Tester A, Example B", authors).replace("year: 2022", f"year: {year}")
    text = re.sub(r'pmid: "\d+"', 'pmid: "10000002"', text)
    (data / "references" / f"{rec_id}.yml").write_text(re.sub(r"doi: .*", "doi: 10.9999/test.2023.2", text), encoding="utf-8")


def site_of(data: Path):
    site, errors = load_site(data, TODAY)
    return site, [str(e) for e in errors]


def pages_of(data: Path) -> dict[str, str]:
    site, errors = site_of(data)
    assert errors == []
    return render_pages(site)


# --- rendering ------------------------------------------------------------------------------------------------------

def test_a_link_prints_the_sentences_words_and_a_bare_link_the_short_name(data_dir):
    path = data_dir / "routes" / "intrathecal.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "order: 1", "short: {en: intrathecal injection, zh: 鞘内注射, stamp: '834591e6'}\norder: 1"), encoding="utf-8")
    set_text(data_dir, STUDY, ("findings",),
             "Cells were given by [[route:intrathecal|lumbar puncture]]. [[route:intrathecal]] was repeated 1 time; "
             "the [[cell:msc-umbilical-cord]] came from 1 donor.",
             "细胞经[[route:intrathecal|腰椎穿刺]]给予。[[route:intrathecal]]重复 1 次；[[cell:msc-umbilical-cord]]来自 1 名供者。")
    pages = pages_of(data_dir)
    en, zh = pages["en/studies/nct00000001.md"], pages["zh/studies/nct00000001.md"]
    assert "given by [lumbar puncture](../routes/intrathecal.md)." in en
    # At the start of a sentence the short name is capitalised; inside it, it is printed as written.
    assert "[Intrathecal injection](../routes/intrathecal.md) was repeated 1 time" in en
    assert "经[腰椎穿刺](../routes/intrathecal.md)给予。[鞘内注射](../routes/intrathecal.md)重复 1 次" in zh
    # Without a `short` name, a bare link prints the record's name.
    assert "the [Umbilical cord mesenchymal stem cells](../cell-types/msc-umbilical-cord.md) came from 1 donor" in en


def test_citations_are_numbered_per_page_in_order_of_first_citation(data_dir):
    add_reference(data_dir, "test-2023-other", "Other C", 2023)
    study = data_dir / STUDY
    study.write_text(study.read_text(encoding="utf-8").replace(
        "references: [test-2022-trial]", "references: [test-2022-trial, test-2023-other]"), encoding="utf-8")
    set_text(data_dir, STUDY, ("design", "summary"),
             "48 participants were assigned 3:1 to cells or placebo [[ref:test-2023-other]].",
             "48 例受试者按 3:1 随机接受细胞或安慰剂 [[ref:test-2023-other]]。")
    set_text(data_dir, STUDY, ("findings",),
             "No difference[[ref:test-2022-trial]], as before[[ref:test-2023-other]].",
             "无差异[[ref:test-2022-trial]]，与此前一致[[ref:test-2023-other]]。")
    pages = pages_of(data_dir)
    en, zh = pages["en/studies/nct00000001.md"], pages["zh/studies/nct00000001.md"]
    first = ('<sup class="cite"><a href="#ref-test-2023-other" aria-label="Reference 1: Other C 2023">'
             "&#91;1&#93;</a></sup>")
    # The design comes first on the page, so its citation is [1]; the space before a citation is dropped.
    assert f"to cells or placebo{first}." in en
    assert f"as before{first}." in en  # cited again: same number
    assert 'aria-label="Reference 2: Tester A 2022">&#91;2&#93;' in en
    assert 'aria-label="参考文献 1：Other C 2023">&#91;1&#93;' in zh
    refs = en[en.index("## References"):]
    assert refs.index('1. <span id="ref-test-2023-other">') < refs.index('2. <span id="ref-test-2022-trial">')


def test_uncited_references_follow_the_cited_ones_in_the_list(data_dir):
    add_reference(data_dir, "test-2023-other", "Other C", 2023)
    study = data_dir / STUDY
    study.write_text(study.read_text(encoding="utf-8").replace(
        "references: [test-2022-trial]", "references: [test-2023-other, test-2022-trial]"), encoding="utf-8")
    en = pages_of(data_dir)["en/studies/nct00000001.md"]
    refs = en[en.index("## References"):]
    assert '1. <span id="ref-test-2022-trial">' in refs and '2. <span id="ref-test-2023-other">' in refs


def test_citations_are_left_out_of_descriptions_and_of_pages_without_a_reference_list(data_dir):
    set_text(data_dir, STUDY, ("lay_summary",), "A small trial that found no benefit[[ref:test-2022-trial]].",
             "一项小型试验，未发现获益[[ref:test-2022-trial]]。")
    set_text(data_dir, "glossary/mesenchymal-stem-cell.yml", ("definition",),
             "A stromal cell that can be grown from many tissues[[ref:test-2022-trial]].",
             "可从多种组织中培养获得的基质细胞[[ref:test-2022-trial]]。")
    pages = pages_of(data_dir)
    assert 'description: "A small trial that found no benefit."' in pages["en/studies/nct00000001.md"]
    glossary = pages["en/glossary/index.md"]
    assert "grown from many tissues. |" in glossary and "cite" not in glossary


# --- the check ------------------------------------------------------------------------------------------------------

def problems(text: str, lang: str = "en", names: dict | None = None, labels: dict | None = None) -> list[str]:
    names = names or {"route:intrathecal": "intrathecal injection", "preclinical:rats": "rats with mutant SOD1",
                      "study:nct1": "NCT00000001", "cell:treg": "regulatory T cells", "term:bbb": "blood-brain barrier",
                      "route:zh": "鞘内注射", "study:label": "Trial of X (Poland)"}
    shown = lambda kind, rec_id, words: words if words is not None else names.get(f"{kind}:{rec_id}")
    return [message for message, fix in link_prose_problems(text, lang, shown, labels or {})]


@pytest.mark.parametrize("text, lang, expected", [
    ("It is given by intrathecal injection [[route:intrathecal]].", "en", "repeating the words next to it"),
    ("It is given by [[route:intrathecal]] injection.", "en", "repeating the words next to it"),
    ("经腰椎穿刺鞘内注射 [[route:zh]][[ref:nam-2022]]。", "zh", "repeating the words next to it"),
    ("经[[route:zh]]注射。", "zh", "repeating the words next to it"),
    ("expanded regulatory T cells ([[cell:treg]]) were infused.", "en", "repeating the words next to it"),
    ("Early work to slow disease used rats [[preclinical:rats]].", "en", "spliced into the sentence"),
    ("Cells reached the cord[[ref:x]] [[preclinical:rats]], as hoped.", "en", "spliced into the sentence"),
    ("Scores fell more slowly than in 31 people who did not [[study:nct1]].", "en", "spliced into the sentence"),
    ("[[ref:x]] reported no benefit.", "en", "stands as a word"),
    ("This was shown by [[ref:x]].", "en", "stands as a word"),
    ("据[[ref:x]]报道，该试验未达到终点。", "zh", "stands as a word"),
    ("No benefit[[ref:x|the 2022 report]].", "en", "has words"),
    ("The trial [[study:label]] enrolled 10 people.", "en", "a label with parentheses"),
    ("Nam JY 2022 reported no benefit[[ref:nam]].", "en", "sits in the sentence"),
    ("试验注册为[[study:nct1]]。", "zh", "with no space from the Chinese"),
    ("见 [[study:nct1]]和后续研究。", "zh", "with no space from the Chinese"),
])
def test_the_check_finds_links_that_break_their_sentence(text, lang, expected):
    found = problems(text, lang, labels={"Nam JY 2022": "nam"})
    assert any(expected in p for p in found), found


@pytest.mark.parametrize("text, lang", [
    ("It is given by [[route:intrathecal|lumbar puncture]][[ref:x]].", "en"),
    ("It is given by [[route:intrathecal]], usually twice.", "en"),
    ("Molecules stay behind the [[term:bbb]], which protects the brain.", "en"),
    ("The trial was later registered as [[study:nct1]].", "en"),
    ("Scores fell more slowly than in 31 people who did not ([[study:nct1]])[[ref:x]].", "en"),
    ("The records [[study:nct1]] and [[study:nct1]] show this.", "en"),
    ("The same authors sign other papers, such as [[study:nct1|a 2017 case report]].", "en"),
    ("同行评议论文[[ref:x]]报告，未见获益；依据[[ref:x]]的结局数据[[ref:y]]。", "zh"),
    ("细胞经腰椎穿刺[[route:zh]]给予[[ref:x]]。", "zh"),
    ("试验注册为 [[study:nct1]]。", "zh"),
])
def test_the_check_accepts_links_that_read_as_prose(text, lang):
    assert problems(text, lang) == []


def test_the_validator_reports_the_file_line_and_the_fix(data_dir):
    set_text(data_dir, STUDY, ("findings",), "It is given by [[route:intrathecal]] injection[[ref:test-2022-trial]].",
             "经[[route:intrathecal]]注射[[ref:test-2022-trial]]。")
    _, errors = site_of(data_dir)
    line = next(i for i, text in enumerate((data_dir / STUDY).read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("findings:"))
    assert any(e.startswith(f"data/{STUDY}:{line}: findings.en: link [[route:intrathecal]] prints 'Intrathecal "
                            "injection', repeating") and "fix: put the link on the words" in e for e in errors), errors
    assert any("findings.zh" in e and "repeating" in e for e in errors), errors


def test_a_reference_label_in_prose_is_reported(data_dir):
    set_text(data_dir, STUDY, ("findings",), "Tester A 2022 found no difference[[ref:test-2022-trial]].",
             "Tester A 2022 报告无差异[[ref:test-2022-trial]]。")
    _, errors = site_of(data_dir)
    assert sum("the reference label 'Tester A 2022' sits in the sentence" in e for e in errors) == 2, errors


# --- the migration --------------------------------------------------------------------------------------------------

@pytest.fixture
def real_site():
    # The real records carry real review dates, so they are judged against the real date: the fixtures' fixed TODAY
    # predates them, and a record "reviewed in the future" would be dropped and change what the migration prints.
    site, errors = load_site(Path(__file__).resolve().parent.parent / "data", dt.date.today())
    assert not errors, errors[:3]
    return site


@pytest.mark.parametrize("lang, old, new", [
    # The examples of issue 14.
    ("zh", "经腰椎穿刺鞘内注射 [[route:intrathecal]] [[ref:nam-2022-alsummit-protocol]]。",
     "经腰椎穿刺[[route:intrathecal|鞘内注射]][[ref:nam-2022-alsummit-protocol]]。"),
    ("en", "an antisense oligonucleotide given by [[route:intrathecal]] injection that lowers SOD1.",
     "an antisense oligonucleotide given by [[route:intrathecal|intrathecal injection]] that lowers SOD1."),
    ("en", "Muse cells reached the lumbar spinal cord [[ref:yamashita-2020-muse-als-mice]] "
           "[[preclinical:yamashita-2020-muse-mice]]. Next.",
     "Muse cells reached the lumbar spinal cord ([[preclinical:yamashita-2020-muse-mice]])"
     "[[ref:yamashita-2020-muse-als-mice]]. Next."),
    ("en", "a patient's own expanded regulatory T cells ([[cell:regulatory-t-cells]]) were given.",
     "a patient's own expanded [[cell:regulatory-t-cells|regulatory T cells]] were given."),
    ("en", "the NurOwn phase 3 trial with 3 doses about 8 weeks apart [[study:nct03280056]].",
     "the [[study:nct03280056|NurOwn phase 3 trial]] with 3 doses about 8 weeks apart."),
    ("zh", "同行评议论文 [[ref:li-2017-pbmc-subarachnoid]] 报告，未见", "同行评议论文[[ref:li-2017-pbmc-subarachnoid]]报告，未见"),
    ("en", "Cochrane admits only [[term:randomized-controlled-trial]]s.",
     "Cochrane admits only [[term:randomized-controlled-trial|randomized controlled trials]]."),
])
def test_the_migration_rewrites_old_links_as_prose(real_site, lang, old, new):
    assert rewrite(old, lang, real_site) == new
    assert rewrite(new, lang, real_site) == new  # text in the new form is left alone


def test_writing_values_keeps_the_rest_of_the_file_and_restamps_current_translations(data_dir):
    path = data_dir / STUDY
    before = path.read_text(encoding="utf-8")
    after = write_values(before, {("findings", "en"): "No difference[[ref:test-2022-trial]].",
                                  ("findings", "zh"): "无差异[[ref:test-2022-trial]]。"})
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ["  en: No difference[[ref:test-2022-trial]].", "  zh: 无差异[[ref:test-2022-trial]]。",
                       "  stamp: '" + yamlio.parse(after.encode()).data["findings"]["stamp"] + "'"]
    path.write_text(after, encoding="utf-8")
    assert site_of(data_dir)[1] == []


# --- terminology (issue 14, item 3) -----------------------------------------------------------------------------------

def glossary_rule(data: Path, avoid_yaml: str) -> None:
    path = data / "glossary" / "mesenchymal-stem-cell.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("zh_avoid: [间质干细胞]\n", avoid_yaml), encoding="utf-8")


@pytest.mark.parametrize("avoid, en, zh, flagged", [
    ("zh_avoid: [间质干细胞]\n", "A small trial.", "一项小型间质干细胞试验。", True),
    ("zh_avoid: [间质干细胞]\n", "A small trial.", "一项小型间质 干细胞试验。", True),  # spaces do not hide a form
    ("zh_avoid:\n- form: 假手术\n  unless_en: 'sham (surgery|operation)'\n",
     "Cells against a sham procedure.", "细胞对比假手术。", True),
    ("zh_avoid:\n- form: 假手术\n  unless_en: 'sham (surgery|operation)'\n",
     "Cells against sham surgery.", "细胞对比假手术。", False),
    ("zh_avoid:\n- form: 扩大使用\n  when_en: 'expanded access[^.]*China'\n",
     "An expanded access programme in China.", "中国的扩大使用项目。", True),
    ("zh_avoid:\n- form: 扩大使用\n  when_en: 'expanded access[^.]*China'\n",
     "An expanded access programme in the USA.", "美国的扩大使用项目。", False),
])
def test_the_glossary_check_follows_the_english_context(data_dir, avoid, en, zh, flagged):
    glossary_rule(data_dir, avoid)
    set_text(data_dir, STUDY, ("lay_summary",), en, zh)
    _, errors = site_of(data_dir)
    found = [e for e in errors if "which the glossary marks to avoid" in e]
    assert bool(found) == flagged, errors
    if flagged:
        assert found[0].startswith(f"data/{STUDY}:") and "lay_summary.zh" in found[0]
        assert "fix: write '间充质干细胞'" in found[0] and "data/glossary/mesenchymal-stem-cell.yml" in found[0]


def test_the_glossary_check_covers_interface_strings_and_hand_written_pages(data_dir, tmp_path):
    strings = data_dir / "strings" / "zh.yml"
    text = strings.read_text(encoding="utf-8")
    assert "\ncomparator.sham: 假操作\n" in text
    strings.write_text(text.replace("\ncomparator.sham: 假操作\n", "\ncomparator.sham: 间质干细胞\n"), encoding="utf-8")
    docs = data_dir.parent / "docs"
    (docs / "zh").mkdir(parents=True)
    (docs / "en").mkdir()
    (docs / "zh" / "about.md").write_text("# 关于\n\n间质干细胞\n", encoding="utf-8")
    (docs / "en" / "about.md").write_text("# About\n\nmesenchymal stem cells\n", encoding="utf-8")
    _, errors = site_of(data_dir)
    assert any(e.startswith("data/strings/zh.yml: comparator.sham: uses '间质干细胞'") for e in errors), errors
    assert any(e.startswith("docs/zh/about.md:3: uses '间质干细胞'") for e in errors), errors


def test_a_bad_pattern_in_the_glossary_is_reported(data_dir):
    glossary_rule(data_dir, "zh_avoid:\n- form: 假手术\n  unless_en: 'sham (surgery'\n")
    _, errors = site_of(data_dir)
    assert any("zh_avoid[0].unless_en: is not a valid regular expression" in e for e in errors), errors


def test_the_glossary_page_shows_usage_notes_and_forms_to_avoid(data_dir):
    path = data_dir / "glossary" / "mesenchymal-stem-cell.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "zh_avoid: [间质干细胞]\n", "zh_avoid: [间质干细胞, {form: 间叶干细胞, when_en: mesenchymal}]\n"
        "usage: {en: Write 间充质 in full., zh: 写全称“间充质”。, stamp: '" + "00000000" + "'}\n"), encoding="utf-8")
    path.write_text(stamp_text(path.read_text(encoding="utf-8"))[0], encoding="utf-8")
    pages = pages_of(data_dir)
    zh = pages["zh/glossary/index.md"]
    assert "间充质干细胞<br><small>又称：间充质基质细胞</small><br><small>不用：间质干细胞</small> |" in zh
    assert "<br><small>用法：写全称“间充质”。</small> |" in zh
    assert "<br><small>Usage: Write 间充质 in full.</small> |" in pages["en/glossary/index.md"]


def test_the_glossary_page_shows_the_english_other_names(data_dir):
    path = data_dir / "glossary" / "mesenchymal-stem-cell.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "category: cell\n", "category: cell\nen_alternatives: [mesenchymal stromal cell, MSCs]\n"), encoding="utf-8")
    pages = pages_of(data_dir)
    assert "</span>mesenchymal stem cell<br><small>Also: mesenchymal stromal cell, MSCs</small> |" in \
        pages["en/glossary/index.md"]
    assert "</span>mesenchymal stem cell<br><small>又称：mesenchymal stromal cell、MSCs</small> |" in \
        pages["zh/glossary/index.md"]


def test_a_citation_must_be_in_the_records_references(data_dir):
    study = data_dir / STUDY
    study.write_text(study.read_text(encoding="utf-8").replace("references: [test-2022-trial]", "references: []"),
                     encoding="utf-8")
    _, errors = site_of(data_dir)
    assert any(e.startswith(f"data/{STUDY}:") and "findings.en: cites [[ref:test-2022-trial]], which is not in "
               "`references` (fix: add test-2022-trial to `references`)" in e for e in errors), errors
