"""Shared fixtures: temporary copies of the project (so tests never touch the checkout's docs/ or site/), built once
per session for the slow tests, and a tiny static server for the browser tests."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
TODAY = dt.date(2026, 11, 27)
sys.path.insert(0, str(ROOT))

from scripts.benchmark import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from scripts.generate import copy_sources  # noqa: E402


def copy_project(target: Path, data: Path | None = None) -> Path:
    """A copy of the project's sources (not its generated pages or site) in `target`, with `data` as data/.
    With fixture data, the hand-written pages are the fixtures' too (the real ones link to real records)."""
    copy_sources(target)
    if data is not None:
        for lang in ("en", "zh"):
            for page in (target / "docs" / lang).glob("*.md"):
                page.unlink()
            shutil.copytree(ROOT / "tests" / "fixtures" / "docs" / lang, target / "docs" / lang, dirs_exist_ok=True)
    if data is None:
        shutil.copytree(ROOT / "data", target / "data")
    else:
        shutil.copytree(data, target / "data")
        shutil.copytree(ROOT / "data" / "strings", target / "data" / "strings", dirs_exist_ok=True)
    return target


def fixture_data(tmp: Path) -> Path:
    """A writable copy of tests/fixtures/data plus the real interface strings."""
    data = tmp / "data"
    shutil.copytree(FIXTURE_DATA, data)
    shutil.copytree(ROOT / "data" / "strings", data / "strings")
    return data


def mkdocs_build(project: Path, site_url: str = "http://127.0.0.1:8000/") -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=site_url)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return fixture_data(tmp_path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> dict:
    """The fixture data built with MkDocs, served on a local port: {'project', 'site', 'url', 'log'}."""
    return _built(tmp_path_factory.mktemp("fixture-project"), FIXTURE_DATA)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> dict:
    """The project's real data built with MkDocs, served on a local port."""
    return _built(tmp_path_factory.mktemp("real-project"), None)


def _built(tmp: Path, data: Path | None) -> dict:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    project = copy_project(tmp / "project", data)
    result = mkdocs_build(project, url)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return {"project": project, "site": site, "url": url, "log": result.stderr, "server": server}


def snapshot(project: Path) -> dict[str, bytes]:
    """Every file of a project's built site and docs, to show that a failed build changed nothing."""
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for folder in ("site", "docs") for p in (project / folder).rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (Playwright's own browser download does not work here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, fixture_site):
    """A fresh page on the fixture site that records, and at the end forbids, requests outside the site's origin,
    failed responses (a 404 of any file the page asks for) and errors in the console."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((fixture_site["url"], "data:", "blob:")) else outside.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: failed.append(f"console: {m.text}") if m.type == "error" else None)
    page.outside = outside
    page.failed = failed
    yield page
    context.close()
    assert outside == [], f"requests outside the site: {outside}"
    assert failed == [], f"failed requests or console errors: {failed}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
