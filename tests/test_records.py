"""The loader and validator: each class of error fires, names file, field and line, and says how to fix it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import TODAY
from scripts.records import load_site


def errors_for(data: Path) -> list[str]:
    _, errors = load_site(data, TODAY)
    return [str(e) for e in errors]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


STUDY = "studies/nct00000001.yml"


def test_fixture_data_is_valid(data_dir):
    assert errors_for(data_dir) == []


@pytest.mark.parametrize("old, new, expected", [
    ("sponsor: Test Sponsor\n", "sponsor: Test Sponsor\nsponser: x\n",
     "data/studies/nct00000001.yml:@@sponser:@@: sponser: is not a known field (fix: did you mean `sponsor`?"),
    ("enrolled: 48", "enrolled: forty", "data/studies/nct00000001.yml:@@enrolled:@@: enrolled: expected a whole number, found the text 'forty'"),
    ("enrolled: 48", "enrolled: -1", "data/studies/nct00000001.yml:@@enrolled:@@: enrolled: -1 is below the minimum 0"),
    ("  zh: 一项小型安慰剂对照试验，未发现获益。\n", "", "data/studies/nct00000001.yml:@@lay_summary:@@: lay_summary.zh: is required but missing"),
    ("  zh: 一项小型安慰剂对照试验，未发现获益。", "  zh: ''", "data/studies/nct00000001.yml:@@  zh: ''@@: lay_summary.zh: is empty"),
    ("cell_types: [msc-umbilical-cord]", "cell_types: [msc-umbilical-chord]",
     "data/studies/nct00000001.yml:@@cell_types:@@: cell_types[0]: 'msc-umbilical-chord' is not a record in data/cell-types/ (fix: did you mean 'msc-umbilical-cord'?)"),
    ("routes: [intrathecal]", "routes: [intravenous]",
     "data/studies/nct00000001.yml:@@routes:@@: routes[0]: 'intravenous' is not a record in data/routes/"),
    ("references: [test-2022-trial]", "references: [nobody-2020]",
     "data/studies/nct00000001.yml:@@references:@@: references[0]: 'nobody-2020' is not a record in data/references/"),
    ("registry_ids: [NCT00000001]", "registry_ids: [NCT0000001]",
     "data/studies/nct00000001.yml:@@registry_ids:@@: registry_ids[0]: the text 'NCT0000001' is not in the expected form"),
    ("registry_ids: [NCT00000001]", "registry_ids: [ChiCTR1800]",
     "registry_ids[0]: the text 'ChiCTR1800' is not in the expected form"),
    ("last_reviewed: 2026-11-01", "last_reviewed: 2027-01-01",
     "data/studies/nct00000001.yml:@@last_reviewed:@@: last_reviewed: '2027-01-01' is in the future (today is 2026-11-27)"),
    ("start: 2019-05", "start: 2019-02-30", "data/studies/nct00000001.yml:@@start:@@: start: '2019-02-30' is not a real calendar date"),
    ("completion: 2021-06", "completion: 2018-06", "data/studies/nct00000001.yml:@@completion:@@: completion: completion 2018-06 is before start 2019-05"),
    ("  - https://clinicaltrials.gov/study/NCT00000001", "  - javascript:alert(1)",
     "data/studies/nct00000001.yml:@@javascript:@@: sources[0]: the text 'javascript:alert(1)' is not in the expected form"),
    ("  - https://clinicaltrials.gov/study/NCT00000001", "  - data:text/html,<script>alert(1)</script>",
     "sources[0]: the text 'data:text/html,<script>alert(1)</script>' is not in the expected form"),
    ('phase: "2"', "phase: 2", 'data/studies/nct00000001.yml:@@phase:@@: phase: a number (2) is not an allowed value (fix: write it in quotes: "2")'),
    ("status: completed", "status: complete", "data/studies/nct00000001.yml:@@status: complete@@: status: the text 'complete' is not an allowed value (fix: use one of:"),
    ("sponsor: Test Sponsor\n", "sponsor: Test Sponsor\nsponsor: Other\n",
     "data/studies/nct00000001.yml:@@sponsor: Other@@: duplicate key 'sponsor' (first at line @@sponsor: Test@@)"),
    ("title:\n", "title:\n\t", "data/studies/nct00000001.yml:@@\t@@: YAML syntax error"),
    ("    zh: 48 例受试者按 3:1 随机接受细胞或安慰剂治疗，随访 6 个月。", "    zh: 48 例受试者按 3:1 随机接受细胞或安慰剂治疗，随访 12 个月。",
     "data/studies/nct00000001.yml:@@summary:@@: design.summary: numbers differ between languages; only in en: 6; only in zh: 12"),
    ("  zh: 同行评议论文", "  zh: 间质干细胞同行评议论文",
     "findings.zh: uses '间质干细胞', which the glossary marks to avoid (fix: write '间充质干细胞'"),
    ("  zh: 同行评议论文[[ref:test-2022-trial]]", "  zh: 同行评议论文[[ref:test-2023-trial]]",
     "findings.zh: link [[ref:test-2023-trial]] points to no record in data/references/"),
])
def test_each_error_names_file_line_field_and_fix(data_dir, old, new, expected):
    edit(data_dir / STUDY, old, new)
    lines = (data_dir / STUDY).read_text(encoding="utf-8").splitlines()
    # @@text@@ in an expectation stands for the number of the first line containing that text.
    expected = re.sub(r"@@(.+?)@@", lambda m: str(next(i for i, line in enumerate(lines, 1) if m.group(1) in line)),
                      expected)
    found = errors_for(data_dir)
    assert any(expected in e for e in found), "\n".join(found)
    assert all("(fix: " in e for e in found), "every error says how to fix it"


def test_tabs_get_a_specific_fix(data_dir):
    edit(data_dir / STUDY, "  en: Umbilical", "\ten: Umbilical")
    assert any("indent with spaces, never tabs" in e for e in errors_for(data_dir))


@pytest.mark.parametrize("content, expected", [
    (b"\xef\xbb\xbftitle: x\n", "byte-order mark"),
    (b"title: \xff\xfe\n", "not valid UTF-8"),
    (b"", "file is empty"),
    (b"# only a comment\n", "file is empty"),
    (b"- a\n- b\n", "the top level must be a mapping"),
    (b"a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
    (b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n", "anchors and aliases"),  # billion laughs
    (b"a: !!python/object/apply:os.system [ls]\n", "unsupported YAML tag"),
    (b"title: " + b"x" * 300_000 + b"\n", "more than the 262144 allowed"),
])
def test_unreadable_files_are_rejected(data_dir, content, expected):
    (data_dir / "studies" / "nct00000002.yml").write_bytes(content)
    found = errors_for(data_dir)
    assert any(e.startswith("data/studies/nct00000002.yml") and expected in e for e in found), found


@pytest.mark.parametrize("name, expected", [
    ("NCT00000003.yml", "file name 'NCT00000003' is not a valid id"),
    ("bad name.yml", "is not a valid id"),
    ("..hidden.yml", "is not a valid id"),
    ("nct00000003.yaml", "is not a .yml file"),
])
def test_file_names_must_be_ids(data_dir, name, expected):
    (data_dir / "studies" / name).write_text("title: x\n", encoding="utf-8")
    assert any(expected in e for e in errors_for(data_dir))


def test_symlinks_are_refused(data_dir, tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text("title: x\n")
    (data_dir / "studies" / "linked.yml").symlink_to(outside)
    assert any("linked.yml: is not a regular file" in e for e in errors_for(data_dir))


def test_same_registry_id_in_two_files_is_an_error(data_dir):
    text = (data_dir / STUDY).read_text(encoding="utf-8")
    (data_dir / "studies" / "nct00000009.yml").write_text(
        text.replace("registry_ids: [NCT00000001]", "registry_ids: [NCT00000009, NCT00000001]"), encoding="utf-8")
    found = errors_for(data_dir)
    assert any("NCT00000001 is already the subject of data/studies/nct00000001.yml" in e for e in found), found


def test_file_name_must_match_primary_registry_id(data_dir):
    (data_dir / STUDY).rename(data_dir / "studies" / "nct00000005.yml")
    found = errors_for(data_dir)
    assert any("file name does not match the primary registry ID NCT00000001" in e
               and "rename the file to nct00000001.yml" in e for e in found), found


def test_duplicate_pmid_across_references(data_dir):
    ref = data_dir / "references" / "test-2022-trial.yml"
    (data_dir / "references" / "test-2022-copy.yml").write_text(ref.read_text(encoding="utf-8").replace(
        "doi: 10.9999/test.2022.1", "doi: 10.9999/test.2022.2"), encoding="utf-8")
    assert any("pmid 10000001 is already used by data/references/test-2022-" in e for e in errors_for(data_dir))


def test_reference_needs_pmid_doi_or_url(data_dir):
    ref = data_dir / "references" / "test-2022-trial.yml"
    edit(ref, 'pmid: "10000001"\n', "")
    edit(ref, "doi: 10.9999/test.2022.1\n", "")
    assert any("does not satisfy any allowed form (fix: give at least one of pmid, doi or url)" in e
               for e in errors_for(data_dir))


@pytest.mark.parametrize("old, new, expected", [
    ('pmid: "10000001"', "pmid: 10000001", 'pmid: expected text, found a number (10000001) (fix: write it in quotes: "10000001"'),
    ('pmid: "10000001"', 'pmid: "PMID10000001"', "pmid: the text 'PMID10000001' is not in the expected form"),
    ("doi: 10.9999/test.2022.1", "doi: https://doi.org/10.9999/test.2022.1", "doi: the text 'https://doi.org/10.9999/test.2022.1' is not in the expected form"),
])
def test_malformed_publication_ids(data_dir, old, new, expected):
    edit(data_dir / "references" / "test-2022-trial.yml", old, new)
    found = errors_for(data_dir)
    assert any(expected in e for e in found), found


def test_all_errors_are_reported_in_one_run(data_dir):
    edit(data_dir / STUDY, "enrolled: 48", "enrolled: -1")
    edit(data_dir / STUDY, "status: completed", "status: done")
    edit(data_dir / "routes" / "intrathecal.yml", "invasiveness: moderate", "invasiveness: medium")
    found = errors_for(data_dir)
    assert len([e for e in found if "nct00000001" in e]) == 2
    assert any("routes/intrathecal.yml" in e for e in found)


def test_interface_strings_must_have_the_same_keys(data_dir):
    with (data_dir / "strings" / "zh.yml").open("a", encoding="utf-8") as f:
        f.write("only.zh: 仅中文\n")
    with (data_dir / "strings" / "en.yml").open("a", encoding="utf-8") as f:
        f.write("studies.count_extra: \"{count} studies\"\n")
    found = errors_for(data_dir)
    assert any("data/strings/zh.yml:" in e and "only.zh: is not a known field" in e for e in found)
    assert any("data/strings/en.yml:" in e and "studies.count_extra: is not a known field" in e for e in found)


def test_interface_string_missing_from_both_files_is_reported(data_dir):
    for lang in ("en", "zh"):
        path = data_dir / "strings" / f"{lang}.yml"
        path.write_text("\n".join(l for l in path.read_text(encoding="utf-8").split("\n")
                                  if not l.startswith("col.field:")), encoding="utf-8")
    found = errors_for(data_dir)
    for lang in ("en", "zh"):
        assert any(f"data/strings/{lang}.yml" in e and "col.field: is required but missing" in e for e in found), found


def test_placeholders_must_match_across_languages(data_dir):
    edit(data_dir / "strings" / "zh.yml", "核查于 {date}。本页数据来源文件", "核查于 {day}。本页数据来源文件")
    assert any("record.footer: has placeholders {day}, {path} where the pages fill in {date}, {path}" in e for e in errors_for(data_dir))


def test_unknown_placeholder_in_both_languages_is_reported(data_dir):
    for lang in ("en", "zh"):
        path = data_dir / "strings" / f"{lang}.yml"
        text = path.read_text(encoding="utf-8")
        assert "{date}" in text
        path.write_text(text.replace("{date}", "{datum}", 1), encoding="utf-8")
    found = errors_for(data_dir)
    assert sum("where the pages fill in {date}" in e for e in found) == 2, found


def test_real_data_is_valid():
    from conftest import ROOT
    _, errors = load_site(ROOT / "data")
    assert not errors, "\n".join(str(e) for e in errors[:50])


EXCLUDED = "excluded/nct00000077.yml"
SEARCH = "searches/2026-11-20-pubmed.yml"


def test_excluded_record_needs_a_reason(data_dir):
    edit(data_dir / EXCLUDED, "reason: not-found\n", "")
    found = errors_for(data_dir)
    assert any(e.startswith("data/excluded/nct00000077.yml") and "reason: is required but missing" in e
               for e in found), found


def test_registry_id_cannot_be_both_included_and_excluded(data_dir):
    edit(data_dir / EXCLUDED, "registry_ids: [NCT00000077]", "registry_ids: [NCT00000001]")
    (data_dir / EXCLUDED).rename(data_dir / "excluded" / "nct00000001.yml")
    found = errors_for(data_dir)
    assert any("data/excluded/nct00000001.yml:6: registry_ids[0]: NCT00000001 is also a study record "
               "(data/studies/nct00000001.yml)" in e for e in found), found


def test_duplicate_reason_needs_the_study_it_duplicates(data_dir):
    edit(data_dir / EXCLUDED, "reason: not-found", "reason: duplicate")
    found = errors_for(data_dir)
    assert any("duplicate_of: a duplicate names the study record it duplicates" in e for e in found), found
    edit(data_dir / EXCLUDED, "reason: duplicate", "reason: duplicate\nduplicate_of: nct00000099")
    found = errors_for(data_dir)
    assert any("duplicate_of: 'nct00000099' is not a record in data/studies/" in e for e in found), found


def test_search_counts_must_add_up(data_dir):
    edit(data_dir / SEARCH, "not-a-study: 5", "not-a-study: 4")
    found = errors_for(data_dir)
    assert any("data/searches/2026-11-20-pubmed.yml:9: queries[0]: found (8) minus duplicates (0) is 8, but included"
               " + assessed_excluded + excluded add up to 7" in e for e in found), found


def test_a_study_is_found_first_by_one_query_only(data_dir):
    edit(data_dir / SEARCH, "included: []", "included: [nct00000001]")
    edit(data_dir / SEARCH, "not-a-study: 2", "not-a-study: 1")
    found = errors_for(data_dir)
    assert any("queries[1].included[0]: nct00000001 was already found by" in e for e in found), found


def test_search_screening_reasons_are_closed(data_dir):
    edit(data_dir / SEARCH, "not-als: 1", "not-relevant: 1")
    found = errors_for(data_dir)
    assert any("queries[0].excluded.not-relevant: is not a valid key name" in e for e in found), found


def test_sources_are_graded_the_same_way_everywhere():
    from scripts.sources import grade_reference, grade_url
    for url in ("https://clinicaltrials.gov/study/NCT01051882", "https://pubmed.ncbi.nlm.nih.gov/26751635/",
                "https://www.fda.gov/media/1/download", "https://en.irct.ir/trial/48162",
                "https://trialsearch.who.int/Trial2.aspx?TrialID=ChiCTR2000000000",
                "https://apps.who.int/trialsearch/Trial2.aspx?TrialID=X", "https://www.nmpa.gov.cn/yaopin/x.html"):
        assert grade_url(url) == "primary", url
    for url in ("https://trial.medpath.com/clinical-trial/x", "https://wxredian.com/art?id=1",
                "https://apps.who.int/iris/handle/1", "https://fda.gov.example.com/x", "http://47.251.13.51:8081/1",
                "https://notfda.gov/x"):
        assert grade_url(url) == "secondary", url
    assert grade_reference({"type": "journal-article"}) == "primary"
    assert grade_reference({"type": "press-release"}) == "secondary"
    assert grade_reference({"type": "web-page"}) == "secondary"


def test_a_regulatory_event_on_a_secondary_source_needs_an_uncertain_note(data_dir):
    path = data_dir / STUDY
    text = path.read_text(encoding="utf-8")
    event = ("regulatory:\n  - date: 2020-01\n    agency: FDA\n    event:\n      en: Orphan designation, according to the"
             " company.\n      zh: 据公司称获孤儿药资格。\n    source: https://news.example.com/orphan\n")
    path.write_text(text.replace("sources:\n", event + "sources:\n", 1), encoding="utf-8")
    from scripts.translations import main as translations
    translations(["stamp", str(path)])
    found = errors_for(data_dir)
    assert any("regulatory[0].source: this regulatory event rests on a secondary source" in e for e in found), found
    path.write_text(path.read_text(encoding="utf-8").replace("source: https://news.example.com/orphan",
                                                             "source: https://www.fda.gov/orphan"), encoding="utf-8")
    assert not any("secondary source" in e for e in errors_for(data_dir))


@pytest.mark.parametrize("bad, good", [
    ("家族性ALS患者", "家族性 ALS 患者"),
    ("入组20例", "入组 20 例"),
    ("共{count}项", "共 {count} 项"),
    ("小鼠, SOD1-G93A", "小鼠，SOD1-G93A"),
    ("SOD1-G93A: 携带突变", "SOD1-G93A：携带突变"),
    ("鞘内注射 (IT)的疗效", "鞘内注射（IT）的疗效"),
    ("小鼠， SOD1", "小鼠，SOD1"),
    ("融合肉瘤（（FUS））", "融合肉瘤（FUS）"),
])
def test_chinese_punctuation_and_spacing_rule(bad, good):
    from scripts import zhtext
    assert zhtext.problems(bad) and zhtext.fix(bad) == good and zhtext.problems(good) == []


def test_the_rule_leaves_links_and_their_spacing_alone():
    from scripts import zhtext
    text = "同行评议论文 [[ref:x]] 报告，经[[route:intrathecal]]给药“研究” [[ref:y]]。"
    assert zhtext.problems(text) == [] and zhtext.fix(text) == text


def test_validator_reports_the_chinese_rule_with_its_fix(data_dir):
    path = data_dir / STUDY
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("zh: 第 24 周 ALSFRS-R", "zh: 第24周 ALSFRS-R", 1), encoding="utf-8")
    found = errors_for(data_dir)
    assert any("no space between Chinese and Latin letters or digits" in e and "scripts.zhtext --fix" in e
               for e in found), found
    from scripts import zhtext
    zhtext.main(["--fix", str(path)])
    assert errors_for(data_dir) == []


def test_two_processes_load_and_check_exactly_what_one_does(tmp_path, monkeypatch):
    """A large data set is read and checked in two forked halves (scripts/forked.each): the same records and the
    same errors, in the same order, as in one process, with every file of the bad-input corpus in the data."""
    from conftest import fixture_data
    from scripts import forked
    from test_bad_input import CASES, place

    data = fixture_data(tmp_path)
    for i, case in enumerate(CASES):
        target = Path(case["target"])
        if (data / target).exists():  # cases share targets: each gets a file of its own
            target = target.with_name(f"{target.stem}-case{i}{target.suffix}")
        place(data, {**case, "target": target.as_posix()})

    def load() -> tuple[dict, list[str], dict]:
        site, errors = load_site(data, TODAY)
        return ({k: {i: r.data for i, r in v.items()} for k, v in site.records.items()}, [str(e) for e in errors],
                site.invalid)

    # Other tests of the session may have left threads running (a served site), which safe_to_fork refuses; the
    # children here take no lock another thread could hold (as in test_render's forked rendering).
    monkeypatch.setattr(forked, "safe_to_fork", lambda: True)
    monkeypatch.setattr(forked, "WORTH_IT", 10**9)
    one = load()
    calls = []
    real_start = forked.start
    monkeypatch.setattr(forked, "start", lambda fn: calls.append(fn) or real_start(fn))
    monkeypatch.setattr(forked, "WORTH_IT", 0)
    two = load()
    assert len(calls) == 2  # the files, then the checks across records
    assert len(one[1]) > len(CASES) / 2 and one[0]["studies"]
    assert two == one
