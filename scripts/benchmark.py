"""Benchmark: synthesise N valid records per kind with bilingual prose in a temporary copy of the project, then time
our generation and the full MkDocs build, and measure the site.

Reads: the project (copied), nothing from data/. Writes: a temporary folder (removed afterwards) and, with --json,
the results. Not a test: numbers depend on the machine. `--studies 50` is the smoke run CI uses so this never rots.
Usage: python -m scripts.benchmark --studies 100 1000 [--json benchmarks/results.json]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import static_server
from .generate import CACHE, copy_sources, generate
from .records import stamp_of
from .render import GENERATED_DIRS
from .schema import KINDS
from .hooks.search import bundle_folder
from .search_benchmark import Reader

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {"studies": "study", "cell-types": "cell-type", "routes": "route", "references": "reference",
           "glossary": "glossary-term", "preclinical": "preclinical", "articles": "article"}

EN_SENTENCES = [
    "Participants received {n} × 10^6 cells per kilogram by lumbar puncture, {k} times at intervals of {w} weeks.",
    "The primary endpoint was safety over {w} weeks, with the ALSFRS-R slope as a secondary outcome.",
    "In the peer-reviewed report, {n} of {m} participants had mild headache or back pain after the procedure.",
    "The decline in ALSFRS-R was {x} points per month before treatment and {y} points per month after it.",
    "No serious adverse events related to the cells were reported during {w} weeks of follow-up.",
    "The trial had no control group, so any change cannot be attributed to the treatment with confidence.",
    "Forced vital capacity fell by {x} percent over {w} weeks, similar to natural-history cohorts.",
    "Cerebrospinal fluid neurofilament light chain was measured at baseline and after {w} weeks in {n} patients.",
]
ZH_SENTENCES = [
    "受试者经腰椎穿刺接受 {n} × 10^6 个细胞/kg 治疗，共 {k} 次，间隔 {w} 周。",
    "主要终点为 {w} 周内的安全性，ALSFRS-R 评分下降速率为次要终点。",
    "同行评议论文报告，{m} 例受试者中有 {n} 例在操作后出现轻度头痛或背痛。",
    "治疗前 ALSFRS-R 评分每月下降 {x} 分，治疗后每月下降 {y} 分。",
    "在 {w} 周随访期间，未报告与细胞相关的严重不良事件。",
    "该试验没有对照组，因此无法可靠地将任何变化归因于治疗。",
    "{w} 周内用力肺活量下降 {x}%，与自然病程队列相近。",
    "在基线和第 {w} 周检测了 {n} 例患者脑脊液中的神经丝轻链。",
]


def _prose(rng: random.Random, sentences: int) -> dict:
    values = [dict(n=rng.randint(1, 40), m=rng.randint(41, 90), k=rng.randint(1, 6), w=rng.randint(4, 52),
                   x=round(rng.uniform(0.3, 1.5), 2), y=round(rng.uniform(0.1, 1.2), 2)) for _ in range(sentences)]
    picks = [rng.randrange(len(EN_SENTENCES)) for _ in range(sentences)]
    en = " ".join(EN_SENTENCES[p].format(**v) for p, v in zip(picks, values))
    zh = "".join(ZH_SENTENCES[p].format(**v) for p, v in zip(picks, values))
    return {"en": en, "zh": zh, "stamp": stamp_of(en)}


def _name(en: str, zh: str) -> dict:
    return {"en": en, "zh": zh, "stamp": stamp_of(en)}


def synthesise(data: Path, n: int, seed: int = 1) -> dict[str, int]:
    """Write N studies, N references, N glossary terms and N/5 preclinical studies, with N/50 cell types, routes and
    articles (at least 3 each), all valid, into `data` (which holds the interface strings already)."""
    rng = random.Random(seed)
    today = "2026-11-27"
    counts = {"studies": n, "references": n, "glossary": n, "preclinical": max(3, n // 5),
              "cell-types": max(3, n // 50), "routes": max(3, n // 50), "articles": max(3, n // 50)}
    cells = [f"cell-type-{i}" for i in range(counts["cell-types"])]
    routes = [f"route-{i}" for i in range(counts["routes"])]
    refs = [f"author{i}-2020-study" for i in range(counts["references"])]

    def write(kind: str, rec_id: str, record: dict) -> None:
        folder = data / kind
        folder.mkdir(parents=True, exist_ok=True)
        header = f"# yaml-language-server: $schema=../../schema/{HEADERS[kind]}.schema.json\n"
        (folder / f"{rec_id}.yml").write_text(header + json.dumps(record, ensure_ascii=False, indent=1) + "\n",
                                              encoding="utf-8")

    for i, rec_id in enumerate(cells):
        write("cell-types", rec_id, {"name": _name(f"Cell type {i}", f"细胞类型 {i}"), "family": "mesenchymal",
              "order": i, "summary": _prose(rng, 2), "rationale": _prose(rng, 3), "evidence": _prose(rng, 4),
              "open_questions": _prose(rng, 2), "references": [refs[i % len(refs)]], "last_reviewed": today})
    for i, rec_id in enumerate(routes):
        write("routes", rec_id, {"name": _name(f"Route {i}", f"给药途径 {i}"), "order": i,
              "invasiveness": "moderate", "summary": _prose(rng, 2), "tradeoffs": _prose(rng, 3), "references": [],
              "last_reviewed": today})
    for i, rec_id in enumerate(refs):
        write("references", rec_id, {"type": "journal-article", "authors": f"Author{i} A, Writer B", "year": 2020,
              "title": f"Synthetic study {i} of cell therapy in ALS", "container": "Journal of Benchmarks",
              "doi": f"10.9999/bench.{i}"})
    for i in range(counts["glossary"]):
        # About 40 % of the real glossary's terms have an abbreviation, which every page is scanned for.
        abbreviation = {"abbreviation": f"ABT{i}"} if i % 5 < 2 else {}
        write("glossary", f"term-{i}", {"term": _name(f"term {i}", f"术语 {i}"), **abbreviation, "category": "cell",
              "definition": _prose(rng, 1), "zh_verified": False, "last_reviewed": today})
    for i in range(n):
        start = rng.randint(2005, 2024)
        write("studies", f"nct{10000000 + i:08d}", {
            "title": _name(f"Synthetic cell therapy study {i}", f"合成细胞治疗研究 {i}"),
            "registry_ids": [f"NCT{10000000 + i:08d}"], "category": "cell-transplantation",
            "record_type": "registered-trial", "sponsor": f"Sponsor {i % 97}", "countries": ["US", "CN"],
            "phase": rng.choice(["1", "1-2", "2", "3"]),
            "design": {"allocation": "randomised", "masking": "double-blind", "comparator": "placebo",
                       "summary": _prose(rng, 2)},
            "cell_types": [rng.choice(cells)], "cell_origin": "autologous", "routes": [rng.choice(routes)],
            "dose": _prose(rng, 1), "enrolled": rng.randint(6, 300), "status": "completed",
            "status_checked": today, "start": str(start), "completion": str(start + 2),
            "primary_endpoint": _prose(rng, 1), "results": ["publication"], "findings": _prose(rng, 6),
            "lay_summary": _prose(rng, 1), "references": [refs[i]],
            "sources": [f"https://clinicaltrials.gov/study/NCT{10000000 + i:08d}"], "verification": "high",
            "last_reviewed": today})
    for i in range(counts["preclinical"]):
        write("preclinical", f"animal{i}-2015-study", {"title": _name(f"Synthetic mouse study {i}", f"合成小鼠研究 {i}"),
              "kind": "transplantation", "species": "mouse", "model": "sod1-g93a", "cell_types": [rng.choice(cells)],
              "routes": [rng.choice(routes)], "year": 2015, "finding": _prose(rng, 3), "limits": _prose(rng, 2),
              "references": [refs[i]], "verification": "high", "last_reviewed": today})
    for i in range(counts["articles"]):
        write("articles", f"article-{i}", {"title": _name(f"Background article {i}", f"背景文章 {i}"),
              "section": ["science", "patients", "evidence"][i % 3], "order": i, "summary": _prose(rng, 1),
              "sections": [{"id": f"part-{j}", "heading": _name(f"Part {j}", f"第 {j} 部分"), "body": _prose(rng, 8)}
                           for j in range(5)], "references": [refs[i]], "last_reviewed": today})
    return counts


def _project(tmp: Path, n: int) -> Path:
    project = copy_sources(tmp / "project")
    # The real hand-written pages link to real records; a synthetic site gets minimal pages of its own, keeping
    # only the headings with an explicit anchor (generated pages link to some, e.g. about.md#how-the-studies-…).
    for lang, text in (("en", "# Benchmark { #benchmark }\n\nSynthetic site about ALS.\n"),
                       ("zh", "# 基准测试 { #benchmark }\n\n关于肌萎缩侧索硬化（渐冻症）的合成网站。\n")):
        for page in (project / "docs" / lang).glob("*.md"):
            anchors = [line for line in page.read_text(encoding="utf-8").splitlines()
                       if re.match(r"#{2,6} .*\{ #[a-z0-9-]+ \}$", line)]
            page.write_text(text + "".join(f"\n{line}\n\n{text.splitlines()[-1]}\n" for line in anchors),
                            encoding="utf-8")
    (project / "data").mkdir()
    shutil.copytree(ROOT / "data" / "strings", project / "data" / "strings")
    synthesise(project / "data", n)
    return project


def _build(project: Path, skip_generate: bool, serial: bool = False, fresh: bool = False) -> dict:
    """One timed `mkdocs build --strict` of `project`, without its last site; fresh=True: also without its generated
    pages and generation cache, as in a fresh clone.

    What a fresh clone lacks is moved out of the way (into set-aside/ beside the project), not deleted: on a file
    system without a journal (the benchmark machine's ext4), Linux passes over the inodes deleted in the last one to
    six minutes when it creates files, and the 10,000 files of a 1000-study site deleted just before a build made
    its 15,000 new files cost 1.3-3 s more system time, which a fresh clone does not pay (benchmarks/README.md,
    seventh round). main() deletes everything once all sizes are measured."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1:8000/")
    if skip_generate:
        env["ATLAS_SKIP_GENERATE"] = "1"
    if serial:
        env["ATLAS_SERIAL_BUILD"] = "1"  # one language after the other (scripts/hooks/parallel.py off)
    aside = project.parent / "set-aside"
    aside.mkdir(exist_ok=True)
    for rel in ["site", *([f"docs/{d}" for d in GENERATED_DIRS] + [str(CACHE.parent)] if fresh else [])]:
        if (project / rel).exists():
            os.rename(project / rel, aside / str(len(os.listdir(aside))))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "mkdocs", "build", "--strict"],
                            cwd=project, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    peak_kb = int(result.stderr.strip().splitlines()[-1]) if result.stderr.strip() else max(before.ru_maxrss, 0)
    # CPU seconds of the build and everything it waited for (forked build, Pagefind): on a shared machine, whose
    # speed drifts by a third between runs, the work done is steadier than the wall time.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    site = project / "site"
    pages = sum(1 for _ in site.rglob("index.html"))
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    # Pagefind's bundle of each language: its index, filter and fragment files (each gzip-compressed by Pagefind).
    index = {lang: sum(p.stat().st_size for p in (site / bundle_folder(lang)).glob(f"*/{lang}_*")) for lang in ("en", "zh")}
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_mb": round(peak_kb / 1024), "pages": pages,
            "ms_per_page": round(1000 * wall / pages, 2), "site_mb": round(size / 2**20, 1),
            "search_index_kb": {k: round(v / 1024) for k, v in index.items()}}


