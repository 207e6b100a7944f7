"""MkDocs hook: accessibility fixes to the theme's markup that CSS cannot make.

Reads: data/strings/<lang>.yml (the label text). Writes: each page's HTML, in memory — Material's search panel is a
role="dialog" without an accessible name (axe: aria-dialog-name), so screen-reader and switch users hear an unnamed
dialog; it gets the label of the page's language.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path; make the `scripts` package importable
    sys.path.insert(0, str(ROOT))

from scripts import yamlio  # noqa: E402

_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_labels: dict[str, str] = {}


def on_config(config):
    for lang in ("en", "zh"):
        path = Path(config.config_file_path).parent / "data" / "strings" / f"{lang}.yml"
        try:
            _labels[lang] = yamlio.read(path).data["a11y.search_dialog"]
        except (OSError, yamlio.YamlError, KeyError, TypeError):
            pass  # the generate hook reports bad strings files and aborts the build
    return config


def on_post_page(output: str, page, config) -> str:
    i18n = config.plugins.get("i18n")
    label = _labels.get(i18n.current_language if i18n else "en")
    if label:
        output = output.replace(_DIALOG, _DIALOG[:-1] + f' aria-label="{html.escape(label)}">', 1)
    return output
