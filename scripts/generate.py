"""Generate the Markdown pages of docs/en and docs/zh from data/.

Reads: data/, schema/, scripts/ (code and templates). Writes: the generated folders of docs/ (render.GENERATED_DIRS)
and .cache/ (the generation cache and a staging folder), and nothing in docs/ when any record is invalid.
All or nothing: changed pages are first written to a staging folder (.cache/atlas-stage/), and only moved into
docs/ once every page has been rendered and written (and, for `mkdocs build`, once the strict build of the staged
pages has succeeded: see scripts/hooks/generate.py). Only files whose content changed are moved in, so unchanged
files keep their modification time (`mkdocs serve --dirty` rebuilds only what changed, and does not loop), and
generated files that no record produces any more are removed.
Usage: python -m scripts.generate [--check]   (--check: write nothing, exit 1 if docs/ is not up to date)
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import forked, guard
from .records import DEFAULT_SETTINGS, LANGS, Error, Site, load_site
from .render import GENERATED_DIRS, render_pages

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(".cache") / "atlas-generate.json"
STAGE = Path(".cache") / "atlas-stage"
# The interface strings the MkDocs hooks print (the serve error panel, the search box and its dialog's name), in
# both languages: these keys, and every key starting with a listed prefix.
HOOK_STRINGS = ("a11y.search_dialog", "serve.errors_title", "serve.errors_fix")
HOOK_STRING_PREFIXES = ("searchbox.",)


@dataclass
class Outcome:
    errors: list[Error] = field(default_factory=list)
    warnings: list[Error] = field(default_factory=list)  # outdated translations published as pending (serve)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    # For the benchmark: load_validate; render (with writing the changed pages to the staging folder); write (the
    # rest: linking docs/ into the staging folder, or moving the pages into docs/).
    seconds: dict[str, float] = field(default_factory=dict)
    # What the MkDocs hooks need from the data, taken from validated records only (see hook_facts).
    facts: dict = field(default_factory=dict)
    # Set when pages were staged and not yet moved into docs/ (commit(), or discard()).
    stage: Path | None = None
    cache: dict = field(default_factory=dict, repr=False)


def generated_files(docs: Path) -> set[str]:
    """Files currently present in the generated sections, relative to docs/."""
    found = set()
    for rel in GENERATED_DIRS:
        for folder, _, names in os.walk(docs / rel):  # scandir-based: no stat per file
            prefix = Path(folder).relative_to(docs).as_posix()
            found.update(f"{prefix}/{name}" for name in names)
    return found


def copy_sources(target: Path, root: Path = ROOT) -> Path:
    """A copy of the project's sources in `target` (config, scripts, schema, hand-written docs; no generated pages,
    no data, no site): where tests and the benchmark build sites without touching the checkout."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "scripts", "schema"):
        src = root / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / name)
    generated = set(GENERATED_DIRS)
    shutil.copytree(root / "docs", target / "docs", ignore=lambda folder, names: [
        n for n in names if Path(folder, n).relative_to(root / "docs").as_posix() in generated])
    return target


def settings_from_env() -> dict[str, str]:
    """Publication settings for a run outside MkDocs: SITE_URL and REPO_URL, as the MkDocs config reads them."""
    return {"site_url": os.environ.get("SITE_URL") or DEFAULT_SETTINGS["site_url"],
            "repository": os.environ.get("REPO_URL") or DEFAULT_SETTINGS["repository"]}


def read_regular(path: Path) -> bytes | None:
    """The bytes of a regular file, or None for anything else (a FIFO, a device, a directory, a symlink) — checked on
    the opened file, so a FIFO named like a record never blocks the read and a file swapped in between is seen."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        return handle.read()


def _digest_tree(digest, root: Path, folder: Path) -> None:
    """Add every entry under `folder` to the digest: regular files by content, anything else by its kind (and a
    symlink by its target), so a backup file, a directory or a FIFO named like a record changes the key too."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        rel = Path(entry.path).relative_to(root).as_posix()
        if entry.name == "__pycache__":  # written by Python itself, and not an input
            continue
        if entry.is_dir(follow_symlinks=False):
            digest.update(f"D {rel}\n".encode())
            _digest_tree(digest, root, Path(entry.path))
            continue
        data = read_regular(Path(entry.path))
        if data is not None:
            digest.update(f"F {rel} {len(data)}\n".encode())
            digest.update(hashlib.sha256(data).digest())
        elif entry.is_symlink():
            digest.update(f"L {rel} {os.readlink(entry.path)}\n".encode())
        else:
            digest.update(f"O {rel} {entry.stat(follow_symlinks=False).st_mode}\n".encode())


