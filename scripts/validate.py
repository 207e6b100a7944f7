"""Check every record in data/ and print each problem with file, line, field and fix.

Reads: data/, schema/. Writes: nothing.
Usage: python -m scripts.validate [FILE ...] [--changed]
With files, or --changed (the files under data/ that differ from git's HEAD, including new ones), only problems in
those files are reported; all data is still loaded, because references between records are checked against the
whole set. Exit 0 when clean, 1 if not.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from . import guard
from .records import load_site

ROOT = Path(__file__).resolve().parent.parent


def changed_files(data: Path) -> list[str]:
    """Data files that differ from HEAD or are new (untracked, not ignored)."""
    top = data.parent
    git = lambda *args: subprocess.run(["git", *args], cwd=top, capture_output=True, text=True).stdout.split("\n")
    names = git("diff", "--name-only", "HEAD", "--", "data") + git("ls-files", "--others", "--exclude-standard", "data")
    return sorted({str(top / n) for n in names if n.strip() and (top / n).is_file()})


@guard.command
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.validate", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="only report problems in these files")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data folder (default: data/)")
    parser.add_argument("--changed", action="store_true", help="only the data files changed since git's HEAD")
    args = parser.parse_args(argv)
    if args.changed:
        args.files = args.files + changed_files(args.data.resolve())
        if not args.files:
            print("no changed data files")
            return 0

    site, errors = load_site(args.data.resolve())
    if args.files:
        wanted = {Path(f).resolve().relative_to(args.data.resolve().parent).as_posix() for f in args.files}
        errors = [e for e in errors if e.file in wanted]
    for error in errors:
        print(error, file=sys.stderr)
    counts = ", ".join(f"{len(v)} {k}" for k, v in site.records.items())
    if errors:
        files = len({e.file for e in errors})
        print(f"{len(errors)} problem(s) in {files} file(s); valid records: {counts}", file=sys.stderr)
        return 1
    print(f"data OK: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
