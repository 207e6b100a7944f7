"""MkDocs hook: the site search, indexed by Pagefind at the end of every build and of each rebuild under `mkdocs serve`.

Reads: each rendered page (in memory), and, through scripts/hooks/common.py (what the generator derived from the
validated data, not data/ itself), the glossary (other names of the terms a page uses) and the search box's words
(searchbox.*). Writes: into each page, in memory —
1. `data-pagefind-body` on the article, so only the article is indexed (not navigation, header, footer); the
   "not medical advice" notice, heading anchors, code blocks and the cite / correct / footer part at the end are
   left out (`data-pagefind-ignore`, or selectors given to Pagefind);
2. hidden metadata fields with the abbreviation, the other names and the lay names (glossary `zh_alternatives`,
   `en_alternatives`) of the glossary terms the page uses, so 渐冻症, 外泌体, MSC or "Lou Gehrig" find the page
   without those words being shown (Pagefind searches metadata but shows only the fields the search box asks for):
   `names` for the term the page's title begins with (the page is about it; weighted like the title), `aliases` for
   the terms it mentions (weighted low, so a page that says the reader's word itself ranks first);
3. the `kind` filter (study, preclinical, cell type, route, article), from the page's address; the other filters
   (cell type, route, phase, status, evidence label, country) and the `ids` field come from the page templates;
4. the search box's strings for the page's language, as the Jinja global `atlas_search`, and where its bundle is
   (`atlas_search_bundle`);
and, at the end of each language's build, that language's own Pagefind bundle (site/pagefind/, site/zh/pagefind/:
a Chinese page searches Chinese pages only), by the `pagefind --service` of Pagefind's Python package, sent each
page's article in memory (`_articles`, `pagefind_service`); and in the Chinese bundle
atlas-words.zh.json: the Chinese words Pagefind's index holds, read back from its index files, with which
docs/assets/search.js cuts a Chinese query the way the index was cut (see `index_words`).
"""

from __future__ import annotations

import base64
import gc
import gzip
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path; make the `scripts` package importable
    sys.path.insert(0, str(ROOT))

from scripts import guard, trie  # noqa: E402
from scripts.hooks.common import DEFAULT, glossary_terms, language, strings  # noqa: E402

log = get_plugin_logger("search")

ARTICLE = '<article class="md-content__inner md-typeset">'
ARTICLE_INDEXED = ARTICLE[:-1] + " data-pagefind-body>"  # as on_post_page leaves it
# Left out of the index on every page: the notice every page repeats, the ¶ of each heading, code (the citation
# blocks repeat the title and address), and the search box's own markup.
EXCLUDE = [".admonition.info", "a.headerlink", "pre", "[data-atlas-search]"]
# The end of a record page (how to cite it, how to correct it, where its data lives) says the same on every record.
_TAIL = re.compile(r'<h2 id="cite">')
# A record page's kind, from its address (index pages and hand-written pages are articles).
_KINDS = {"studies": "study", "preclinical": "preclinical", "cell-types": "cell-type", "routes": "route"}
_TAG = re.compile(r"<[^>]+>")
_H1 = re.compile(r"<h1[^>]*>.*?</h1>", re.S)
_IDS = re.compile(r'(data-pagefind-meta="ids">)([^<]*)')
# What separates the terms of a list ("A、B及C", "A, B and C"), and the plural ending the alias pattern allows.
_LIST = re.compile(r"(?:e?s)?\s*(?:[、,，]|and|or|[及和与或])\s*", re.I)
_strings: dict[str, dict[str, str]] = {}
# Under `mkdocs serve`: the languages built but not yet indexed, and the indexing thread of the last rebuild.
_serving: dict = {"on": False, "pending": [], "thread": None}
OTHER_LANGUAGES = ("zh",)  # folders of the site that are another language's (mkdocs.yml, i18n languages)
# Per language: (pattern matching any term's name as a whole word, name → the other names it brings).
_aliases: dict[str, tuple[re.Pattern | None, dict[str, list[str]]]] = {}


