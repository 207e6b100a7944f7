"""MkDocs hook: make text that comes from data/ inert in the parts of a page that the theme prints unescaped.

Reads and writes: each page's title and front-matter title and description, in memory, before the theme renders.
MkDocs and Material print `page.title` and `page.meta.description` into the HTML without escaping (the theme's
Jinja environment does not autoescape), so a record title containing `<script>` or a quote would become markup.
The generated Markdown itself is escaped by scripts/render.py; this covers the theme's side.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path; make the `scripts` package importable
    sys.path.insert(0, str(ROOT))

from scripts import guard  # noqa: E402


@event_priority(-100)  # after the search plugin has read the plain title for the index
@guard.hook
def on_page_context(context, page, config, nav):
    if page.title:
        page.title = html.escape(str(page.title), quote=True)
    for key in ("title", "description"):
        if isinstance(page.meta.get(key), str):
            page.meta[key] = html.escape(page.meta[key], quote=True)
    return context
