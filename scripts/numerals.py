"""The numbers and dates a prose text states, in a form that is the same in English and Chinese, so that the
validator can compare the two languages of each field (records.py): "three patients" ~ "3 名患者" ~ "三名患者",
"March 5, 2019" ~ "5 March 2019" ~ "2019-03-05" ~ "2019 年 3 月 5 日".

Reads and writes nothing. `numbers_in(text, lang)` returns what a text states, as tokens:
- numbers in digits, without thousands separators: "1,200" -> 1200, "2.5" -> 2.5 (ids inside [[links]] excluded);
- numbers in words, as their value: English two .. nineteen, twenty .. ninety with compounds ("twenty-five"),
  hundred, thousand, million ("two hundred and six", "a hundred thousand"); Chinese numerals 二/两 .. 九, 十, 百, 千, 万,
  亿 with 零/〇 ("十五", "一百零五", "两万"), and 百分之五十 as 50;
- dates, whichever parts the text gives: year-month-day "2019-03-05", year-month "2019-03", month-day "--03-05",
  each also stating its year. Lists and ranges of months share the year: "May and June 2025" ~ "2025 年 5 月和 6 月",
  "August to November 2022" ~ "2022 年 8 月至 11 月". A month or a day alone is not a date (English "May" is also a
  verb), so it is not counted.

Words are less certain than digits, so a number in words is either *stated* (compared both ways) or only
*possible* (it excuses the other language's number, but is not required there):
- Chinese numerals are stated only before a measure word (名, 例, 项, 次, 个月 …) and not after 第 (ordinal) or 数
  ("数十种", dozens): elsewhere they are also parts of words (十分 "very", 千万 "by all means", 三维 "three-
  dimensional", 六核苷酸 "six-letter sequence"), so they are possible;
- one and two in words are only possible in both languages: "a", "one", "both", "dual", 一, 两, 双 stand in for each
  other in ordinary sentences ("both groups" ~ "两组"), and 之一, 一些, 一致 … contain 一;
- English ordinals in words ("first", "third") are not numbers; "24th" is 24, like 第 24 届.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_WORD = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
               r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![A-Za-z])")
_DAY_NUM = r"[0-3]?[0-9](?:st|nd|rd|th)?"
_YEAR_NUM = r"(?:19|20)[0-9]{2}"
_JOIN_EN = r"(?:,? and |,? or | to |\s?[-–]\s?|, )"
# Longest forms first; each yields (year, [(month, day)]).
_EN_DATES = [re.compile(p) for p in (
    rf"\b(?P<month>{_MONTH_WORD}) (?P<day>{_DAY_NUM}),? (?P<year>{_YEAR_NUM})\b",          # March 5, 2019
    rf"\b(?P<day>{_DAY_NUM}) (?P<month>{_MONTH_WORD}),? (?P<year>{_YEAR_NUM})\b",          # 5 March 2019
    rf"\b(?P<months>{_MONTH_WORD}(?:{_JOIN_EN}{_MONTH_WORD})*),? (?P<year>{_YEAR_NUM})\b",  # May and June 2019
    rf"\b(?P<month>{_MONTH_WORD}) (?P<day>{_DAY_NUM})\b(?!,? [0-9])",                      # March 5
    rf"\b(?P<day>{_DAY_NUM}) (?P<month>{_MONTH_WORD})",                                    # 5 March
)]
_ANY_MONTH = re.compile(_MONTH_WORD)  # every English date pattern contains a month's name
_ISO = re.compile(rf"(?<![0-9])(?P<year>{_YEAR_NUM})-(?P<month>[01][0-9])-(?P<day>[0-3][0-9])(?![0-9])")
_ZH_NUMERAL = "零〇一二三四五六七八九十两"
_ZH_NUM = rf"[0-9{_ZH_NUMERAL}]{{1,3}}"
_JOIN_ZH = r"\s*(?:和|及|与|至|到|、|或|-|–|—|~|～)\s*"
_ZH_DATES = [re.compile(p) for p in (
    rf"(?P<year>{_YEAR_NUM})\s*年\s*(?P<month>{_ZH_NUM})\s*月\s*(?P<day>{_ZH_NUM})\s*[日号]",
    rf"(?P<year>{_YEAR_NUM})\s*年\s*(?P<months>{_ZH_NUM}\s*月(?:{_JOIN_ZH}{_ZH_NUM}\s*月)*)(?!\s*{_ZH_NUM}\s*[日号])",
    rf"(?<![0-9年])(?P<month>{_ZH_NUM})\s*月\s*(?P<day>{_ZH_NUM})\s*[日号]",
)]
# Not inside a longer number, nor after 第: "第 818 号" is a decree or document number, not a day.
_ZH_LONE_MONTH_DAY = re.compile(rf"(?<![0-9{_ZH_NUMERAL}第])(?<!第\s){_ZH_NUM}(?=\s*[月日号])")

_UNITS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
          "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_BASE = rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:one|{_UNIT}))?|{_UNIT}|one)"
_SCALE = r"(?:hundred|thousand|million)"
_EN_NUMBER = re.compile(
    rf"\b(?:(?:{_BASE}|a) {_SCALE}|{_SCALE})(?: {_SCALE})*(?:(?: and)? {_BASE}(?: {_SCALE})*)*\b"  # two hundred and six
    rf"|\b{_BASE}\b(?!-(?:fold|thirds?|quarters?|halves)\b)"                                        # twenty-five
    r"|\b(?:twice|both|dual|double|pair)\b", re.I)
_ZH_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_SCALES = {"十": 10, "百": 100, "千": 1000}
# Measure words (and units) after which a run of Chinese numerals is a count.
_ZH_MEASURE = ("名", "例", "项", "次", "个", "位", "组", "期", "剂", "倍", "种", "家", "所", "篇", "份", "只", "株", "针",
               "年", "周", "天", "岁", "小时", "分钟", "毫升", "毫克", "臂", "中心", "国", "批", "轮", "支", "人", "床")
_ZH_RUN = re.compile(rf"([{_ZH_NUMERAL}百千万亿]+)")
_ZH_STATED_AFTER = re.compile(r"\s*(?:" + "|".join(_ZH_MEASURE) + ")")
_ZH_PERCENT = re.compile(rf"百分之([{_ZH_NUMERAL}百]+)")
_DIGITS = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
# A record link: [[kind:id]] or [[kind:id|the sentence's words]] (records.LINK_RE); its words are part of the text.
_LINK = re.compile(r"\[\[[a-z]+:[^\]\s|]*(?:\|([^\]\[|]*))?\]\]")


@dataclass
class Numbers:
    """What a text states (compared both ways) and what it may mean (only excuses the other language)."""

    stated: Counter = field(default_factory=Counter)
    possible: set = field(default_factory=set)


def zh_value(numeral: str) -> int | None:
    """The value of a Chinese numeral (三, 十五, 二十, 一百零五, 三千, 两万) or of digits, or None."""
    if numeral.isdigit():
        return int(numeral)
    total, section, digit = 0, 0, None
    for ch in numeral:
        if ch in _ZH_VALUES:
            digit = _ZH_VALUES[ch]
        elif ch in _ZH_SCALES:
            section += (1 if digit is None else digit) * _ZH_SCALES[ch]
            digit = None
        elif ch in "万亿":
            total += (section + (digit or 0) or 1) * (10_000 if ch == "万" else 100_000_000)
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def en_value(words: str) -> int:
    """The value of an English number in words ("twenty-five", "two hundred and six", "a hundred thousand")."""
    lowered = words.lower()
    if lowered in ("twice", "both", "dual", "double", "pair"):
        return 2
    total, current = 0, 0
    for word in re.split(r"[- ]+", lowered):
        if word in _UNITS or word in _TENS or word in ("one", "a"):
            current += _UNITS.get(word) or _TENS.get(word) or 1
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in ("thousand", "million"):
            total += max(current, 1) * _SCALES[word]
            current = 0
    return total + current


def _month(name: str) -> int:
    name = name.strip()
    if name[:1].isdigit() or name[:1] in _ZH_NUMERAL:
        return zh_value(name) or 0
    return _MONTH_NAMES.index(name[:3].lower()) + 1


def _dates(match: re.Match) -> list[str] | None:
    """The date tokens a match states, or None when it is not a date after all ("13 月", "May 40")."""
    parts = match.groupdict()
    year = parts.get("year")
    if parts.get("months"):
        names = re.findall(rf"{_MONTH_WORD}|{_ZH_NUM}(?=\s*月)", parts["months"])
        pairs = [(_month(n), 0) for n in names]
    else:
        day = re.sub(r"[a-z]+$", "", parts["day"]) if parts.get("day") else ""
        pairs = [(_month(parts["month"]), zh_value(day) if day else 0)]
    if any(not 1 <= m <= 12 or not 0 <= (d or 0) <= 31 or d is None for m, d in pairs):
        return None
    return [(year or "-") + f"-{m:02d}" + (f"-{d:02d}" if d else "") for m, d in pairs] + ([year] if year else [])


def numbers_in(text: str, lang: str) -> Numbers:
    """The numbers and dates `text` (in language `lang`) states or may mean; see the module docstring."""
    out = Numbers()

    def take(match: re.Match) -> str:
        tokens = _dates(match)
        if tokens is None:
            return match.group(0)
        out.stated.update(tokens)
        return " "

    # Ids inside [[links]] are checked as links, not as numbers; a link's own words are read like the rest.
    # Each pattern is tried only when the text holds what every match of it must contain (a link's "[[", a date's
    # "-", a month's name or 月): most texts hold none, and the date patterns are tried at every digit otherwise.
    if "[[" in text:
        text = _LINK.sub(lambda m: f" {m.group(1) or ''} ", text)
    if "-" in text:
        text = _ISO.sub(take, text)
    if lang == "en":
        if _ANY_MONTH.search(text):
            for pattern in _EN_DATES:
                text = pattern.sub(take, text)
        kept, at = [], 0  # the text without the numbers in words, from the same scan (the pattern is costly)
        for match in _EN_NUMBER.finditer(text):
            value = en_value(match.group(0))
            (out.stated.update if value > 2 else out.possible.update)([str(value)])
            kept += (text[at:match.start()], " ")
            at = match.end()
        text = "".join(kept) + text[at:]
    else:
        if "月" in text:
            for pattern in _ZH_DATES:
                text = pattern.sub(take, text)
        if "月" in text or "日" in text or "号" in text:
            text = _ZH_LONE_MONTH_DAY.sub(" ", text)  # a month or a day alone is not compared
        if "百分之" in text:
            text = _ZH_PERCENT.sub(lambda m: f" {zh_value(m.group(1))} ", text)  # 百分之五十 = 50
        for match in _ZH_RUN.finditer(text):
            value = zh_value(match.group(1))
            if value is None:
                continue
            before = text[match.start() - 1: match.start()]
            stated = value > 2 and before not in ("第", "数") and _ZH_STATED_AFTER.match(text, match.end())
            (out.stated.update if stated else out.possible.update)([str(value)])
        text = _ZH_RUN.sub(" ", text)
    out.stated.update(n.replace(",", "") for n in _DIGITS.findall(text))
    return out


@lru_cache(maxsize=1 << 15)  # `mkdocs serve` validates the same unchanged texts on every rebuild
def differences(en: str, zh: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(stated only in the English, stated only in the Chinese), each excused by what the other may mean."""
    a, b = numbers_in(en, "en"), numbers_in(zh, "zh")
    only_en = sorted(set(a.stated) - set(b.stated) - b.possible)
    only_zh = sorted(set(b.stated) - set(a.stated) - a.possible)
    return tuple(only_en), tuple(only_zh)