def run(n: int, repeat: int = 1, scratch: Path | None = None) -> dict:
    """One data set of n studies: generation, then the full build from a fresh state `repeat` times (its wall time
    and ms/page are the median; every run is kept), then MkDocs alone, languages in parallel and in series. In a
    folder of its own under `scratch`, left for the caller to delete (a temporary folder, deleted at the end, if
    None)."""
    with (contextlib.nullcontext(tempfile.mkdtemp(prefix=f"{n}-", dir=scratch)) if scratch
          else tempfile.TemporaryDirectory(prefix="atlas-bench-")) as tmp:
        project = _project(Path(tmp), n)
        outcome = generate(project)  # from a fresh state, as the build hook runs it: load, validate, render, write
        if outcome.errors:
            raise RuntimeError(f"synthetic data invalid: {[str(e) for e in outcome.errors[:3]]}")
        start = time.perf_counter()
        noop = generate(project)
        noop_s = time.perf_counter() - start
        records = sum(len(list((project / "data" / kind).glob("*.yml"))) for kind in KINDS)
        load = os.getloadavg()[0]
        runs = []
        for _ in range(repeat):
            runs.append(_build(project, skip_generate=False, fresh=True))  # generation runs inside, from scratch
        full = dict(sorted(runs, key=lambda b: b["wall_s"])[len(runs) // 2])
        full.update(runs_wall_s=[b["wall_s"] for b in runs], runs_cpu_s=[b["cpu_s"] for b in runs],
                    load_average_before=round(load, 2), peak_rss_mb=max(b["peak_rss_mb"] for b in runs))
        bare = _build(project, skip_generate=True)  # the same pages, already generated: MkDocs alone
        serial = _build(project, skip_generate=True, serial=True)  # the same, languages one after the other
        t = outcome.seconds
        generation = sum(t.values())
        return {
            "studies": n, "records": records, "generated_files": len(outcome.written),
            "load_validate_s": round(t["load_validate"], 3), "render_s": round(t["render"], 3),
            "write_s": round(t["write"], 3), "generate_s": round(generation, 3),
            "ms_per_record_load_validate": round(1000 * t["load_validate"] / records, 3),
            "ms_per_record_render": round(1000 * t["render"] / records, 3),
            "ms_per_record_write": round(1000 * t["write"] / records, 3),
            "noop_regeneration_s": round(noop_s, 3), "noop_files_written": len(noop.written) + len(noop.removed),
            "build": full, "build_without_generation": bare, "build_without_generation_serial": serial,
            "generation_share_of_build": round(generation / full["wall_s"], 3),
        }


SERVE = ["-m", "mkdocs", "serve", "--dirty"]  # as `make serve` runs it


def free_port() -> int:
    """A port nothing on this machine listens on (other projects' servers may hold any fixed one)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def edit_loop(port: int | None = None, data: Path | None = None, study: str = "nct03280056") -> dict:
    """With the real data (or `data`) under `mkdocs serve --dirty`, as `make serve` runs it: seconds from saving a
    study's `sponsor:` to its page showing the change in both languages (the live-reload path a contributor waits
    on), against a full strict build of the same checkout measured in the same run; then from saving an invalid
    value to the problem panel on the page, and from the fix to the page without it."""
    import urllib.request

    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="atlas-serve-") as tmp:
        project = copy_sources(Path(tmp) / "project")
        shutil.copytree(data or ROOT / "data", project / "data")
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=f"http://127.0.0.1:{port}/")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=project, env=env, check=True,
                       capture_output=True)
        full_build = time.perf_counter() - start
        urls = [f"http://127.0.0.1:{port}/{lang}studies/{study}/" for lang in ("", "zh/")]
        server = subprocess.Popen([sys.executable, *SERVE, "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            def page(url: str) -> str:
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        return response.read().decode("utf-8")
                except OSError:
                    return ""

            def wait(what: str, test) -> float:
                since = time.perf_counter()
                while not all(test(page(url)) for url in urls):
                    if time.perf_counter() - since > 600:
                        raise RuntimeError(f"{what}: not seen after 600 s")
                    time.sleep(0.05)
                return round(time.perf_counter() - since, 2)

            first_build = wait("mkdocs serve did not come up", lambda html: "</html>" in html)
            # The first build's search index is written in the background after the site is served (as after every
            # rebuild); a contributor's first save comes later than that, so wait for it (the Chinese word list is
            # the index's last file).
            index = [f"http://127.0.0.1:{port}/{bundle_folder(lang)}{name}"
                     for lang, name in (("en", "pagefind-entry.json"), ("zh", "atlas-words.zh.json"))]
            since = time.perf_counter()
            while not all(page(url) for url in index) and time.perf_counter() - since < 600:
                time.sleep(0.1)
            record = project / "data" / "studies" / f"{study}.yml"
            original = record.read_text(encoding="utf-8")
            marker = f"benchmark-edit-{int(time.time())}"
            edited = original.replace("\nsponsor: ", f"\nsponsor: {marker} ", 1)
            record.write_text(edited, encoding="utf-8")
            edit = wait("the edit never appeared", lambda html: marker in html)
            record.write_text(edited.replace("\nenrolled: ", "\nenrolled: -", 1), encoding="utf-8")
            broken = wait("the problem panel never appeared", lambda html: 'id="atlas-problems"' in html)
            record.write_text(original, encoding="utf-8")
            fixed = wait("the fixed page never appeared",
                         lambda html: 'id="atlas-problems"' not in html and marker not in html and "</html>" in html)
            return {"full_build_s": round(full_build, 2), "serve_first_build_s": first_build,
                    "edit_to_reload_s": edit, "edit_over_full_build": round(edit / full_build, 3),
                    "invalid_to_panel_s": broken, "fix_to_page_s": fixed}
        finally:
            server.terminate()
            server.wait(timeout=30)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
READER_PAGES = ["", "studies/", "studies/nct03280056/", "zh/", "zh/studies/", "zh/studies/nct03280056/"]
QUERIES = {"en": ["mesenchymal", "intrathecal", "NurOwn", "umbilical cord"], "zh": ["间充质", "鞘内注射", "干细胞", "脐带"]}


def reader(site: Path, port: int = 8150, repeats: int = 5, pages: list[str] = READER_PAGES,
           queries: dict[str, list[str]] = QUERIES, browser=None) -> dict:
    """What readers get from a built site served like GitHub Pages (gzip): per page, the bytes transferred at load
    by type and whether any search file was among them; per language, the bytes the first query fetches (search
    start-up included), and the time from the last keystroke to drawn results (median and worst over `repeats` runs
    of each query, after the first; scripts/search_benchmark.py measures relevance)."""
    from playwright.sync_api import sync_playwright  # a test dependency: imported only when measuring readers

    server = static_server.server(site, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    out: dict = {"pages": {}, "search": {}}
    try:
        if browser is None:
            with sync_playwright() as p:
                launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                _measure(launched, url, out, repeats, pages, queries)
                launched.close()
        else:
            _measure(browser, url, out, repeats, pages, queries)
    finally:
        server.shutdown()
    return out


def _measure(browser, url: str, out: dict, repeats: int, pages: list[str], queries: dict[str, list[str]]) -> None:
    for rel in pages:
        page = browser.new_page()
        responses = []
        page.on("requestfinished", lambda r: responses.append(r))
        page.goto(url + rel, wait_until="networkidle")
        page.wait_for_timeout(500)
        weights: dict[str, int] = {}
        for r in responses:
            kind = r.resource_type if r.resource_type in ("document", "stylesheet", "script") else "other"
            weights[kind] = weights.get(kind, 0) + r.sizes()["responseBodySize"]
        out["pages"]["/" + rel] = {
            "transferred_kb": round(sum(weights.values()) / 1024, 1),
            "by_type_kb": {k: round(v / 1024, 1) for k, v in sorted(weights.items())},
            "search_index_loaded": any("/pagefind/" in r.url for r in responses)}
        page.close()
    for lang in ("en", "zh"):
        reader = Reader(browser, url, lang, "pagefind")
        first = reader.query(queries[lang][0])
        times = {}
        for q in queries[lang]:
            runs = [reader.query(x)["ms"] for x in [q] * repeats]
            times[q] = {"median_ms": round(statistics.median(runs), 1), "max_ms": round(max(runs), 1)}
        out["search"][lang] = {"index_kb_compressed": round(first["bytes"] / 1024), "query_ms": times}
        reader.close()


def reader_on_real_data(port: int = 8150) -> dict:
    """Build the real data's site in a temporary copy (addresses for `port`) and measure it with reader()."""
    with tempfile.TemporaryDirectory(prefix="atlas-reader-") as tmp:
        project = copy_sources(Path(tmp) / "project")
        shutil.copytree(ROOT / "data", project / "data")
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=f"http://127.0.0.1:{port}/")
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=project, env=env, check=True,
                       capture_output=True)
        return reader(project / "site", port)


