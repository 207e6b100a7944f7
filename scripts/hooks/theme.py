"""MkDocs hook: what the theme overrides (docs/overrides/) need from Python.

Reads and writes nothing: gives the templates `atlas_nav`, a fresh dictionary for every build of every language,
in which docs/overrides/main.html keeps the rendered navigation by the folder of the page. Material renders the
whole navigation into every page (a twentieth of the build at 1000 studies); on a page the navigation does not
list (every record page), it is the same for every page of one folder: no item is active, and its links, relative
to the page, are the same. So it is rendered once per folder instead of once per page. ATLAS_SHORTCUTS=0 keeps
nothing (every page renders its own), which tests/test_build.py compares with, byte for byte.
"""

from __future__ import annotations

import os


class _KeepNothing(dict):
    def setdefault(self, key, default=None):
        return default


def on_env(env, config, files):
    env.globals["atlas_nav"] = _KeepNothing() if os.environ.get("ATLAS_SHORTCUTS") == "0" else {}
    return env
