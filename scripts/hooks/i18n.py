"""MkDocs hook: fix what mkdocs-static-i18n (frozen) and Material leave wrong for a bilingual site.

Reads: the pages MkDocs renders. Writes: into site/ only —
1. language alternates (hreflang, plus x-default) in site/sitemap.xml only, not in the page head: for every
   `<link rel="alternate">` in a page Material's script downloads `sitemap.xml` beside the linked address at page
   load, which for a page-level alternate does not exist (a 404 on every page, and wasted transfer); the sitemap
   is the other place search engines read hreflang from, and static-i18n already writes every page with its
   alternates there (absolute addresses);
2. a 404 page in each language (static-i18n writes a single one, in whichever language was built last), whose
   language switcher points at the other language's home page (static-i18n fills it with whichever page it
   built last, e.g. a study record).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path; make the `scripts` package importable
    sys.path.insert(0, str(ROOT))

from scripts import guard  # noqa: E402
from scripts.hooks.common import DEFAULT, language  # noqa: E402

# Anchored at a line start: unanchored, the leading `[ \t]*` was tried at every position of every page (0.5 ms a page).
_ALT_RE = re.compile(r'^[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?', re.M)
_SITEMAP_EN_RE = re.compile(r'([ \t]*)<xhtml:link rel="alternate" hreflang="en" href="([^"]*)"/>')
_SWITCH_RE = re.compile(r'<a href="[^"]*" hreflang="([a-z-]+)" class="md-select__link"')
_not_found: dict[str, str] = {}


def _outer_build_done(config) -> bool:
    i18n = config.plugins.get("i18n")
    return i18n is None or not i18n.building


@guard.hook
def on_post_page(output: str, page, config) -> str:
    head = output.find("</head>")  # the alternates are in the head: the rest of the page need not be searched
    head = len(output) if head < 0 else head
    return _ALT_RE.sub("", output[:head]) + output[head:]


@guard.hook
def on_post_template(output_content: str, template_name: str, config) -> str:
    if template_name == "404.html":
        output_content = _ALT_RE.sub("", output_content)
        # The 404 page is served at any address, so its links are absolute: the site's path, then the language.
        root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
        output_content = _SWITCH_RE.sub(
            lambda m: f'<a href="{root}{"" if m.group(1) == DEFAULT else m.group(1) + "/"}" hreflang="{m.group(1)}" '
                      f'class="md-select__link"', output_content)
        _not_found[language(config)] = output_content
    return output_content


@event_priority(-200)  # after static-i18n (-100) has built every language
@guard.hook
def on_post_build(config) -> None:
    if not _outer_build_done(config):
        return
    site = Path(config.site_dir)
    for lang, html in _not_found.items():
        target = site / ("" if lang == DEFAULT else lang) / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    _sitemap_x_default(site / "sitemap.xml")


def _sitemap_x_default(path: Path) -> None:
    """Each sitemap entry's alternates get x-default (the English page) beside en and zh."""
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    if 'hreflang="x-default"' not in text:
        path.write_text(_SITEMAP_EN_RE.sub(lambda m: m.group(0) + f'\n{m.group(1)}<xhtml:link rel="alternate" '
                                           f'hreflang="x-default" href="{m.group(2)}"/>', text), encoding="utf-8")
