"""Search relevance and speed benchmark: the queries of benchmarks/search-queries.yml typed into a built site's search
box in chromium, served compressed like GitHub Pages (scripts/static_server.py).

Reads: benchmarks/search-queries.yml and a built site (or builds one: the real data, or N synthetic studies in a
temporary copy). Writes: with --json, the results. Per language: success@3 (a right page among the first three
results), MRR (mean of 1 / rank of the first right page, within the first 10), results from the other language,
milliseconds from the last keystroke to drawn results for the first query of a page (index start-up included) and
for later ones, and the bytes fetched per query (compressed, as transferred).
Works with this site's Pagefind search box and, for before/after comparisons, with Material's lunr search box
(`--engine lunr` on a site built with Material's search plugin). Not a test: tests/test_search.py asserts the bar.
Usage: python -m scripts.search_benchmark [--site DIR] [--engine pagefind|lunr] [--studies 1000 5000] [--json F]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import static_server, yamlio
from .hooks.search import bundle_folder

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "benchmarks" / "search-queries.yml"
LANG_ROOT = {"en": "", "zh": "zh/"}
TOP = 10

# Pagefind box: type like a reader, then wait for the box to say the results of exactly this query are drawn.
_PAGEFIND_SETUP = """() => {
  window.__shown = [];
  document.querySelector('[data-atlas-search]').addEventListener('atlas-search:shown',
    e => window.__shown.push([e.detail.query, performance.now()]));
  document.querySelector('.atlas-search__input').addEventListener('input', () => { window.__typed = performance.now(); });
}"""
_PAGEFIND_DONE = """(q) => window.__shown.some(s => s[0] === q && s[1] >= window.__typed)"""
_PAGEFIND_READ = """(q) => {
  const drawn = window.__shown.find(s => s[0] === q && s[1] >= window.__typed);
  return {ms: drawn[1] - window.__typed,
          links: [...document.querySelectorAll('.atlas-search__link')].map(a => a.href)};
}"""
# Material's box: it searches on keyup; its result list is replaced when the query's results are ready.
_LUNR_QUERY = """async (q) => {
  const input = document.querySelector('.md-search__input');
  const output = document.querySelector('.md-search-result');
  const ms = await new Promise(resolve => {
    const start = performance.now();
    const seen = new MutationObserver(() => { seen.disconnect(); resolve(performance.now() - start); });
    seen.observe(output, {childList: true, subtree: true, characterData: true});
    setTimeout(() => { seen.disconnect(); resolve(null); }, 10000);
    input.value = q;
    input.dispatchEvent(new KeyboardEvent('keyup'));
  });
  await new Promise(r => setTimeout(r, 50));
  return {ms, links: [...document.querySelectorAll('.md-search-result__link')].map(a => a.href)};
}"""


def load_queries(path: Path = QUERIES) -> dict[str, list[dict]]:
    """{language: [{q, expect}]}; an item with `same_as` gets the expected pages of that English query."""
    data = yamlio.read(path).data
    english = {item["q"]: item["expect"] for item in data["en"] if "expect" in item}
    return {lang: [{"q": item["q"], "expect": item.get("expect") or english[item["same_as"]]} for item in items]
            for lang, items in data.items()}


def page_paths(links: list[str], base: str) -> list[str]:
    """Result links → distinct page addresses relative to the site root (no fragment), in order."""
    out: list[str] = []
    prefix = urlsplit(base).path
    for link in links:
        path = urlsplit(link).path
        path = path[len(prefix):] if path.startswith(prefix) else path
        if path not in out:
            out.append(path)
    return out


def score(found: list[str], expect: list[str], lang: str) -> dict:
    wanted = {LANG_ROOT[lang] + e for e in expect}
    rank = next((i + 1 for i, p in enumerate(found[:TOP]) if p in wanted), None)
    other = [p for p in found if (p.startswith("zh/") or p == "zh/") != (lang == "zh")]
    return {"rank": rank, "top3": rank is not None and rank <= 3, "other_language": other}


class Reader:
    """One browser page per language, on which queries are typed in turn; records time and bytes per query."""

    def __init__(self, browser, url: str, lang: str, engine: str):
        self.url, self.lang, self.engine = url, lang, engine
        self.page = browser.new_page()
        self.bytes = 0
        self.page.on("requestfinished", self._count)
        self.page.goto(url + LANG_ROOT[lang], wait_until="networkidle")
        if engine == "pagefind":
            self.page.evaluate(_PAGEFIND_SETUP)
            self.page.keyboard.press("/")
        else:
            self.page.locator("input.md-search__input").focus()

    def _count(self, request) -> None:
        try:
            self.bytes += request.sizes()["responseBodySize"]
        except Exception:  # a request that ended as the page closed
            pass

    def query(self, q: str) -> dict:
        before = self.bytes
        if self.engine == "pagefind":
            box = self.page.locator(".atlas-search__input")
            box.fill("")
            self.page.keyboard.type(q)
            wanted = q[:200].strip()
            self.page.wait_for_function(_PAGEFIND_DONE, arg=wanted, timeout=30000)
            result = self.page.evaluate(_PAGEFIND_READ, wanted)
        else:
            self.page.evaluate("() => { const i = document.querySelector('.md-search__input'); i.value = '';"
                               " i.dispatchEvent(new KeyboardEvent('keyup')); }")
            result = self.page.evaluate(_LUNR_QUERY, q)
            if result["ms"] is None:  # nothing redrawn (e.g. the same list as before)
                result["ms"] = 0.0
        self.page.wait_for_timeout(30)  # let the last fragment requests finish counting
        return {"ms": result["ms"], "bytes": self.bytes - before, "found": page_paths(result["links"], self.url)}

    def close(self) -> None:
        self.page.close()


def measure(site: Path, engine: str = "pagefind", queries: dict | None = None, port: int = 8160,
            browser=None) -> dict:
    """Every query of `queries` (default: the benchmark's) typed into `site`; per-language summary and per query."""
    queries = queries or load_queries()
    server = static_server.server(site, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    try:
        if browser is None:
            from playwright.sync_api import sync_playwright  # a test dependency: imported only when measuring

            from .benchmark import CHROMIUM, CHROMIUM_ARGS
            with sync_playwright() as p:
                launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    return _measure(launched, url, engine, queries)
                finally:
                    launched.close()
        return _measure(browser, url, engine, queries)
    finally:
        server.shutdown()
        server.server_close()


def _measure(browser, url: str, engine: str, queries: dict) -> dict:
    out: dict = {"engine": engine, "languages": {}}
    for lang, items in queries.items():
        # The first query on a fresh page pays for the search start-up; measure it on a few fresh pages.
        firsts = []
        for item in items[:3]:
            reader = Reader(browser, url, lang, engine)
            firsts.append(reader.query(item["q"]))
            reader.close()
        reader = Reader(browser, url, lang, engine)
        rows = []
        for item in items:
            got = reader.query(item["q"])
            rows.append({"q": item["q"], **score(got["found"], item.get("expect", []), lang),
                         "top": got["found"][:3], "ms": round(got["ms"], 1), "bytes": got["bytes"]})
        reader.close()
        later = rows[1:]
        judged = [r for r, item in zip(rows, items) if item.get("expect")]  # queries timed only have none
        n = max(len(judged), 1)
        out["languages"][lang] = {
            "queries": len(judged),
            "success_at_3": round(sum(r["top3"] for r in judged) / n, 3),
            "mrr": round(sum(1 / r["rank"] for r in judged if r["rank"]) / n, 3),
            "other_language_results": sum(len(r["other_language"]) for r in rows),
            "first_query_ms_median": round(statistics.median(f["ms"] for f in firsts), 1),
            "first_query_kb_median": round(statistics.median(f["bytes"] for f in firsts) / 1024, 1),
            "later_query_ms_median": round(statistics.median(r["ms"] for r in later), 1),
            "later_query_ms_max": round(max(r["ms"] for r in later), 1),
            "later_query_kb_median": round(statistics.median(r["bytes"] for r in later) / 1024, 1),
            "later_query_kb_max": round(max(r["bytes"] for r in later) / 1024, 1),
            "misses": [{"q": r["q"], "top": r["top"]} for r in judged if not r["top3"]],
            "rows": rows,
        }
    return out


# Synthetic sites: a few queries whose right page is known from how scripts.benchmark.synthesise names things.
SYNTHETIC_QUERIES = {
    "en": [{"q": "NCT10000123", "expect": ["studies/nct10000123/"]},
           {"q": "Synthetic cell therapy study 77", "expect": ["studies/nct10000077/"]},
           {"q": "lumbar puncture", "expect": []}, {"q": "neurofilament light chain", "expect": []},
           {"q": "10000456", "expect": ["studies/nct10000456/"]}],
    "zh": [{"q": "NCT10000123", "expect": ["studies/nct10000123/"]},
           {"q": "合成细胞治疗研究 77", "expect": ["studies/nct10000077/"]},
           {"q": "腰椎穿刺", "expect": []}, {"q": "神经丝轻链", "expect": []},
           {"q": "10000456", "expect": ["studies/nct10000456/"]}],
}


def synthetic(n: int, port: int = 8161) -> dict:
    """Build N synthetic studies (scripts.benchmark's generator) and measure: the indexing share of the build, index
    size, and the query times and bytes of SYNTHETIC_QUERIES."""
    from .benchmark import _project

    with tempfile.TemporaryDirectory(prefix="atlas-search-bench-") as tmp:
        project = _project(Path(tmp), n)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=f"http://127.0.0.1:{port}/")
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                                capture_output=True, text=True)
        wall = time.perf_counter() - start
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-3000:])
        # One run per language; the Chinese one runs beside the English build, so the sum overstates the wall share.
        indexed = re.findall(r"Pagefind indexed (\d+) [a-z]+ pages in ([\d.]+) s", result.stderr)
        pages, seconds = sum(int(n) for n, _ in indexed), round(sum(float(s) for _, s in indexed), 1)
        size = sum(p.stat().st_size for lang in ("en", "zh") for p in (project / "site" / bundle_folder(lang)).rglob("*")
                   if p.is_file())
        measured = measure(project / "site", "pagefind", SYNTHETIC_QUERIES, port)
        for lang in measured["languages"].values():
            lang.pop("misses")
        return {"studies": n, "build_s": round(wall, 1), "pages_indexed": pages,
                "indexing_s": seconds, "indexing_share": round(seconds / wall, 3),
                "bundle_mb": round(size / 2**20, 1), "search": measured["languages"]}