def fingerprint(root: Path, settings: dict[str, str], today: dt.date, outdated_as_pending: bool = False) -> str:
    """A digest of everything generation depends on: the content of every file under data/, schema/ and scripts/
    (code and templates; not modification times, which an edit can keep), the settings, the date (freshness flags
    depend on it) and the mode. Equal digests mean equal output."""
    digest = hashlib.sha256(json.dumps([settings, today.isoformat(), outdated_as_pending], sort_keys=True).encode())
    for folder in ("data", "schema", "scripts"):
        _digest_tree(digest, root, root / folder)
    return digest.hexdigest()


def hook_facts(site: Site) -> dict:
    """What the MkDocs hooks use from the data, from validated records only, so that a hook never reads data/ itself
    (a broken, blocking or half-written file there is the generator's to report): the glossary terms (abbreviation
    marking, the other names a page is also found under in search) and the interface strings the hooks print."""
    terms = [{"term": dict(term["term"]), "abbreviation": term.get("abbreviation"),
              "zh_alternatives": list(term.get("zh_alternatives", [])),
              "en_alternatives": list(term.get("en_alternatives", []))} for term in site.kind("glossary")]
    strings = {lang: {k: v for k, v in site.strings.get(lang, {}).items()
                      if k in HOOK_STRINGS or k.startswith(HOOK_STRING_PREFIXES)} for lang in LANGS}
    return {"glossary": terms, "strings": strings}


def read_cache(root: Path) -> dict:
    data = read_regular(root / CACHE)
    try:
        cache = json.loads(data) if data else {}
    except ValueError:
        return {}
    return cache if isinstance(cache, dict) else {}


def _unchanged(root: Path, cache: dict, key: str) -> int | None:
    """The number of generated files, if the last run had the same inputs and its output is still in place."""
    docs = root / "docs"
    if cache.get("fingerprint") != key or not isinstance(cache.get("files"), dict) \
            or generated_files(docs) != set(cache["files"]):
        return None
    try:
        if any((docs / rel).stat().st_size != size for rel, size in cache["files"].items()):
            return None
    except OSError:
        return None
    return len(cache["files"])


