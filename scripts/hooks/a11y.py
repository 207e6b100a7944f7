"""MkDocs hook: accessibility additions that the theme does not make.

Reads: data/strings/<lang>.yml (labels) and data/glossary/*.yml (abbreviations). Writes: each page, in memory —
1. Material's search panel is a role="dialog" without an accessible name (axe: aria-dialog-name): it gets the label
   of the page's language;
2. every page gets the glossary's abbreviations (Markdown `abbr`), expanded in the page's language; only the first
   use of each abbreviation on a page is marked, and it is focusable, so its expansion shows on keyboard focus and
   on tap as well as on hover, without adding a tab stop for every later use.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path; make the `scripts` package importable
    sys.path.insert(0, str(ROOT))

from scripts import yamlio  # noqa: E402
from scripts.hooks.common import glossary_terms, language  # noqa: E402

_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_ABBR = re.compile(r'<abbr title="([^"]*)">([^<]*)</abbr>')
_LINK = re.compile(r"<a\b[^>]*>.*?</a>", re.S)
_labels: dict[str, str] = {}
_abbreviations: dict[str, list[str]] = {"en": [], "zh": []}


def on_config(config):
    root = Path(config.config_file_path).parent
    for lang in ("en", "zh"):
        try:
            _labels[lang] = yamlio.read(root / "data" / "strings" / f"{lang}.yml").data["a11y.search_dialog"]
        except (OSError, yamlio.YamlError, KeyError, TypeError):
            pass  # the generate hook reports bad data files and aborts the build
    for lang in _abbreviations:
        _abbreviations[lang] = []
    for term in glossary_terms(config):
        abbr, en, zh = term.get("abbreviation"), term["term"].get("en", ""), term["term"]["zh"]
        if isinstance(abbr, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", abbr):
            # Definitions are Markdown syntax: keep the expansion on one line and free of brackets.
            _abbreviations["en"].append(f"*[{abbr}]: {' '.join(str(en).split())}")
            _abbreviations["zh"].append(f"*[{abbr}]: {' '.join(str(zh).split())}（{' '.join(str(en).split())}）")
    return config


def on_page_markdown(markdown: str, page, config, files) -> str:
    definitions = _abbreviations.get(language(config), [])
    return markdown + ("\n\n" + "\n".join(definitions) + "\n" if definitions else "")


def on_post_page(output: str, page, config) -> str:
    label = _labels.get(language(config))
    if label:
        output = output.replace(_DIALOG, _DIALOG[:-1] + f' aria-label="{html.escape(label)}">', 1)
    seen: set[str] = set()
    # An abbreviation inside a link stays unfocusable: a focus stop inside a link is invalid HTML and confusing.
    links = [m.span() for m in _LINK.finditer(output)]

    def first_use_only(match: re.Match) -> str:
        if any(start < match.start() < end for start, end in links):
            return match.group(0)
        if match.group(2) in seen:
            return match.group(2)
        seen.add(match.group(2))
        return f'<abbr title="{match.group(1)}" tabindex="0">{match.group(2)}</abbr>'

    return _ABBR.sub(first_use_only, output)
