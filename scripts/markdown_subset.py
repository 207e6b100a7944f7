"""The site's Markdown: Python-Markdown without the inline syntax no page uses.

Reads and writes nothing. Python-Markdown tries every inline pattern on every piece of text; the generated pages
never write images, reference-style links, e-mail autolinks or hard line breaks (text from data/ is escaped by
scripts/render.py, so it cannot produce them either), and the hand-written pages are held to the same subset by
`problems` (run by the validator). Leaving those patterns out makes the Markdown conversion about a fifth faster at
1000 studies, with byte-identical pages (tests/test_render.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown.extensions import Extension

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


class Subset(Extension):
    """Deregisters the inline patterns in UNUSED (after the other extensions have added theirs)."""

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        for name in UNUSED:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)


def problems(text: str) -> Iterator[tuple[int, str, str]]:
    """(line, what, fix) for each use of the syntax the site's Markdown leaves out."""
    text = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, what, fix in _USES:
            if pattern.search(line):
                yield number, what, fix
