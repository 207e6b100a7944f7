"""MkDocs hook: fix what mkdocs-static-i18n (frozen) and Material leave wrong for a bilingual site.

Reads: the pages MkDocs renders and site/search/search_index.json. Writes: into site/ only —
1. one search index per language: site/search/search_index.json (English) and site/zh/search/search_index.json
   (Chinese), and Chinese pages point Material's search at theirs (static-i18n merges both languages into one index,
   so a Chinese query would also return English pages and vice versa);
2. Chinese sub-words in each Chinese entry (field `subwords`, indexed but not shown), so that 干细胞 or 间充质 also
   find 间充质干细胞 — Material's search matches whole jieba words and their beginnings only;
3. language alternates (hreflang, plus x-default) in site/sitemap.xml only, not in the page head: for every
   `<link rel="alternate">` in a page Material's script downloads `sitemap.xml` beside the linked address at page
   load, which for a page-level alternate does not exist (a 404 on every page, and wasted transfer); the sitemap
   is the other place search engines read hreflang from, and static-i18n already writes every page with its
   alternates there (absolute addresses);
4. a 404 page in each language (static-i18n writes a single one, in whichever language was built last).
"""

from __future__ import annotations

import json
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

from mkdocs.plugins import event_priority

try:
    import jieba
except ImportError:  # Chinese search then fails, and tests/test_build.py says so
    jieba = None
else:
    # Material segments every page's text with jieba.cut, and every record page repeats the same headings and
    # notices: remember each segmentation (same input, same words) instead of recomputing it on every page.
    _cut = jieba.cut

    @lru_cache(maxsize=1 << 17)
    def _cut_cached(sentence, cut_all=False, HMM=True):
        return tuple(_cut(sentence, cut_all=cut_all, HMM=HMM))

    def _cut_memo(sentence, cut_all=False, HMM=True, use_paddle=False):
        if use_paddle:
            return _cut(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
        return iter(_cut_cached(sentence, cut_all, HMM))

    jieba.cut = _cut_memo

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path; make the `scripts` package importable
    sys.path.insert(0, str(ROOT))

from scripts import guard  # noqa: E402
from scripts.hooks.common import DEFAULT, glossary_terms, language  # noqa: E402
_CONFIG_RE = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
_ALT_RE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
_SITEMAP_EN_RE = re.compile(r'([ \t]*)<xhtml:link rel="alternate" hreflang="en" href="([^"]*)"/>')
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_not_found: dict[str, str] = {}


@guard.hook
def on_config(config):
    # Teach jieba the glossary's Chinese terms (间充质干细胞, 鞘内注射 …) so that it keeps them whole; the search
    # sub-words below then make their parts findable too. Runs once per language build; add_word is idempotent.
    if jieba is not None:
        for term in glossary_terms(config):
            for word in [term["term"]["zh"], *term.get("zh_alternatives", [])]:
                if isinstance(word, str) and _HAN_RE.fullmatch(word):
                    jieba.add_word(word)
    return config


def _outer_build_done(config) -> bool:
    i18n = config.plugins.get("i18n")
    return i18n is None or not i18n.building


@guard.hook
def on_post_page(output: str, page, config) -> str:
    lang = language(config)
    if lang != DEFAULT:
        # Material fetches `<base>/search/search_index.json`; base is the site root. Point it at /zh/.
        def rebase(match: re.Match) -> str:
            data = json.loads(match.group(2))
            data["base"] = data["base"].rstrip("/") + f"/{lang}/"
            return match.group(1) + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + match.group(3)

        output = _CONFIG_RE.sub(rebase, output, count=1)

    return _ALT_RE.sub("", output)


@guard.hook
def on_post_template(output_content: str, template_name: str, config) -> str:
    if template_name == "404.html":
        output_content = _ALT_RE.sub("", output_content)
        _not_found[language(config)] = output_content
    return output_content


@event_priority(-200)  # after static-i18n (-100) has built every language and merged the search index
@guard.hook
def on_post_build(config) -> None:
    if not _outer_build_done(config):
        return
    site = Path(config.site_dir)
    for lang, html in _not_found.items():
        target = site / ("" if lang == DEFAULT else lang) / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    _split_search_index(site, config)
    _sitemap_x_default(site / "sitemap.xml")


def _sitemap_x_default(path: Path) -> None:
    """Each sitemap entry's alternates get x-default (the English page) beside en and zh."""
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    if 'hreflang="x-default"' not in text:
        path.write_text(_SITEMAP_EN_RE.sub(lambda m: m.group(0) + f'\n{m.group(1)}<xhtml:link rel="alternate" '
                                           f'hreflang="x-default" href="{m.group(2)}"/>', text), encoding="utf-8")


def _split_search_index(site: Path, config) -> None:
    path = site / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    i18n = config.plugins.get("i18n")
    others = [lang for lang in (i18n.build_languages if i18n else []) if lang != DEFAULT]
    buckets: dict[str, list] = {DEFAULT: []} | {lang: [] for lang in others}
    for entry in index["docs"]:
        lang = next((x for x in others if entry["location"].startswith(f"{x}/")), DEFAULT)
        if lang != DEFAULT:
            entry = dict(entry, location=entry["location"][len(lang) + 1:])
            entry["subwords"] = _subwords(entry["title"] + " " + entry["text"])
        buckets[lang].append(entry)
    for lang, docs in buckets.items():
        target = site / ("" if lang == DEFAULT else lang) / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"config": index["config"], "docs": docs}, ensure_ascii=False, separators=(",", ":"))
        tmp = target.with_suffix(".tmp")
        tmp.write_text(data, encoding="utf-8")
        os.replace(tmp, target)


def _subwords(text: str) -> str:
    """The inner parts of Chinese words, U+200B-separated: every proper suffix of two or more characters of every
    jieba word (间充质干细胞 → 充质干细胞, 质干细胞, 干细胞, 细胞). Search matches word beginnings (prefix wildcard),
    and every part of a word begins either the word itself (already indexed in `text`) or one of its suffixes, so
    this makes any part findable with the fewest extra terms (a larger index is slower to load and to search)."""
    if jieba is None:
        return ""
    plain = text.replace("\u200b", "")
    words: dict[str, None] = {}
    for run in _HAN_RE.findall(plain):
        words.update(dict.fromkeys(_run_subwords(run)))
    return "\u200b".join(words)


@lru_cache(maxsize=1 << 17)
def _run_subwords(run: str) -> tuple[str, ...]:
    return tuple(word[start:] for word in jieba.cut(run) for start in range(1, len(word) - 1))
