"""MkDocs hook: accessibility additions that the theme does not make.

Reads: the glossary terms of the last valid data, through scripts/hooks/common.py (the generator's, not data/
itself). Writes: each page, in memory: the first use of each glossary abbreviation on a page (outside links and
code) is marked `<abbr>` with its expansion in the page's language, and is focusable, so the expansion shows on
keyboard focus and on tap as well as on hover, without a tab stop for every later use. Done here on the page's HTML
in one pass rather than with Markdown's `abbr` extension, whose definitions, appended to every page, made up 40 % of
the Markdown conversion time (5.7 ms a page with 59 abbreviations), and which marked every use only for this hook to
unmark them.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path; make the `scripts` package importable
    sys.path.insert(0, str(ROOT))

from scripts import guard, trie  # noqa: E402
from scripts.hooks.common import glossary_terms, language  # noqa: E402

# An HTML page body split into the parts no abbreviation may be marked in — comments, tags (a quoted attribute
# value may hold `>`), character references (`&amp;` must not become `&<abbr>amp</abbr>;`) — and the text between.
_TAG = re.compile(r"""(<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)""",
                  re.S)
_SKIP = re.compile(r"<(/?)(a|abbr|code|kbd|pre|samp|script|style|svg|math|textarea|title)\b", re.I)  # nothing marked inside
# Per language: one pattern matching any abbreviation as a whole word (longest first), and each one's expansion.
_abbreviations: dict[str, tuple[re.Pattern | None, dict[str, str]]] = {}


@guard.hook
def on_config(config):
    expansions: dict[str, dict[str, str]] = {"en": {}, "zh": {}}
    for term in glossary_terms(config):
        abbr, en, zh = term.get("abbreviation"), term["term"].get("en", ""), term["term"]["zh"]
        if isinstance(abbr, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", abbr):
            en, zh = " ".join(str(en).split()), " ".join(str(zh).split())
            expansions["en"][abbr] = en
            expansions["zh"][abbr] = f"{zh}（{en}）"
    for lang, found in expansions.items():
        pattern = re.compile(r"(?<![A-Za-z0-9])(" + trie.pattern(found) + r")(?![A-Za-z0-9])") if found else None
        _abbreviations[lang] = (pattern, found)
    return config


@guard.hook
def on_page_content(html_text: str, page, config, files) -> str:
    pattern, expansions = _abbreviations.get(language(config), (None, {}))
    if pattern is None:
        return html_text
    seen: set[str] = set()
    depth = 0  # inside how many links, code blocks … (no marking there)

    def first_use(match: re.Match) -> str:
        name = match.group(1)
        if name in seen:
            return name
        seen.add(name)
        return f'<abbr title="{html.escape(expansions[name], quote=True)}" tabindex="0">{name}</abbr>'

    parts = _TAG.split(html_text)
    for i, part in enumerate(parts):
        if i % 2:  # a tag, comment or character reference
            skip = _SKIP.match(part)
            if skip and not part.endswith("/>"):
                depth = max(0, depth + (-1 if skip.group(1) else 1))  # a stray end tag must not unlock code
        elif depth == 0 and part:
            parts[i] = pattern.sub(first_use, part)
    return "".join(parts)

