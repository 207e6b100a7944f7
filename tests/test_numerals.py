"""Numbers and dates compared between the languages of each prose field (scripts/numerals.py): digits, English
number words, Chinese numerals, and dates in either language's form."""

from __future__ import annotations

import pytest

from conftest import TODAY
from scripts.numerals import differences, en_value, numbers_in, zh_value
from scripts.records import load_site


@pytest.mark.parametrize("en, zh", [
    ("48 participants", "48 名受试者"),
    ("three patients", "3 名患者"),
    ("3 patients", "三名患者"),
    ("twenty-five centres", "二十五个中心"),
    ("two hundred and six cells", "206 个细胞"),
    ("one hundred and five cases", "一百零五例"),
    ("per hundred thousand people", "每十万人口"),
    ("fifty percent", "百分之五十"),
    ("both groups", "两组"),  # 2 in words excuses and is excused
    ("2 doses", "两剂"),
    ("the 24th symposium", "第 24 届研讨会"),
    ("very important", "十分重要"),  # 十 inside a word is not a number
    ("three-dimensional culture", "三维培养"),  # not before a measure word: only possible, and it excuses "three"
    ("March 5, 2019", "2019 年 3 月 5 日"),
    ("5 March 2019", "2019-03-05"),
    ("on 5 March", "3 月 5 日"),
    ("in March 2024 a newspaper", "2024 年 3 月一家报纸"),
    ("May and June 2025", "2025 年 5 月和 6 月"),
    ("August to November 2022", "2022 年 8 月至 11 月"),
    ("in 2019, 6 months later", "2019 年，6 个月后"),
    ("in June", "6 月"),  # a month alone is not compared
    ("State Council Decree No. 818", "国务院令第 818 号"),  # a number after 第 is not a day
    ("Decree No. 818", "国务院令第818号"),
])
def test_same_numbers_written_differently_agree(en, zh):
    assert differences(en, zh) == ((), ()), (numbers_in(en, "en"), numbers_in(zh, "zh"))


@pytest.mark.parametrize("en, zh, expected", [
    ("three patients", "4 名患者", (["3"], ["4"])),
    ("3 patients", "四名患者", (["3"], ["4"])),
    ("twelve weeks", "十三周", (["12"], ["13"])),
    ("two hundred cells", "300 个细胞", (["200"], ["300"])),
    ("March 5, 2019", "2019 年 3 月 6 日", (["2019-03-05"], ["2019-03-06"])),
    ("5 March 2019", "2019 年 5 月 3 日", (["2019-03-05"], ["2019-05-03"])),  # day and month swapped
    ("on 5 March", "5 月 3 日", (["--03-05"], ["--05-03"])),
    ("in March 2019", "2020 年 3 月", (["2019", "2019-03"], ["2020", "2020-03"])),
    ("in May 2024", "2024 年", (["2024-05"], [])),
    ("Decree No. 818", "国务院令第 819 号", (["818"], ["819"])),
    ("Decree No. 818", "第 1818 号", (["818"], ["1818"])),  # ... nor is the tail of 1818
])
def test_different_numbers_are_reported(en, zh, expected):
    assert differences(en, zh) == tuple(map(tuple, expected))


def test_values_of_words_and_numerals():
    assert [en_value(w) for w in ("twenty-five", "two hundred and six", "a thousand", "three thousand five hundred",
                                  "one million two hundred thousand", "twice")] == [25, 206, 1000, 3500, 1_200_000, 2]
    assert [zh_value(n) for n in ("三", "十五", "二十", "一百零五", "三千", "两万", "十万", "15")] == \
        [3, 15, 20, 105, 3000, 20000, 100000, 15]


def test_ids_in_links_are_not_numbers():
    assert not numbers_in("see [[ref:smith-2019-trial]]", "en").stated


def test_validator_reports_a_number_in_words_that_differs(data_dir):
    study = data_dir / "studies" / "nct00000001.yml"
    text = study.read_text(encoding="utf-8")
    text = text.replace("  en: A small placebo-controlled trial that found no benefit.",
                        "  en: A small placebo-controlled trial in three centres that found no benefit.")
    text = text.replace("  zh: 一项小型安慰剂对照试验，未发现获益。", "  zh: 一项在四个中心开展的小型安慰剂对照试验，未发现获益。")
    study.write_text(text, encoding="utf-8")
    errors = [str(e) for e in load_site(data_dir, TODAY)[1]]
    assert any("lay_summary: numbers differ between languages; only in en: 3; only in zh: 4" in e for e in errors), errors
