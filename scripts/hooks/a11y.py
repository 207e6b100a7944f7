"""MkDocs hook: glossary abbreviations on the hand-written pages.

Reads: the glossary terms of the last valid data, through scripts/hooks/common.py (the generator's, not data/
itself). Writes: the Markdown of each hand-written page (docs/en/*.md, docs/zh/*.md), in memory: the first use of
each glossary abbreviation becomes a focusable `<abbr>` (scripts/abbreviations.py). Generated pages arrive marked by
the generator with the same function, so another engine building docs/ gets them; hand-written pages are the
contributors' files, which the generator never rewrites, so this is the one place they can be marked.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path; make the `scripts` package importable
    sys.path.insert(0, str(ROOT))

from scripts import abbreviations, guard  # noqa: E402
from scripts.hooks.common import glossary_terms, language  # noqa: E402
from scripts.render import MARKER  # noqa: E402

_markers: dict[str, abbreviations.Marker] = {}
_GENERATED = MARKER.split("{source}")[0]  # "<!-- generated from ": the first words of every generated page


@guard.hook
def on_config(config):
    for lang in ("en", "zh"):
        _markers[lang] = abbreviations.Marker(abbreviations.expansions(glossary_terms(config), lang))
    return config


@guard.hook
def on_page_markdown(markdown: str, page, config, files) -> str:
    marker = _markers.get(language(config))
    if marker is None or _GENERATED in markdown:
        return markdown
    return marker.mark(markdown)