@guard.hook
def on_config(config):
    # The strings come from the generator (scripts/hooks/common.py), never from data/ itself.
    for lang in ("en", "zh"):
        data = strings(lang)
        _strings[lang] = {k[len("searchbox."):]: v for k, v in data.items() if k.startswith("searchbox.")}
        _strings[lang]["dialog"] = data.get("a11y.search_dialog", "")
    for lang in ("en", "zh"):
        _aliases[lang] = _alias_table(glossary_terms(config), lang)
    return config


def _alias_table(terms: list[dict], lang: str) -> tuple[re.Pattern | None, dict[str, list[str]]]:
    """What a page in `lang` is also found under, per glossary name it may contain: the term's abbreviation, its
    names in this language and, on Chinese pages, its English name (readers mix the two: "MSC 鞘内")."""
    table: dict[str, list[str]] = {}
    for term in terms:
        names = [term["term"].get(lang, ""), *term.get(f"{lang}_alternatives", [])]
        abbr = term.get("abbreviation")
        extra = [*names, *([abbr] if abbr else []), *([term["term"].get("en", "")] if lang != "en" else [])]
        extra = list(dict.fromkeys(extra))
        for name in [*names, *([abbr] if abbr else [])]:
            if isinstance(name, str) and name.strip():
                table.setdefault(name.lower(), []).extend(x for x in extra if isinstance(x, str) and x.strip())
    if not table:
        return None, {}
    # Whole words in Latin script ("ALS" not inside "also"), plurals too; Chinese names match anywhere.
    return re.compile(r"(?<![a-z0-9])(" + trie.pattern(table) + r")(?:e?s)?(?![a-z0-9])"), table


def page_aliases(text: str, lang: str, title: str = "") -> tuple[list[str], list[str]]:
    """The names (the term itself, its abbreviation and other names) of the glossary terms a page's `title` begins
    with or gives in brackets (the page is about them: "ALS in brief", "Intrathecal injection (lumbar puncture)") and, apart, of the terms in its `text` (both
    visible text). In English, names already in the text are left out of
    `aliases` (Pagefind finds them there) but kept in `names`, where they weigh more. Chinese keeps them: Pagefind cuts Chinese into words in context, so a term inside
    a longer run (的诱导多能干细胞来源) may be cut differently from the same term typed alone; listed alone, it is cut
    as the reader's query is."""
    pattern, table = _aliases.get(lang, (None, {}))
    if pattern is None:
        return [], []
    lowered = text.lower()
    keep_present = lang != "en"

    def names_in(part: str, skip: set[str], leading: bool = False) -> list[str]:
        found: dict[str, None] = {}
        wanted, listed = [], 0  # listed: where the list of terms a title begins with has reached
        for m in pattern.finditer(part.lower()):
            # a title's subject: its first words, the other name it gives in brackets ("Intrathecal injection
            # (lumbar puncture)"), and each term of a list it begins with ("细胞外囊泡、外泌体及分泌组": the page is
            # about 外泌体 too; Pagefind cut that title into 外 / 泌 / 体, so 外泌体 typed alone found it no better
            # than the 21 pages that merely mention exosomes)
            if not leading:  # in the text, every name counts
                wanted.append(m.group(1))
                continue
            before = part[:m.start()]
            if not before.strip() or before.rstrip()[-1] in "(（" or (listed and _LIST.fullmatch(part[listed:m.start()])):
                wanted.append(m.group(1))
                listed = m.end() if not before.strip() or listed else listed
        for name in dict.fromkeys(wanted):
            found.update((a, None) for a in table[name]
                         if (keep_present or leading or a.lower() not in lowered) and a not in skip)
        return list(found)

    names = names_in(title.strip(), set(), leading=True)
    return names, names_in(text, set(names))


def _text(fragment: str) -> str:
    return html.unescape(_TAG.sub(" ", fragment))


def page_kind(url: str, lang: str) -> str:
    """study, preclinical, cell-type or route for a record page (studies/x/, zh/studies/x/), else article."""
    parts = [p for p in url.split("/") if p]
    if parts[:1] == [lang]:
        parts = parts[1:]
    return _KINDS.get(parts[0], "article") if len(parts) >= 2 else "article"


@guard.hook
def on_env(env, config, files):
    env.globals["atlas_search"] = _strings.get(language(config), {})
    env.globals["atlas_search_bundle"] = bundle_folder(language(config))
    return env


