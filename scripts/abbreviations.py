"""Glossary abbreviations marked in a page's Markdown: the first use of each, outside links, code, admonition lines
and markup, becomes a focusable `<abbr>` with the expansion in the page's language.

Reads and writes nothing: `expansions` takes glossary terms, `mark` takes a page's Markdown and returns it marked.
The generator marks the pages it writes (so another engine building docs/ gets them), and the MkDocs hook
scripts/hooks/a11y.py marks the hand-written pages with this same function. Focusable (`tabindex="0"`) so the
expansion shows on keyboard focus and on tap as well as on hover, and only the first use, so a page does not get a
tab stop for every later one. Markdown's own `abbr` extension is not used: its definitions, appended to every page,
made up 40 % of the Markdown conversion time, and it marks every use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from . import trie

# What no abbreviation may be marked in, as one alternation (earlier alternatives win at the same position). The
# lookahead holds the characters the alternatives can start with: `re` then skips every other position at once,
# instead of trying all ten alternatives there (half the scan's time).
_PROTECTED = re.compile(
    r"""
    (?=[-`~<&!\[?{ \t])(?:
      \A---\n.*?\n---\n                                   # front matter
    | ^[ \t]*(?:```|~~~).*?^[ \t]*(?:```|~~~)[ \t]*$      # fenced code
    | <!--.*?-->                                          # comments
    | <(script|style|svg|math|pre|code|kbd|samp|textarea|a|abbr|title)\b.*?</\1\s*>  # elements kept whole
    | <(?:[^>"']|"[^"]*"|'[^']*')*>                       # any other tag (a quoted attribute may hold `>`)
    | &(?:\#[0-9]+|\#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);  # character references
    | (`+)[^\n]+?(?<!`)\2(?!`)                            # code spans
    | !?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\((?:<[^>\n]*>|[^)\n]*)\)  # links and images: words and address
    | ^[ \t]*(?:!!!|\?\?\?)[^\n]*                        # admonition lines (the title is an attribute value)
    | \{[ \t]*[#.][^}\n]*\}                               # attribute lists ({ #anchor })
    )""",
    re.S | re.M | re.I | re.X,
)


def expansions(terms: Iterable[Mapping], lang: str) -> dict[str, str]:
    """Abbreviation → what it is marked with on a page in `lang`: the English term, or on Chinese pages the Chinese
    term with the English in brackets (the abbreviation stands for the English words)."""
    found: dict[str, str] = {}
    for term in terms:
        abbr, names = term.get("abbreviation"), term.get("term", {})
        if isinstance(abbr, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", abbr):
            en, zh = " ".join(str(names.get("en", "")).split()), " ".join(str(names.get("zh", "")).split())
            found[abbr] = en if lang == "en" else f"{zh}（{en}）"
    return found


def _attribute(text: str) -> str:
    """`text` as an attribute value that stays one in Markdown: every ASCII sign as a character reference. The mark
    goes into Markdown, where the link pattern runs before raw HTML is set aside, so `[x](javascript:…)` in a title
    would become a link inside the attribute; `|` would end a table cell, `"` the attribute."""
    return "".join(c if c.isalnum() or c == " " or ord(c) > 127 else f"&#{ord(c)};" for c in text)


class Marker:
    """`mark` for one language's abbreviations, with the pattern compiled once."""

    def __init__(self, found: Mapping[str, str]):
        self._titles = {abbr: _attribute(title) for abbr, title in found.items()}
        # Not the tail of a hyphenated name either: CSF in G-CSF is a different word from CSF, cerebrospinal fluid.
        self._pattern = re.compile(r"(?<![A-Za-z0-9])(?<![A-Za-z0-9]-)(" + trie.pattern(found) + r")(?![A-Za-z0-9])") \
            if found else None

    def mark(self, markdown: str) -> str:
        if self._pattern is None:
            return markdown
        seen: set[str] = set()
        # An abbreviation the page already marks by hand counts as used.
        seen.update(m.group(1) for m in re.finditer(r"<abbr\b[^>]*>([^<]*)</abbr>", markdown))

        def first_use(match: re.Match) -> str:
            name = match.group(1)
            if name in seen:
                return name
            seen.add(name)
            return f'<abbr title="{self._titles[name]}" tabindex="0">{name}</abbr>'

        out, last = [], 0
        for guarded in _PROTECTED.finditer(markdown):
            out.append(self._pattern.sub(first_use, markdown[last:guarded.start()]))
            out.append(guarded.group(0))
            last = guarded.end()
        out.append(self._pattern.sub(first_use, markdown[last:]))
        return "".join(out)
