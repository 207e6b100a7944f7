"""The house rule for Chinese punctuation and spacing (CONTRIBUTING.zh.md), as a check and as a fixer.

Reads: with --fix, the data files given (or all of data/); otherwise nothing. Writes: with --fix, those files, only
the Chinese text in them. The rule, in short:
1. a space between Chinese characters and Latin letters, digits or a {placeholder}: 家族性 ALS, 入组 20 例;
2. full-width punctuation next to Chinese text: ，。；：？！（）, never , ; : ? ! ( ) beside a Chinese character;
3. no space beside full-width punctuation: 小鼠，SOD1-G93A, not 小鼠， SOD1-G93A;
4. no doubled or mixed brackets: （（, ））, （…).
Usage: python -m scripts.zhtext --fix [FILE ...]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN = r"A-Za-z0-9{}"
HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
FULL_OPEN, FULL_CLOSE = "（“‘《【", "，。；：？！、）”’》】"
LINK_MARK = "\u25a1"  # stands in for a [[link]]: rendered words of unknown script, so no rule applies beside it

_MISSING_SPACE = re.compile(rf"[{CJK}](?=[{_LATIN}])|[{_LATIN}](?=[{CJK}])")
_HALF_BY_CJK = re.compile(rf"(?<=[{CJK}])[ ]*[,;:?!()]|[,;:?!()](?=[ ]*[{CJK}])")
_SPACE_BY_FULL = re.compile(rf"[ ]+(?=[{FULL_CLOSE}{FULL_OPEN}])|(?<=[{FULL_CLOSE}{FULL_OPEN}])[ ]+")
_DOUBLED = re.compile(r"（（|））")
_MIXED = re.compile(r"（[^（）()]*\)|\([^（）()]*）")

MESSAGES = {
    "space": ("no space between Chinese and Latin letters or digits", "add a space: 家族性 ALS, 入组 20 例"),
    "half": ("half-width punctuation beside Chinese text", "use full-width ，。；：？！（） beside Chinese characters"),
    "full-space": ("a space beside full-width punctuation", "delete the space: 小鼠，SOD1-G93A"),
    "doubled": ("doubled brackets", "write one pair of brackets"),
    "mixed": ("a full-width bracket closed by a half-width one, or the reverse", "write （…） in Chinese text"),
}


# Anything in double brackets is a record link (records.LINK_RE checks its form); the words it prints are not known
# here, so no rule applies beside it.
_LINK_SPAN = re.compile(r"[ ]*\[\[[^\]]*\]\][ ]*")


def _masked(text: str) -> str:
    """The text with each [[link]], and the spaces that set it off, replaced by one neutral character."""
    return _LINK_SPAN.sub(LINK_MARK, text)


def problems(text: str) -> list[tuple[str, str]]:
    """(rule, the offending stretch of text) for every breach of the rule in a Chinese text."""
    text = _masked(text)
    found = []
    for rule, pattern in (("space", _MISSING_SPACE), ("half", _HALF_BY_CJK), ("full-space", _SPACE_BY_FULL),
                          ("doubled", _DOUBLED), ("mixed", _MIXED)):
        for m in pattern.finditer(text):
            found.append((rule, text[max(0, m.start() - 6): m.end() + 6]))
    return found


def findings(text: str, file: str) -> list[tuple[str, str]]:
    """(message, fix) for each breach of the rule in a Chinese text of `file`, as the validator reports them."""
    return [(f"{MESSAGES[rule][0]}: '{stretch.strip()}'",
             f"{MESSAGES[rule][1]}; `python -m scripts.zhtext --fix {file}` applies the rule")
            for rule, stretch in problems(text)]


def fix(text: str) -> str:
    """The text with the rule applied; links, and the spaces that set them off, are left as they were."""
    spans = [m.group(0) for m in _LINK_SPAN.finditer(text)]
    masked = _masked(text)
    masked = _DOUBLED.sub(lambda m: m.group(0)[0], masked)
    masked = _HALF_BY_CJK.sub(lambda m: HALF[m.group(0).strip()], masked)
    masked = _MIXED.sub(lambda m: "（" + m.group(0)[1:-1] + "）", masked)
    masked = _SPACE_BY_FULL.sub("", masked)
    masked = _MISSING_SPACE.sub(lambda m: m.group(0) + " ", masked)
    restored = iter(spans)
    return re.sub(LINK_MARK, lambda m: next(restored), masked)


_ZH_KEY = re.compile(r"^(\s*)(?:- )?zh:(.*)$")


def _fix_keeping_indent(value: str) -> str:
    body = value.lstrip(" ")
    return value[: len(value) - len(body)] + fix(body)


def fix_file_text(text: str, strings_file: bool = False) -> str:
    """Apply `fix` to the Chinese values of a YAML file, line by line, leaving keys, indentation and other
    languages alone."""
    lines = text.split("\n")
    out, block_indent = [], None
    for line in lines:
        if strings_file:
            key, sep, value = line.partition(": ")
            out.append(key + sep + _fix_keeping_indent(value) if sep and not line.startswith("#") else line)
            continue
        if block_indent is not None:
            if not line.strip() or len(line) - len(line.lstrip()) > block_indent:
                out.append(_fix_keeping_indent(line))
                continue
            block_indent = None
        m = _ZH_KEY.match(line)
        if m:
            value = m.group(2).strip()
            if value[:1] in "|>":
                block_indent = len(m.group(1))
                out.append(line)
            else:
                out.append(line[: len(line) - len(m.group(2))] + _fix_keeping_indent(m.group(2)))
            continue
        out.append(line)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.zhtext", description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", required=True, help="rewrite the Chinese text in place")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    files = args.files or sorted((ROOT / "data").glob("*/*.yml"))
    changed = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        new = fix_file_text(text, strings_file=path.name == "zh.yml" and path.parent.name == "strings")
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    print(f"{changed} file(s) changed; check the result with `python -m scripts.validate` and re-stamp any "
          "field whose source language is Chinese")
    return 0


if __name__ == "__main__":
    sys.exit(main())