@guard.hook
def on_post_page(output: str, page, config) -> str:
    start = output.find(ARTICLE)
    if start < 0:
        return output
    end = output.find("</article>", start)
    lang = language(config)
    body = output[start + len(ARTICLE):end]
    h1 = _H1.search(body)
    names, aliases = page_aliases(_text(body), lang, _text(h1.group(0)) if h1 else "")
    kind = page_kind(page.url, lang)
    kind = _strings.get(lang, {}).get(f"kind.{kind}", kind)
    # The title counts most (Pagefind's own weight for an h1 is 7 of 10).
    body = body.replace("<h1", '<h1 data-pagefind-weight="10"', 1)
    head = (ARTICLE_INDEXED +
            f'<span hidden data-pagefind-filter="kind">{html.escape(kind)}</span>')
    for field, words in (("names", names), ("aliases", aliases)):
        if words:
            head += f'<span hidden data-pagefind-meta="{field}">{html.escape(" · ".join(words))}</span>'
    # A registry number is also found by its digits alone (01051882 for NCT01051882): readers drop the prefix.
    body = _IDS.sub(lambda m: m.group(1) + " ".join(dict.fromkeys(
        [m.group(2), *re.findall(r"\d{5,}", m.group(2).replace("-", ""))])), body, count=1)
    tail = _TAIL.search(body)
    if tail:
        body = body[:tail.start()] + "<div data-pagefind-ignore>" + body[tail.start():] + "</div>"
    return output[:start] + head + body + output[end:]


def bundle_folder(lang: str) -> str:
    """Where a language's Pagefind bundle lives, from the site's root: pagefind/ for English, zh/pagefind/ …"""
    return "pagefind/" if lang == DEFAULT else f"{lang}/pagefind/"


def _index(site: Path, lang: str) -> int:
    """Index one language's pages into its own bundle. One bundle per language rather than one for both (Pagefind
    would split it by <html lang> all the same): each Pagefind run holds half the pages in memory (1.8 GB for both
    at 5000 studies), and the Chinese one runs in the Chinese build, beside the English build
    (scripts/hooks/parallel.py), instead of after both."""
    bundle = site / bundle_folder(lang)
    shutil.rmtree(bundle, ignore_errors=True)
    pages = pagefind_service(_articles(site if lang == DEFAULT else site / lang), bundle)
    if lang == "zh":
        words = sorted(index_words(bundle, lang))
        (bundle / "atlas-words.zh.json").write_text(json.dumps(words, ensure_ascii=False, separators=(",", ":")),
                                                    encoding="utf-8")
    return pages


def _articles(root: Path) -> list[tuple[str, str]]:
    """Each page of one language under `root`, as (its path from `root`, its <html> tag, which names the language,
    and its article alone).

    Why: Pagefind indexes only the article (`data-pagefind-body`, added by on_post_page; nothing outside it carries
    a data-pagefind attribute), but it parses the whole page, three quarters of which is navigation, header and
    footer. Given the articles alone it writes the same index (tests/test_search.py compares the pages, each word
    with its pages and places, and the filters) with about a quarter less work: 1.2-1.5 CPU seconds less per
    language at 1000 studies. They are sent to Pagefind in memory: written to disk for it, as until 4 December,
    the copies cost 0.3-1.3 s of system time per language on the benchmark machine, where creating a file costs
    0.2-0.9 ms. The English root also holds the other languages' folders: those are left out."""
    found = []
    for folder in [root, *sorted(p for p in root.iterdir() if p.is_dir() and p.name not in OTHER_LANGUAGES
                                 and p.name != "pagefind")]:
        for page in [folder / "index.html"] if folder == root else sorted(folder.rglob("index.html")):
            if not page.is_file():
                continue
            text = page.read_text(encoding="utf-8")
            start = text.find(ARTICLE_INDEXED)
            if start < 0:  # not a page of ours (Pagefind would skip it too: other pages have a body marked)
                continue
            opening = text.find(">", text.find("<html")) + 1
            end = text.index("</article>", start) + len("</article>")
            found.append((page.relative_to(root).as_posix(),
                          text[:opening] + "<body>" + text[start:end] + "</body></html>"))
    return found


