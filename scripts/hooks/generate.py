"""MkDocs hook: regenerate docs/ from data/ before every build, so `mkdocs build` and `mkdocs serve` always show
current data. Thin glue around scripts.generate, which knows nothing of MkDocs.

Reads: data/ (through scripts.generate). Writes: the generated sections of docs/, only files whose content changed
(rewriting unchanged files would make `mkdocs serve` rebuild forever). Invalid data aborts the build with every
error listed and nothing written. Under `mkdocs serve`, the generated sections are not watched (see on_serve).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path; make the `scripts` package importable
    sys.path.insert(0, str(ROOT))

from scripts import guard  # noqa: E402
from scripts.generate import generate  # noqa: E402


@guard.hook
def on_pre_build(config, **kwargs) -> None:
    # static-i18n runs the whole build once per language; generating once, in the first (outer) build, is enough.
    # ATLAS_SKIP_GENERATE=1 builds docs/ as it stands: the benchmark uses it to measure the engine alone.
    i18n = config.plugins.get("i18n")
    if (i18n is not None and i18n.building) or os.environ.get("ATLAS_SKIP_GENERATE") == "1":
        return
    settings = {"site_url": config.site_url or "", "repository": config.extra.get("repository", "")}
    outcome = generate(Path(config.config_file_path).parent, settings={k: v for k, v in settings.items() if v} or None)
    if outcome.errors:
        listing = "\n".join(str(e) for e in outcome.errors)
        raise PluginError(f"{len(outcome.errors)} problem(s) in data/; nothing was generated:\n{listing}")


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
    return server
