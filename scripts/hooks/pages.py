"""MkDocs hook: work MkDocs repeats for every page, done once per build of a language instead.

Reads and writes nothing. Two shortcuts, neither of which changes a byte of the site (tests/test_build.py builds
the fixture site with and without them, ATLAS_SHORTCUTS=0, and compares every file):
1. One Markdown converter for all pages. MkDocs builds a new `markdown.Markdown` for every page, with every
   extension's processors (0.2 ms a page, half a CPU second at 1000 studies); this hands it the same converter,
   reset as Python-Markdown prescribes between two documents (`Markdown.reset()`, which resets each extension too).
   MkDocs then registers its own per-page processors on it under their fixed names, which replaces the last page's.
2. The target of each relative link looked up once. MkDocs checks every link of every page against the site's
   files, and static-i18n's lookup builds several paths per link (most links are to the same few targets: the cell
   types, routes, glossary and reference pages); the files and the language do not change once the navigation is
   built, and pages are rendered only after it.
"""

from __future__ import annotations

import os

import markdown
import mkdocs.structure.pages as mkdocs_pages
from mkdocs.plugins import event_priority


class _OneConverter:
    """Stands in for the `markdown` module inside mkdocs.structure.pages, whose only use of it while building is
    `markdown.Markdown(extensions=…, extension_configs=…)` in Page.render."""

    def __init__(self) -> None:
        self._extensions: list | None = None
        self._converter: markdown.Markdown | None = None

    def Markdown(self, extensions, extension_configs):  # noqa: N802 - the name Page.render calls
        # Only for extensions given as objects (scripts/hooks/generate.py): for those the settings by name are
        # not used. The same list object is the same extensions: MkDocs passes config.markdown_extensions.
        if self._extensions is extensions and self._converter is not None:
            return self._converter.reset()
        converter = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
        if not any(isinstance(extension, str) for extension in extensions):
            self._extensions, self._converter = extensions, converter
        return converter

    def __getattr__(self, name):
        return getattr(markdown, name)


def _on() -> bool:
    return os.environ.get("ATLAS_SHORTCUTS") != "0"


def on_pre_build(config):
    # A converter for each build of each language (static-i18n builds the others without a new on_config).
    mkdocs_pages.markdown = _OneConverter() if _on() else markdown


@event_priority(-1000)  # after every other on_nav: the files are final
def on_nav(nav, config, files):
    if not _on():
        return nav
    lookup, found = files.get_file_from_path, {}

    def looked_up_once(path: str):
        if path not in found:
            found[path] = lookup(path)
        return found[path]

    files.get_file_from_path = looked_up_once
    return nav