def pagefind_service(pages: list[tuple[str, str]], bundle: Path) -> int:
    """Index `pages` ((path, HTML) each, the path relative to the site, from which Pagefind makes the address) with
    one `pagefind --service` run and write the bundle into `bundle`; return how many pages it indexed.

    Pagefind's own Python client (pagefind.service) reads one answer per tenth of a second: 1276 pages sent to it
    one by one took 128 s. This speaks the same protocol (each message base64-encoded JSON followed by a comma, each
    request answered once, with its message_id) and reads the answers as they come."""
    from pagefind.service import get_executable  # imported here: only the last build step needs Pagefind

    binary = get_executable()
    if binary is None:
        raise RuntimeError("no Pagefind binary (pip install 'pagefind[extended]', as requirements.txt does)")
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=errors)
        received = bytearray()

        def send(requests: list[dict], first_id: int) -> None:
            for number, payload in enumerate(requests, first_id):
                message = json.dumps({"message_id": number, "payload": payload}).encode("utf-8")
                process.stdin.write(base64.b64encode(message) + b",")
            process.stdin.flush()

        def answers(count: int) -> list[dict]:
            found = []
            while len(found) < count:
                cut = received.find(b",")
                if cut < 0:
                    chunk = process.stdout.read1(1 << 16)
                    if not chunk:
                        errors.seek(0)
                        raise RuntimeError(f"Pagefind stopped: {errors.read().decode(errors='replace')[-500:]}")
                    received.extend(chunk)
                    continue
                payload = json.loads(base64.b64decode(bytes(received[:cut]))).get("payload") or {}
                del received[:cut + 1]
                if payload.get("type") == "Error":
                    raise RuntimeError(f"Pagefind: {payload.get('message')} "
                                       f"(in answer to {str(payload.get('original_message'))[:200]})")
                found.append(payload)
            return found

        try:
            send([{"type": "NewIndex", "config": {"exclude_selectors": EXCLUDE}}], 1)
            index_id = answers(1)[0]["index_id"]
            # Sent from a thread while the answers are read here: each pipe holds only so much.
            added = [{"type": "AddFile", "index_id": index_id, "file_path": path, "url": None, "file_contents": content}
                     for path, content in pages]
            writer = threading.Thread(target=send, args=(added, 2), daemon=True)
            writer.start()
            indexed = answers(len(added))
            writer.join()
            send([{"type": "WriteFiles", "index_id": index_id, "output_path": str(bundle)}], len(added) + 2)
            answers(1)
            # The service answers before its writes reach the disk, and ending it cuts them short (pagefind.js of 0
            # bytes): wait until every file is whole.
            _settled(bundle)
            process.stdin.close()  # the service ends when its input does
            process.wait(timeout=120)
        finally:
            if process.poll() is None:  # failed half-way: stop it, which also ends a write blocked on its input
                process.kill()
                process.wait()
    return sum(1 for page in indexed if page.get("type") == "IndexedFile")


# The words of the Chinese word list: Han characters, possibly with Latin letters or digits (iPS细胞, 3期); two
# characters or more (a single character is what an unknown word falls back to anyway); at most 8 (longer "words" are
# whole metadata values, such as a title with its country, which a reader does not type).
_HAN_WORD = re.compile(r"(?=.*[\u3400-\u9fff])[\u3400-\u9fff\w]{2,8}")


def index_words(bundle: Path, lang: str) -> set[str]:
    """The Chinese words of `lang`'s index in `bundle`, as Pagefind cut them when indexing.

    Why: Pagefind cuts a Chinese page into words with its own dictionary (charabia's jieba) when indexing, and the
    reader's query with the browser's `Intl.Segmenter`, which knows few medical words (小鼠 → 小 / 鼠, 功能评分量表 →
    功能 / 评 / 分量 / 表); a page is found only under the words the index holds, so the search box cuts the query
    with the index's own words instead. Pagefind has no API for its words; each index chunk is a gzip stream of
    "pagefind_dcd" and a CBOR array whose first item lists [word, pages, variants] (Pagefind 1.5's format, checked by
    tests/test_search.py). Decoded with cbor2's C decoder: walking the page lists in Python took a second at 1000
    studies, at the very end of the Chinese build.

    The collector is paused meanwhile: the decoded chunks are millions of lists and numbers, none of them in a
    cycle (each chunk is freed as the next is read), and every few thousand of them made Python's collector walk the
    whole build's objects: at 5000 studies that took the words 11.2 s in the build against 0.8 s alone, with one
    core idle, at the end of the build."""
    words: set[str] = set()
    collecting = gc.isenabled()
    gc.disable()
    try:
        for chunk in sorted((bundle / "index").glob(f"{lang}_*.pf_index")):
            words.update(_han_words(chunk))
    finally:
        if collecting:
            gc.enable()
    return words


