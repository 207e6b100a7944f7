"""The site's Markdown: Python-Markdown without the inline syntax no page uses, and without work whose outcome is
known in advance.

Reads and writes nothing. Python-Markdown tries every inline pattern on every piece of text; the generated pages
never write images, reference-style links, e-mail autolinks or hard line breaks (text from data/ is escaped by
scripts/render.py, so it cannot produce them either), and the hand-written pages are held to the same subset by
`problems` (run by the validator). Leaving those patterns out makes the Markdown conversion about a fifth faster at
1000 studies. More shortcuts change no output either:
- a piece of text that contains none of the characters the remaining patterns start with (a table cell "Phase 1/2",
  most Chinese sentences) is kept as it is instead of being tried against each pattern in turn (another 15-20 %),
  and a pattern is not tried on text without a character it starts with (a cell with a link meets the link pattern
  alone);
- "is this tag block-level?" (asked for every element, several times) looks in a set instead of a list of 60 names;
- a block is not tested for a heading, rule, quote or table when it lacks the character each needs, and a table row
  without code or backslashes is cut at its pipes without the scan for them;
- the search for raw HTML blocks (Python's `html.parser` run over the whole page) runs only over the lines where a
  block can start and the two after them: on a generated record page that is its first line, the "generated from"
  comment; the rest of the page, where no line starts with a block-level tag, a comment or a declaration, comes back
  from that search unchanged.
tests/test_render.py checks that every page, generated and hand-written, converts byte for byte as with stock
Python-Markdown.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from markdown import blockprocessors, preprocessors, treeprocessors, util
from markdown.extensions import Extension, tables

# Python-Markdown's names for the inline patterns left out.
UNUSED = ("image_link", "image_reference", "short_reference", "short_image_ref", "reference", "automail", "linebreak")

# How a hand-written page would use them (outside code): ![alt](…), [text][ref], [ref]: definitions, <a@b.c>,
# two spaces or a backslash at a line's end.
_USES = (
    (re.compile(r"!\["), "an image (![…](…))", "the site's pages have no images; link to the file instead"),
    (re.compile(r"\]\[[^\]\n]*\]|^ {0,3}\[[^\]\n]+\]:\s"), "a reference-style link ([…][…] or [ref]: address)",
     "write the link inline: [words](address)"),
    (re.compile(r"<[^\s<>@]+@[^\s<>@]+>"), "an e-mail autolink (<name@host>)", "write [name@host](mailto:name@host)"),
    (re.compile(r"\S(?: {2,}|\\)$"), "a hard line break (two spaces or \\ at the end of a line)",
     "end the paragraph with an empty line, or remove the trailing spaces"),
)
_CODE = re.compile(r"^[ \t]*(?:```|~~~).*?^[ \t]*(?:```|~~~)[ \t]*$|`[^`\n]*`", re.S | re.M)


# What each inline pattern left in needs to match at all: one of these characters (Python-Markdown 3.11's
# patterns: `code`, \\ escapes, [links](…), <https://…> and <tags>, &entities;, *emphasis* and _emphasis_).
_STARTS = {"backtick": "`", "escape": "\\", "link": "[", "autolink": "<", "html": "<", "entity": "&",
           "em_strong": "*_"}


class Subset(Extension):
    """Deregisters the inline patterns in UNUSED (after the other extensions have added theirs), and puts in the
    shortcuts of the module docstring."""

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        for name in UNUSED:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        md.treeprocessors.register(_QuickInline(md), "inline", 20)  # Python-Markdown's own name and priority
        md.preprocessors.register(_BlockLevelSet(md), "atlas_block_level_set", 100)  # first of all
        md.preprocessors.register(_QuickHtmlBlock(md), "html_block", 20)  # Python-Markdown's own name and priority
        table = md.parser.blockprocessors["table"] if "table" in md.parser.blockprocessors else None
        if type(table) is tables.TableProcessor:
            # Its own name and priority.
            md.parser.blockprocessors.register(_QuickTable(md.parser, table.config), "table", 75)
        for name, (kind, holds) in _BLOCK_NEEDS.items():
            processor = md.parser.blockprocessors[name] if name in md.parser.blockprocessors else None
            if type(processor) is kind:
                processor.test = functools.partial(_tested_if, holds, processor.test)


# What a block must hold for these block processors to take it: each one's test is a regular expression that cannot
# match without it (Python-Markdown 3.11's), so a block without it is not tried (most blocks are paragraphs, tried
# against every processor in turn).
_BLOCK_NEEDS = {
    "hashheader": (blockprocessors.HashHeaderProcessor, lambda block: "#" in block),
    "setextheader": (blockprocessors.SetextHeaderProcessor, lambda block: "\n=" in block or "\n-" in block),
    "hr": (blockprocessors.HRProcessor, lambda block: "-" in block or "_" in block or "*" in block),
    "quote": (blockprocessors.BlockQuoteProcessor, lambda block: ">" in block),
}


def _tested_if(holds, test, parent, block) -> bool:
    return holds(block) and test(parent, block)


class _QuickInline(treeprocessors.InlineProcessor):
    """Python-Markdown's inline processor, except that text no registered pattern can match is returned at once —
    as the full loop would return it, since every pattern fails on it — and that a pattern is tried only on text
    holding a character it starts with."""

    def __init__(self, md):
        super().__init__(md)
        self._has_syntax = None

    def run(self, tree, ancestors=None):
        # Worked out at each run, when every extension has registered its patterns. A pattern this module does not
        # know (another extension's) turns the shortcut off rather than risk skipping text it would match.
        names = list(self.inlinePatterns._data)
        if all(name in _STARTS for name in names):
            starts = sorted(set("".join(_STARTS[name] for name in names)))
            self._has_syntax = re.compile("[" + "".join(re.escape(c) for c in starts) + "]").search
            # What each pattern needs, in the order they are tried.
            self._needs = [_STARTS[name] for name in sorted(names, key=self.inlinePatterns.get_index_for_name)]
        else:
            self._has_syntax = None
        return super().run(tree, ancestors)

    # Python-Markdown's private method, named as Python mangles it: every call to it, including its own recursive
    # ones, comes here.
    def _InlineProcessor__handleInline(self, data, patternIndex=0):  # noqa: N802
        if self._has_syntax is None or isinstance(data, util.AtomicString):
            return super()._InlineProcessor__handleInline(data, patternIndex)
        if self._has_syntax(data) is None:
            return data
        # Python-Markdown's loop, except that a pattern is not tried on text holding none of the characters it
        # starts with: that try would fail, and a failed try moves on to the next pattern searching from 0.
        start, count = 0, len(self._needs)
        while patternIndex < count:
            if not any(c in data for c in self._needs[patternIndex]):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = self._InlineProcessor__applyPattern(self.inlinePatterns[patternIndex], data,
                                                                       patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class _QuickTable(tables.TableProcessor):
    """The tables extension's block processor, except that a row holding neither a backtick nor a backslash is cut
    at its pipes at once: with neither, every pipe is a cell's edge (none is escaped or inside code), which is what
    the full scan finds; and a block whose first line has no pipe is not a table, without the test's scan."""

    def test(self, parent, block):
        # A table's first line holds a pipe, and a second line follows (the test's own first conditions).
        first, newline, _ = block.partition("\n")
        return bool(newline) and "|" in first and super().test(parent, block)

    def _split(self, row):
        if "`" not in row and "\\" not in row:
            return row.split("|")
        return super()._split(row)


