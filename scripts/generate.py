"""Generate the Markdown pages of docs/en and docs/zh from data/.

Reads: data/, schema/, scripts/templates/. Writes: the generated folders of docs/ (render.GENERATED_DIRS),
and nothing at all when any record is invalid. Writes a file only when its content changed (so `mkdocs serve` does
not rebuild in a loop) and removes generated files that no record produces any more.
Usage: python -m scripts.generate [--check]   (--check: write nothing, exit 1 if docs/ is not up to date)
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import forked, guard
from .records import DEFAULT_SETTINGS, Error, load_site
from .render import GENERATED_DIRS, render_pages

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Outcome:
    errors: list[Error] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # load_validate, render, write (for the benchmark)


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


CACHE = Path(".cache") / "atlas-generate.json"
PARALLEL_FROM = 300  # records


def fingerprint(root: Path, settings: dict[str, str], today: dt.date) -> str:
    """A digest of everything generation depends on: the names, sizes and times of the input files, the settings
    and the date (freshness flags depend on it). Equal digests mean equal output."""
    digest = hashlib.sha256(json.dumps([settings, today.isoformat()], sort_keys=True).encode())
    for folder, pattern in (("data", "**/*.yml"), ("schema", "*.json"), ("scripts", "**/*.py"),
                            ("scripts/templates", "*.j2")):
        for path in sorted((root / folder).glob(pattern)):
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _unchanged(root: Path, key: str) -> int | None:
    """The number of generated files, if the last run had the same inputs and its output is still in place."""
    try:
        cache = json.loads((root / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    docs = root / "docs"
    if cache.get("fingerprint") != key or generated_files(docs) != set(cache["files"]):
        return None
    if any((docs / rel).stat().st_size != size for rel, size in cache["files"].items()):
        return None
    return len(cache["files"])


def generate(root: Path = ROOT, check: bool = False, today: dt.date | None = None,
             settings: dict[str, str] | None = None) -> Outcome:
    """Validate data, render, and bring docs/ up to date (or only compare, with check=True). When no input changed
    since the last run and its output is intact, nothing is read, rendered or written."""
    today = today or dt.date.today()
    settings = {**settings_from_env(), **(settings or {})}
    if not settings["site_url"].endswith("/"):
        settings["site_url"] += "/"
    key = fingerprint(root, settings, today)
    if not check and (count := _unchanged(root, key)) is not None:
        return Outcome(unchanged=count)
    started = time.perf_counter()
    site, errors = load_site(root / "data", today)
    if errors:
        return Outcome(errors=errors)
    site.settings = settings
    loaded = time.perf_counter()
    # Two languages, two cores: worth a fork once the data set is large (a fork costs a few milliseconds).
    records = sum(map(len, site.records.values()))
    pages = render_pages(site, parallel=records >= PARALLEL_FROM and forked.safe_to_fork())
    rendered = time.perf_counter()
    docs = root / "docs"
    outcome = Outcome(seconds={"load_validate": loaded - started, "render": rendered - loaded})
    present = generated_files(docs)  # one directory walk instead of a stat per page
    folders: set[Path] = set()
    sizes: dict[str, int] = {}
    for rel, text in pages.items():
        target = docs / rel
        data = text.encode("utf-8")
        sizes[rel] = len(data)
        if rel in present and target.read_bytes() == data:
            outcome.unchanged += 1
            continue
        outcome.written.append(rel)
        if not check:
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.write_bytes(data)
    for rel in sorted(present - set(pages)):
        outcome.removed.append(rel)
        if not check:
            (docs / rel).unlink()
    if not check:
        (root / CACHE).parent.mkdir(exist_ok=True)
        (root / CACHE).write_text(json.dumps({"fingerprint": key, "files": sizes}), encoding="utf-8")
    outcome.seconds["write"] = time.perf_counter() - rendered
    return outcome


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