def _han_words(chunk: Path) -> Iterator[str]:
    """The words of one index chunk that a Chinese reader types (_HAN_WORD)."""
    content = pagefind_file(chunk)
    entries = content[0] if isinstance(content, list) and content else None
    if not isinstance(entries, list):
        raise RuntimeError(f"{chunk}: not a Pagefind 1.5 index chunk (the format changed; see index_words)")
    for entry in entries:
        if not (isinstance(entry, list) and entry and isinstance(entry[0], str)):
            raise RuntimeError(f"{chunk}: a word that is not text (the format changed; see index_words)")
        if _HAN_WORD.fullmatch(entry[0]):
            yield entry[0]


def pagefind_file(path: Path):
    """The content of one of Pagefind 1.5's index, filter or meta files: a gzip stream of "pagefind_dcd" and CBOR."""
    import cbor2  # imported here, as Pagefind is: only the last build step needs it

    changed = RuntimeError(f"{path}: not a Pagefind 1.5 file (the format changed; see index_words)")
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(b"pagefind_dcd"):
        raise changed
    try:
        return cbor2.loads(data[len(b"pagefind_dcd"):])
    except (cbor2.CBORError, ValueError, TypeError, IndexError, KeyError) as error:
        raise changed from error


def _settled(bundle: Path, timeout: float = 60) -> None:
    """Return once every file of the bundle is complete: none empty, every compressed one a whole gzip stream."""
    deadline = time.monotonic() + timeout
    while True:
        broken = [p for p in bundle.rglob("*") if p.is_file() and not _whole(p)]
        if not broken:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(broken)} Pagefind file(s) still incomplete, e.g. {broken[0]}")
        time.sleep(0.05)


def _whole(path: Path) -> bool:
    data = path.read_bytes()
    if not data:
        return False
    if data[:2] != b"\x1f\x8b":  # JavaScript, CSS, JSON
        return True
    try:
        gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return False
    return True


@guard.hook
def on_startup(command, dirty):
    _serving["on"] = command == "serve"


@guard.hook
def on_pre_build(config):
    # Under `mkdocs serve`, the last rebuild's indexing may still run: let it finish before pages are rewritten.
    if _serving["thread"] is not None:
        _serving["thread"].join()


@event_priority(-50)  # before static-i18n (-100) adds the next language's pages to the site
@guard.hook
def on_post_build(config) -> None:
    lang = language(config)
    site = Path(config.site_dir)
    if lang != DEFAULT and site.name == lang:  # static-i18n builds each other language into <site>/<lang>
        site = site.parent
    if _serving["on"]:
        # A preview rebuild does not wait for its index (half a save at the real data, mostly Pagefind loading its
        # Chinese dictionary): the edited page reloads at once and its search catches up a moment later. Indexing
        # starts once the last language is built, so that it does not slow that language's build down.
        _serving["pending"].append((site, lang))
        i18n = config.plugins.get("i18n")
        if i18n is None or lang == list(i18n.build_languages)[-1]:
            pending, _serving["pending"] = _serving["pending"], []
            _serving["thread"] = threading.Thread(target=lambda: [_index_now(*job) for job in pending], daemon=True)
            _serving["thread"].start()
        return
    try:
        _index_now(site, lang)
    except Exception as error:  # a missing binary or a failed run must fail the build, not ship without search
        raise PluginError(f"Pagefind could not index the {lang} pages: {error}") from error


def _index_now(site: Path, lang: str) -> None:
    start = time.perf_counter()
    try:
        pages = _index(site, lang)
    except Exception as error:
        if not _serving["on"]:
            raise
        log.error(f"Pagefind could not index the {lang} pages; the preview's search is out of date: {error}")
        return
    log.info(f"Pagefind indexed {pages} {lang} pages in {time.perf_counter() - start:.1f} s")