def table(results: list[dict]) -> str:
    rows = ["| studies | records | load+validate ms/rec | render ms/rec | write ms/rec | build s (runs) | CPU s | pages | "
            "ms/page | peak RSS MB | build w/o generation s | same, languages in series s | generation share | "
            "no-op regen s (files) | site MB | search index KB en/zh |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        b = r["build"]
        rows.append(f"| {r['studies']} | {r['records']} | {r['ms_per_record_load_validate']} | "
                    f"{r['ms_per_record_render']} | {r['ms_per_record_write']} | {b['wall_s']} "
                    f"({', '.join(map(str, b['runs_wall_s']))}) | {b['cpu_s']} | {b['pages']} | "
                    f"{b['ms_per_page']} | "
                    f"{b['peak_rss_mb']} | {r['build_without_generation']['wall_s']} | "
                    f"{r['build_without_generation_serial']['wall_s']} | "
                    f"{100 * r['generation_share_of_build']:.1f}% | {r['noop_regeneration_s']} "
                    f"({r['noop_files_written']}) | {b['site_mb']} | {b['search_index_kb']['en']}/"
                    f"{b['search_index_kb']['zh']} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, nargs="+", default=[100], help="sizes to run (default 100)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--repeat", type=int, default=1, help="full builds per size; the median is reported")
    parser.add_argument("--edit-loop", action="store_true", help="also time save-to-reload under mkdocs serve")
    parser.add_argument("--reader", action="store_true",
                        help="also measure page weight and search speed in chromium (real data; needs the test deps)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as scratch:  # deleted once all sizes are measured
        results = [run(n, args.repeat, Path(scratch)) for n in args.studies]
    print(table(results))
    loop = edit_loop() if args.edit_loop else None
    if loop:
        print(f"edit loop (real data): full build {loop['full_build_s']} s, first serve build "
              f"{loop['serve_first_build_s']} s, save to reloaded page {loop['edit_to_reload_s']} s "
              f"({loop['edit_over_full_build']} of the full build), invalid save to problem panel "
              f"{loop['invalid_to_panel_s']} s, fix to page {loop['fix_to_page_s']} s")
    reading = reader_on_real_data() if args.reader else None
    if reading:
        print(json.dumps(reading, ensure_ascii=False, indent=1))
    if args.json:
        meta = {"date": dt.date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()}", "results": results, "edit_loop": loop, "reader": reading}
        args.json.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
