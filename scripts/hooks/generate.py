"""MkDocs hook: regenerate docs/ from data/ before every build, so `mkdocs build` and `mkdocs serve` always show
current data, and make both all-or-nothing. Thin glue around scripts.generate, which knows nothing of MkDocs.

Reads: data/ (through scripts.generate). Writes: the generated sections of docs/ and site/, as follows.
- `mkdocs build`: the changed pages are staged (.cache/atlas-stage/docs, a complete docs/ tree, unchanged files
  hard-linked), MkDocs builds from there into a sibling of site/ (.site.new), and only when the whole strict build
  has succeeded (on_shutdown, after MkDocs' own strict check) are the changed pages moved into docs/ and the new
  site swapped for site/. A failed build leaves docs/ and site/ byte for byte as they were. Invalid data aborts
  the build with every error listed.
- `mkdocs serve`: changed pages are written into docs/ at once, only those (unchanged files keep their times, so
  `--dirty` rebuilds only the changed record's pages and the pages that list it). Outdated translations are
  published as pending, with the notice, and reported as warnings. Invalid data, or any other failed rebuild,
  never stalls the server: the last good site stays served and every page shows a panel listing the problems as
  `file:line: field: problem (fix: …)` in the page's language, until the next good save.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import sys
from pathlib import Path

import markdown
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path; make the `scripts` package importable
    sys.path.insert(0, str(ROOT))

from scripts import guard, markdown_subset  # noqa: E402
from scripts.generate import commit, discard, generate, read_cache  # noqa: E402
from scripts.hooks import common  # noqa: E402


class KeepLastSite(MkDocsException):
    """Raised under `mkdocs serve` to stop a rebuild from invalid data; the guarded builder keeps the last site.
    An MkDocsException, so that guard.hook lets it through as the expected outcome it is."""


# The current run (a `mkdocs build`, or a whole `mkdocs serve` session with its rebuilds).
_run = {"command": None, "dirty": False, "server": None, "problems": [], "root": None, "outcome": None,
        "site": None, "new_site": None, "failed": False, "built": False}
_BODY = re.compile(rb"<body\b[^>]*>")
_LANG = re.compile(rb'<html[^>]*\blang="([a-zA-Z-]+)"')
# Used only when data/strings/ has never been valid during this session (the panel must show all the same).
_FALLBACK = {"serve.errors_title": "{count} problem(s) in data/: this preview shows the last valid version",
             "serve.errors_fix": "Fix them and save: the page reloads by itself."}


class _DirtyNotice(logging.Filter):
    """MkDocs warns on every `--dirty` build; under `mkdocs serve --dirty` that is the point, and the warning would
    abort each strict rebuild."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


@guard.hook
def on_startup(command, dirty):
    _run.update(command=command, dirty=dirty)
    if command == "serve" and dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())


def _outer(config) -> bool:
    # static-i18n runs the whole build once more per language inside the first (outer) one; generate once.
    i18n = config.plugins.get("i18n")
    return i18n is None or not i18n.building


@guard.hook
@event_priority(100)  # before the other hooks' on_config, which use what generation tells them (common.py)
def on_config(config):
    if not _outer(config):
        return config
    config = _generate(config)
    _markdown_objects(config)
    return config


def _markdown_objects(config) -> None:
    """Each Markdown extension as an object, built once from its name and settings (which _generate may have
    redirected to the staged docs/). Why: given names, MkDocs' new Markdown for each page builds every extension
    anew, importing and configuring it (0.13 ms a page); given objects, it only registers them. What an extension
    of the site's keeps between calls (toc and snippets keep the Markdown they were last registered on) is set again
    by each page's registration, so one object serves page after page, as the Subset object always has."""
    md = markdown.Markdown()
    config.markdown_extensions = [
        ext if not isinstance(ext, str) else md.build_extension(ext, config.mdx_configs.get(ext, {}))
        for ext in config.markdown_extensions]


def _generate(config):
    """Generate docs/ from data/ and point the build at the result (staged under `mkdocs build`)."""
    # The Markdown the pages are written in (an extension object: mkdocs.yml names extensions before the hooks make
    # scripts/ importable).
    config.markdown_extensions.append(markdown_subset.Subset())
    # ATLAS_SKIP_GENERATE=1 builds docs/ as it stands: the benchmark uses it to measure the engine alone.
    if os.environ.get("ATLAS_SKIP_GENERATE") == "1":
        common.set_facts(read_cache(Path(config.config_file_path).parent).get("facts", {}))
        return config
    serving = _run["command"] == "serve"
    staging = _run["command"] in ("build", "gh-deploy")
    settings = {"site_url": config.site_url or "", "repository": config.extra.get("repository", "")}
    root = Path(config.config_file_path).parent
    outcome = generate(root, settings={k: v for k, v in settings.items() if v} or None,
                       outdated_as_pending=serving, staged=staging)
    common.set_facts(outcome.facts)
    for warning in outcome.warnings:
        print(f"warning (an error in `mkdocs build`): {warning}", file=sys.stderr)
    if outcome.errors:
        listing = "\n".join(str(e) for e in outcome.errors)
        if not serving:
            raise PluginError(f"{len(outcome.errors)} problem(s) in data/; nothing was generated:\n{listing}")
        _run["problems"] = [str(e) for e in outcome.errors]
        print(f"{len(outcome.errors)} problem(s) in data/; the preview keeps the last valid pages:\n{listing}",
              file=sys.stderr)
        if _run["server"] is not None:  # a rebuild: keep the site as it is (the first build goes on with docs/)
            raise KeepLastSite("problems in data/: the last valid site stays served")
        return config
    _run["problems"] = []
    if serving and _run["dirty"] and _run["server"] is not None:
        # A preview rebuild: the 404 pages and the sitemap, rendered by the first build, do not show the edit and
        # cost as much as a dozen pages each (the whole navigation, every page's alternates).
        config.theme.static_templates.difference_update({"404.html", "sitemap.xml", "sitemap.xml.gz"})
    if staging:
        _run.update(outcome=outcome, root=root)
        if outcome.stage is not None:
            _build_from(config, outcome.stage)
        site = Path(config.site_dir)
        new_site = site.with_name(f".{site.name}.new")
        shutil.rmtree(new_site, ignore_errors=True)
        _run.update(site=site, new_site=new_site)
        config.site_dir = str(new_site)
    return config