def generate(root: Path = ROOT, check: bool = False, today: dt.date | None = None,
             settings: dict[str, str] | None = None, outdated_as_pending: bool = False,
             staged: bool = False) -> Outcome:
    """Validate data, render, and bring docs/ up to date (or only compare, with check=True). When no input changed
    since the last run and its output is intact, nothing is read, rendered or written.
    staged=True leaves the changed pages in the staging folder (outcome.stage, a complete docs/ tree: unchanged files
    hard-linked from docs/) for the caller to build from, then commit() or discard(); docs/ is untouched until then.
    outdated_as_pending: see records.load_site (the preview under `mkdocs serve`)."""
    today = today or dt.date.today()
    settings = {**settings_from_env(), **(settings or {})}
    if not settings["site_url"].endswith("/"):
        settings["site_url"] += "/"
    key = fingerprint(root, settings, today, outdated_as_pending)
    cache = read_cache(root)
    if not check and (count := _unchanged(root, cache, key)) is not None:
        return Outcome(unchanged=count, facts=cache.get("facts", {}))
    started = time.perf_counter()
    site, errors = load_site(root / "data", today, outdated_as_pending=outdated_as_pending)
    if errors:
        # The hooks keep what they knew from the last valid data (the site shown is the last valid one too).
        return Outcome(errors=errors, warnings=site.warnings, facts=cache.get("facts", {}))
    site.settings = settings
    loaded = time.perf_counter()
    docs = root / "docs"
    present = generated_files(docs)  # one directory walk instead of a stat per page
    stage = root / STAGE / "docs"
    if not check:
        shutil.rmtree(stage.parent, ignore_errors=True)
    folders: set[Path] = set()

    def keep(rel: str, text: str) -> tuple[int, bool]:
        """(size, changed) of a page, written into the staging folder if it changed; runs in the process that
        rendered the page, so the two languages' pages are written at the same time."""
        data = text.encode("utf-8")
        if rel in present and (docs / rel).stat().st_size == len(data) and (docs / rel).read_bytes() == data:
            return len(data), False
        if not check:
            target = stage / rel
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.write_bytes(data)
        return len(data), True

    # Two languages, two cores: worth a fork once the data set is large (a fork costs a few milliseconds).
    records = sum(map(len, site.records.values()))
    try:
        pages = render_pages(site, parallel=records >= forked.WORTH_IT and forked.safe_to_fork(), keep=keep)
    except BaseException:  # a page that failed to render: no half-written staging folder stays behind
        if not check:
            shutil.rmtree(stage.parent, ignore_errors=True)
        raise
    rendered = time.perf_counter()
    outcome = Outcome(warnings=site.warnings, facts=hook_facts(site),
                      seconds={"load_validate": loaded - started, "render": rendered - loaded})
    outcome.written = [rel for rel, (_, changed) in pages.items() if changed]
    outcome.unchanged = len(pages) - len(outcome.written)
    outcome.removed = sorted(present - set(pages))
    outcome.cache = {"fingerprint": key, "files": {rel: size for rel, (size, _) in pages.items()},
                     "facts": outcome.facts}
    if not check:
        if outcome.written or outcome.removed:
            outcome.stage = stage
            if staged:
                _link_rest(docs, stage, set(outcome.written) | set(outcome.removed))
        else:
            shutil.rmtree(stage.parent, ignore_errors=True)
        if not staged:
            commit(root, outcome)
    outcome.seconds["write"] = time.perf_counter() - rendered
    return outcome


def _link_rest(docs: Path, stage: Path, skip: set[str]) -> None:
    """Hard-link every file of docs/ but those in `skip` into the staging folder (no copy, same content and times),
    which then is a complete docs/ to build from."""
    for folder, _, names in os.walk(docs):
        rel_folder = Path(folder).relative_to(docs)
        (stage / rel_folder).mkdir(exist_ok=True)
        for name in names:
            rel = (rel_folder / name).as_posix()
            if rel not in skip:
                os.link(Path(folder, name), stage / rel, follow_symlinks=False)


def commit(root: Path, outcome: Outcome) -> None:
    """Move the staged pages into docs/ (each with one rename: a reader sees the old file or the new one, never half
    of one), remove the stale ones, record the cache, and drop the staging folder."""
    docs = root / "docs"
    if outcome.stage is not None:
        folders: set[Path] = set()
        for rel in outcome.written:
            target = docs / rel
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            os.replace(outcome.stage / rel, target)
        for rel in outcome.removed:
            (docs / rel).unlink(missing_ok=True)
    if not outcome.cache:  # nothing was generated (the inputs had not changed)
        return
    (root / CACHE).parent.mkdir(exist_ok=True)
    tmp = (root / CACHE).with_suffix(".tmp")
    tmp.write_text(json.dumps(outcome.cache), encoding="utf-8")
    os.replace(tmp, root / CACHE)
    discard(root, outcome)


def discard(root: Path, outcome: Outcome) -> None:
    """Drop the staged pages: docs/ stays as it was."""
    shutil.rmtree(root / STAGE, ignore_errors=True)
    outcome.stage = None


@guard.command
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if docs/ is out of date")
    args = parser.parse_args(argv)
    outcome = generate(check=args.check)
    for error in outcome.errors:
        print(error, file=sys.stderr)
    if outcome.errors:
        print(f"{len(outcome.errors)} problem(s); nothing was written. Fix them and run again.", file=sys.stderr)
        return 1
    verb = "would write" if args.check else "wrote"
    print(f"{verb} {len(outcome.written)}, {'would remove' if args.check else 'removed'} {len(outcome.removed)}, "
          f"unchanged {outcome.unchanged}")
    if args.check and (outcome.written or outcome.removed):
        for rel in outcome.written + outcome.removed:
            print(f"  out of date: docs/{rel}", file=sys.stderr)
        print("Run `python -m scripts.generate` to update.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
