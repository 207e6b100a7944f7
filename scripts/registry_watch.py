"""Registry drift watch: compare each study's snapshot in data/ with its live ClinicalTrials.gov record.

Reads: data/studies/ and, for each NCT ID, https://clinicaltrials.gov/api/v2/studies/<NCT> (or recorded responses
in a folder, for tests and offline runs). Writes: a Markdown report (stdout or --output) listing each study whose
status, enrolment, last update or posted results differ from the snapshot, with links to the live records, and the
records that could not be checked. A scheduled workflow (.github/workflows/registry-watch.yml) turns the report into
one GitHub issue. Requests are sequential, identified, retried at most 3 times, and honour Retry-After on 429.
Usage: python -m scripts.registry_watch [--output report.md] [--responses DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import guard
from .records import load_site

ROOT = Path(__file__).resolve().parent.parent
API = "https://clinicaltrials.gov/api/v2/studies/{nct}"
LIVE = "https://clinicaltrials.gov/study/{nct}"
USER_AGENT = "als-stem-cell-atlas-registry-watch (+https://github.com/als-atlas/als-stem-cell-atlas)"
STATUS = {
    "NOT_YET_RECRUITING": "not-yet-recruiting", "RECRUITING": "recruiting",
    "ENROLLING_BY_INVITATION": "enrolling-by-invitation", "ACTIVE_NOT_RECRUITING": "active-not-recruiting",
    "COMPLETED": "completed", "TERMINATED": "terminated", "SUSPENDED": "suspended", "WITHDRAWN": "withdrawn",
    "UNKNOWN": "unknown", "AVAILABLE": "available", "NO_LONGER_AVAILABLE": "no-longer-available",
    "TEMPORARILY_NOT_AVAILABLE": "no-longer-available", "APPROVED_FOR_MARKETING": "approved-for-marketing",
    "WITHHELD": "unknown",
}

Fetcher = Callable[[str], dict]


class FetchError(Exception):
    """A record that could not be read: not found (HTTP 404), or the registry failing or refusing after retries."""


@dataclass
class Drift:
    study: str  # record id
    nct: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, snapshot, registry)


def http_fetcher(sleep: Callable[[float], None] = time.sleep, attempts: int = 3, timeout: float = 30) -> Fetcher:
    """Fetch one study from the live API, retrying rate limits (429) and server errors with bounded waits."""
    def fetch(nct: str) -> dict:
        request = urllib.request.Request(API.format(nct=nct), headers={"User-Agent": USER_AGENT,
                                                                        "Accept": "application/json"})
        for attempt in range(1, attempts + 1):
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    raise FetchError("not found in the registry (withdrawn from public view or mistyped)") from None
                if exc.code not in (429, 500, 502, 503, 504) or attempt == attempts:
                    raise FetchError(f"registry answered HTTP {exc.code}") from None
                retry_after = exc.headers.get("Retry-After", "") if exc.headers else ""
                sleep(min(float(retry_after) if retry_after.isdigit() else 2.0 ** attempt, 60))
            except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
                if attempt == attempts:
                    raise FetchError(f"registry unreachable: {exc}") from None
                sleep(2.0 ** attempt)
        raise FetchError("no answer")  # not reached: the loop returns or raises
    return fetch


def recorded_fetcher(folder: Path) -> Fetcher:
    """Answers from recorded responses: <NCT>.json (the API's JSON), <NCT>.status (an HTTP status code only)."""
    def fetch(nct: str) -> dict:
        status = folder / f"{nct}.status"
        if status.is_file():
            code = status.read_text().strip()
            raise FetchError("not found in the registry (withdrawn from public view or mistyped)" if code == "404"
                             else f"registry answered HTTP {code}")
        path = folder / f"{nct}.json"
        if not path.is_file():
            raise FetchError("no recorded response")
        return json.loads(path.read_text(encoding="utf-8"))
    return fetch


def compare(study: dict, record: dict) -> list[tuple[str, str, str]]:
    """What differs between a study's snapshot and its registry record."""
    protocol = record.get("protocolSection", {})
    status_module = protocol.get("statusModule", {})
    changes = []
    live_status = STATUS.get(status_module.get("overallStatus", ""), status_module.get("overallStatus", "?"))
    if live_status != study["status"]:
        changes.append(("status", study["status"], live_status))
    count = protocol.get("designModule", {}).get("enrollmentInfo", {}).get("count")
    if count is not None and study.get("enrolled") is not None and count != study["enrolled"]:
        changes.append(("enrolled", str(study["enrolled"]), str(count)))
    updated = status_module.get("lastUpdatePostDateStruct", {}).get("date")
    if updated and updated > study["status_checked"]:
        changes.append(("last update", study["status_checked"], updated))
    if record.get("hasResults") and "registry" not in study["results"]:
        changes.append(("results", ", ".join(study["results"]) or "none", "results posted on the registry"))
    return changes


def watch(data: Path, fetch: Fetcher) -> tuple[list[Drift], list[tuple[str, str, str]]]:
    """(drifted studies, studies that could not be checked as (record id, NCT, reason))."""
    site, errors = load_site(data)
    if errors:
        raise ValueError(f"data/ has {len(errors)} problem(s); run python -m scripts.validate first")
    drifts, failures = [], []
    for study in site.kind("studies"):
        for nct in (rid for rid in study["registry_ids"] if rid.startswith("NCT")):
            try:
                changes = compare(study.data, fetch(nct))
            except FetchError as exc:
                failures.append((study.id, nct, str(exc)))
                continue
            if changes:
                drifts.append(Drift(study.id, nct, changes))
    return drifts, failures


def report(drifts: list[Drift], failures: list[tuple[str, str, str]]) -> str:
    """The issue body: empty when nothing drifted and everything could be checked."""
    if not drifts and not failures:
        return ""
    lines = ["Studies whose ClinicalTrials.gov record differs from the snapshot in `data/studies/`. Check each live",
             "record, update the YAML file (with `status_checked` and `last_reviewed`), and close this issue when the",
             "list is empty. This issue is updated by the registry-watch workflow.", ""]
    if drifts:
        lines += ["| Study | Registry | Field | Snapshot | Registry now |", "|---|---|---|---|---|"]
        for d in drifts:
            for name, old, new in d.changes:
                lines.append(f"| `data/studies/{d.study}.yml` | [{d.nct}]({LIVE.format(nct=d.nct)}) | {name} | {old} | {new} |")
        lines.append("")
    if failures:
        lines += ["Could not be checked:", ""]
        lines += [f"- `data/studies/{sid}.yml` [{nct}]({LIVE.format(nct=nct)}): {why}" for sid, nct, why in failures]
    return "\n".join(lines) + "\n"


@guard.command
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.registry_watch", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, help="write the report here (default: stdout)")
    parser.add_argument("--responses", type=Path, help="use recorded responses from this folder, not the live API")
    args = parser.parse_args(argv)
    fetch = recorded_fetcher(args.responses) if args.responses else http_fetcher()
    try:
        drifts, failures = watch(ROOT / "data", fetch)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    text = report(drifts, failures)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(f"{len(drifts)} drifted, {len(failures)} not checked", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