class _BlockLevelSet(preprocessors.Preprocessor):
    """At the start of each conversion (the extensions have all added their block-level names by then), gives the
    Markdown object an `is_block_level` that looks the name up in a set; the same answers as Python-Markdown's."""

    def run(self, lines):
        names = frozenset(self.md.block_level_elements)
        self.md.is_block_level = lambda tag: isinstance(tag, str) and tag.lower().rstrip("/") in names
        return lines


# Where html.parser may start a raw HTML block (Python-Markdown 3.11's HTMLExtractor): at the start of a line (after at
# most three spaces; tabs are spaces by then), a comment, declaration or processing instruction, an end tag, or a
# start tag whose name is block-level (group 1, checked against the Markdown object's names).
_RAW_START = re.compile(r" {0,3}<(?:[!?/]|([a-zA-Z][^\s/>`\x00]*))")  # matched at the start of each line
_ONE_LINE_COMMENT = re.compile(r" {0,3}<!--(?:(?!-->).)*-->")


class _QuickHtmlBlock(preprocessors.HtmlBlockPreprocessor):
    """Python-Markdown's raw HTML block preprocessor, run only over the part of the page where a block can start.
    Text in which nothing can start a block passes through its parser unchanged (tags, entities and comments inside
    a line are kept as written), so: no such line, and the lines are returned as they are; one such line that is a
    whole one-line comment (the generated pages' first line), and the parser runs over the text up to two lines
    after it (as far as it looks ahead to decide about the blank line after a block), the rest following unchanged
    if the parser ended that part in its starting state; anything else, and it runs over the whole page."""

    def run(self, lines):
        starts = []
        for number, line in enumerate(lines):
            match = _RAW_START.match(line)
            if match and (match.group(1) is None or self.md.is_block_level(match.group(1))):
                starts.append(number)
                if len(starts) > 1:
                    return super().run(lines)
        if not starts:
            return lines
        cut = starts[0] + 3
        if cut >= len(lines) or not _ONE_LINE_COMMENT.fullmatch(lines[starts[0]]):
            return super().run(lines)
        parser = preprocessors.HTMLExtractor(self.md)
        parser.feed("\n".join(lines[:cut]))
        if parser.inraw or parser.intail or parser._cache or parser.rawdata or parser.cdata_elem is not None:
            return super().run(lines)  # the part ended inside something the rest may continue: no shortcut
        parser.close()
        return "".join(parser.cleandoc).split("\n") + lines[cut:]


def problems(text: str) -> Iterator[tuple[int, str, str]]:
    """(line, what, fix) for each use of the syntax the site's Markdown leaves out."""
    text = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, what, fix in _USES:
            if pattern.search(line):
                yield number, what, fix
