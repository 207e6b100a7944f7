"""The registry drift watch, offline: recorded API responses (shaped like ClinicalTrials.gov API v2), errors, rate
limits and records gone from the registry."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import urllib.error
from pathlib import Path

import pytest

from conftest import copy_project, fixture_data
from scripts import registry_watch as rw

RESPONSES = Path(__file__).parent / "fixtures" / "ctgov"


def test_drift_in_status_enrolment_update_and_results_is_reported(data_dir):
    drifts, failures = rw.watch(data_dir, rw.recorded_fetcher(RESPONSES))
    assert failures == []
    assert [(d.study, d.nct) for d in drifts] == [("nct00000001", "NCT00000001")]
    assert drifts[0].changes == [("status", "completed", "terminated"), ("enrolled", "48", "52"),
                                 ("last update", "2024-03-01", "2025-02-03"),
                                 ("results", "publication", "results posted on the registry")]
    text = rw.report(drifts, failures)
    assert "| `data/studies/nct00000001.yml` | [NCT00000001](https://clinicaltrials.gov/study/NCT00000001) | status | completed | terminated |" in text


def test_nothing_to_report_gives_an_empty_report(data_dir, tmp_path):
    (tmp_path / "NCT00000001.json").write_text(json.dumps({"protocolSection": {
        "statusModule": {"overallStatus": "COMPLETED", "lastUpdatePostDateStruct": {"date": "2024-03-01"}},
        "designModule": {"enrollmentInfo": {"count": 48}}}, "hasResults": False}))
    assert rw.report(*rw.watch(data_dir, rw.recorded_fetcher(tmp_path))) == ""


@pytest.mark.parametrize("status, reason", [("404", "not found in the registry"), ("503", "HTTP 503")])
def test_withdrawn_and_failing_records_are_listed_not_fatal(data_dir, tmp_path, status, reason):
    (tmp_path / "NCT00000001.status").write_text(status)
    drifts, failures = rw.watch(data_dir, rw.recorded_fetcher(tmp_path))
    assert drifts == [] and failures[0][:2] == ("nct00000001", "NCT00000001") and reason in failures[0][2]
    assert "Could not be checked" in rw.report(drifts, failures)


class _Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _http_error(code, retry_after=None):
    headers = {"Retry-After": retry_after} if retry_after else {}
    return urllib.error.HTTPError("https://clinicaltrials.gov/api/v2/studies/NCT00000001", code, "x", headers, None)


def test_rate_limit_is_retried_after_the_servers_delay(monkeypatch):
    answers = [_http_error(429, "7"), _http_error(503), _Response(b'{"protocolSection": {}}')]
    requests = []

    def urlopen(request, timeout):
        requests.append(request.full_url)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(rw.urllib.request, "urlopen", urlopen)
    waits = []
    assert rw.http_fetcher(sleep=waits.append)("NCT00000001") == {"protocolSection": {}}
    assert waits == [7.0, 4.0]
    assert requests == ["https://clinicaltrials.gov/api/v2/studies/NCT00000001"] * 3


def test_retries_are_bounded(monkeypatch):
    monkeypatch.setattr(rw.urllib.request, "urlopen", lambda request, timeout: (_ for _ in ()).throw(_http_error(429)))
    waits = []
    with pytest.raises(rw.FetchError, match="HTTP 429"):
        rw.http_fetcher(sleep=waits.append, attempts=3)("NCT00000001")
    assert len(waits) == 2 and all(w <= 60 for w in waits)


def test_not_found_is_not_retried(monkeypatch):
    calls = []
    monkeypatch.setattr(rw.urllib.request, "urlopen",
                        lambda request, timeout: calls.append(1) or (_ for _ in ()).throw(_http_error(404)))
    with pytest.raises(rw.FetchError, match="not found"):
        rw.http_fetcher(sleep=lambda s: None)("NCT00000001")
    assert calls == [1]


def test_command_writes_the_report(tmp_path):
    project = copy_project(tmp_path / "p", fixture_data(tmp_path))
    result = subprocess.run([sys.executable, "-m", "scripts.registry_watch", "--responses", str(RESPONSES),
                             "--output", str(tmp_path / "report.md")], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "1 drifted, 0 not checked" in result.stderr
    assert "NCT00000001" in (tmp_path / "report.md").read_text()