def _build_from(config, stage: Path) -> None:
    """Point MkDocs at the staged docs/ tree: docs_dir, and the snippet folders inside docs/ (generated fragments
    that hand-written pages include)."""
    docs = Path(config.docs_dir).resolve()
    config.docs_dir = str(stage)
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    paths = snippets.get("base_path")
    if paths:
        root = Path(config.config_file_path).parent
        moved = []
        for path in [paths] if isinstance(paths, str) else paths:
            full = (root / path).resolve()
            moved.append(str(stage / full.relative_to(docs)) if full.is_relative_to(docs) else path)
        snippets["base_path"] = moved


@guard.hook
@event_priority(-1000)  # after every other post_build (the i18n hook's and static-i18n's)
def on_post_build(config):
    if _outer(config):
        _run["built"] = True


@guard.hook
def on_build_error(error):
    _run["failed"] = True


@guard.hook
def on_shutdown():
    """After MkDocs' strict check: keep the new pages and site only if the whole build succeeded."""
    outcome, site, new_site = _run["outcome"], _run["site"], _run["new_site"]
    if new_site is None:
        return
    if _run["failed"] or not _run["built"]:
        shutil.rmtree(new_site, ignore_errors=True)
        discard(_run["root"], outcome)
        return
    commit(_run["root"], outcome)
    old = site.with_name(f".{site.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        os.rename(site, old)
    os.rename(new_site, site)
    shutil.rmtree(old, ignore_errors=True)


@guard.hook
def on_serve(server, config, builder):
    # This hook writes the generated sections of docs/ during each build. If the server watched them, every edit
    # of data/ would build the site twice (once for the data, once for the pages just written); polling thousands
    # of generated files also costs time. Watch the hand-written parts of docs/ instead (data/, schema/ and the
    # templates are watched through `watch:` in mkdocs.yml).
    docs = Path(config.docs_dir)
    server.unwatch(str(docs))
    for lang in ("en", "zh"):
        server.watch(str(docs / lang), recursive=False)
    for folder in ("assets", "overrides"):
        if (docs / folder).is_dir():
            server.watch(str(docs / folder))
    _run["server"] = server
    server.builder = _guarded(server.builder)
    inject = server._inject_js_into_html  # adds MkDocs' live-reload script to every HTML page it serves
    server._inject_js_into_html = lambda content, epoch: _with_panel(inject(content, epoch))
    return server


def _guarded(builder):
    """MkDocs' serve loop stalls every request after a failed rebuild ("The server will appear stuck until build
    errors are resolved"). A rebuild that fails here returns normally instead: browsers reload, and get the last
    site with the problems on every page."""
    def build():
        seen = _Messages()
        logging.getLogger("mkdocs").addHandler(seen)
        try:
            builder()
        except KeepLastSite:
            pass
        except Exception as exc:  # noqa: BLE001 - any failure is shown in the page instead of stalling the server
            _run["problems"] = seen.messages + [str(exc) or type(exc).__name__]
            print(f"the rebuild failed; the preview shows why on every page: {exc}", file=sys.stderr)
        finally:
            logging.getLogger("mkdocs").removeHandler(seen)
    return build


class _Messages(logging.Handler):
    """The warnings and errors MkDocs logs during one rebuild (why a strict rebuild failed)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _with_panel(content: bytes) -> bytes:
    problems = _run["problems"]
    body = _BODY.search(content)
    if not problems or body is None:
        return content
    lang = (m.group(1).decode() if (m := _LANG.search(content)) else common.DEFAULT)

    def text(key: str) -> str:
        return common.string(lang, key) or common.string(common.DEFAULT, key) or _FALLBACK[key]

    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    panel = (f'<div id="atlas-problems" role="alert" lang="{lang}" style="background:#8b0000;color:#fff;'
             'padding:.8rem 1.2rem;font:0.8rem/1.5 system-ui,sans-serif;max-height:45vh;overflow:auto">'
             f'<strong>{html.escape(text("serve.errors_title").replace("{count}", str(len(problems))))}</strong>'
             f'<ul style="margin:.4rem 0;padding-left:1.2rem">{items}</ul>'
             f'<span>{html.escape(text("serve.errors_fix"))}</span></div>')
    return content[:body.end()] + panel.encode() + content[body.end():]