def build_real(target: Path, port: int) -> Path:
    """The real data's site, built in a temporary copy of the project (addresses for `port`)."""
    from .generate import copy_sources

    import shutil
    project = copy_sources(target)
    shutil.copytree(ROOT / "data", project / "data")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=f"http://127.0.0.1:{port}/")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=project, env=env, check=True,
                   capture_output=True)
    return project / "site"


def summary(result: dict) -> str:
    rows = ["| language | queries | success@3 | MRR | other-language results | first query ms / KB | "
            "later queries ms median (max) | later KB median (max) |", "|---|---|---|---|---|---|---|---|"]
    for lang, r in result["languages"].items():
        rows.append(f"| {lang} | {r['queries']} | {100 * r['success_at_3']:.0f}% | {r['mrr']} | "
                    f"{r['other_language_results']} | {r['first_query_ms_median']} / {r['first_query_kb_median']} | "
                    f"{r['later_query_ms_median']} ({r['later_query_ms_max']}) | "
                    f"{r['later_query_kb_median']} ({r['later_query_kb_max']}) |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.search_benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the real data in a temporary copy)")
    parser.add_argument("--engine", choices=["pagefind", "lunr"], default="pagefind")
    parser.add_argument("--port", type=int, default=8160, help="the port the site was built for (default 8160)")
    parser.add_argument("--studies", type=int, nargs="*", default=[], help="also measure N synthetic studies")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="atlas-search-real-") as tmp:
        site = args.site or build_real(Path(tmp) / "project", args.port)
        result = measure(site, args.engine, port=args.port)
    print(summary(result))
    for lang, r in result["languages"].items():
        for miss in r["misses"]:
            print(f"  miss {lang}: {miss['q']!r} → {miss['top']}")
    result["synthetic"] = [synthetic(n) for n in args.studies]
    for s in result["synthetic"]:
        print(f"{s['studies']} studies: build {s['build_s']} s, indexing {s['indexing_s']} s "
              f"({100 * s['indexing_share']:.1f}%), bundle {s['bundle_mb']} MB")
        print(summary({"languages": s["search"]}))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
