"""MkDocs hook: build the two languages at the same time on two cores (`mkdocs build` only).

static-i18n builds the Chinese site inside the English build, after it (its on_post_build). Here a forked copy of
the process builds Chinese from the start, into a folder of its own (.site.zh beside the site being built), while
this process builds English; when static-i18n reaches its Chinese build, it gets the forked build's result instead:
the zh/ folder moved into the site, its search entries, its 404 page (for scripts/hooks/i18n.py) and its sitemap
entries appended to the English ones — the same site, byte for byte, as the serial build (tests/test_build.py).
A failure or a strict warning in the Chinese build fails the whole build, as before.

Reads and writes: the site being built (config.site_dir, already a staging folder: scripts/hooks/generate.py).
Not under `mkdocs serve` (threads: forking is unsafe there, and --dirty rebuilds are small), not on one core, and
not with ATLAS_SERIAL_BUILD=1.
"""

from __future__ import annotations

import gc
import gzip
import os
import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path; make the `scripts` package importable
    sys.path.insert(0, str(ROOT))

from scripts import forked, guard  # noqa: E402

_run: dict = {"command": None}


def on_startup(command, dirty):
    _run["command"] = command


@guard.hook
@event_priority(90)  # after the generate hook (100) has generated and redirected docs_dir and site_dir
def on_config(config):
    import mkdocs.commands.build as mkdocs_build
    import mkdocs_static_i18n.plugin as i18n_module

    i18n = config.plugins.get("i18n")
    if (_run["command"] != "build" or i18n is None or i18n.building or os.environ.get("ATLAS_SERIAL_BUILD") == "1"
            or not forked.safe_to_fork()):
        return config
    others = [lang for lang in i18n.build_languages if lang != i18n.default_language]
    if not others:
        return config
    site = Path(config.site_dir)
    side = site.with_name(f".{site.name.lstrip('.')}.{'-'.join(others)}")
    shutil.rmtree(side, ignore_errors=True)
    _run.update(side=side, received=False)

    def build_others() -> dict:
        # What static-i18n does for each other language, from the start, into our own folder.
        from mkdocs import utils

        config.site_dir = str(side)
        i18n.building = True
        utils.clean_directory = lambda path: path
        for lang in others:
            i18n.current_language = lang
            mkdocs_build.build(config)
        return {"search_entries": list(i18n.search_entries), "not_found": dict(_not_found_pages(config))}

    # What exists now (the generated site's facts, MkDocs' configuration and theme) lives to the end of the build:
    # frozen, the collector of neither process walks it again, and the child's collector does not write into the
    # pages it shares with this process (Python's advice for a fork without exec). 0.9-1.3 s less at 5000 studies.
    gc.collect()
    gc.freeze()
    result = forked.start(build_others)
    serial_build = i18n_module.build

    def receive(config, dirty=False):
        """Stands in for static-i18n's build of each other language: the forked build has done them all."""
        if _run.get("received"):
            return
        _run["received"] = True
        i18n_module.build = serial_build
        try:
            done = result()
        except RuntimeError as exc:  # the forked build's traceback ends with the reason, e.g. the strict warnings
            reason = [line for line in str(exc).splitlines() if line.strip()][-1]
            raise PluginError(f"the {', '.join(others)} build failed (see above): {reason}") from None
        target = Path(config.site_dir)
        for lang in others:
            shutil.rmtree(target / lang, ignore_errors=True)
            os.rename(side / lang, target / lang)
        i18n.search_entries.extend(done["search_entries"])
        _not_found_pages(config).update(done["not_found"])
        _merge_sitemap(target / "sitemap.xml", side / "sitemap.xml")
        shutil.rmtree(side, ignore_errors=True)

    i18n_module.build = receive
    return config


def on_build_error(error):
    side = _run.get("side")
    if side:
        shutil.rmtree(side, ignore_errors=True)


def _not_found_pages(config) -> dict:
    """The 404 pages per language that scripts/hooks/i18n.py collects and writes at the end of the build."""
    for module in config.hooks.values():
        if hasattr(module, "_not_found"):
            return module._not_found
    return {}


def _merge_sitemap(ours: Path, theirs: Path) -> None:
    """Our sitemap lists our language's pages (with their alternates), theirs the other language's: one list of
    both, in the serial build's order, and its .gz again with the same header time."""
    if not (ours.is_file() and theirs.is_file()):
        return
    mine, other = ours.read_text(encoding="utf-8"), theirs.read_text(encoding="utf-8")
    start = other.index(">", other.index("<urlset")) + 1
    merged = mine[:mine.rindex("</urlset>")] + other[start:other.rindex("</urlset>")].lstrip("\n") + "</urlset>" + \
        mine[mine.rindex("</urlset>") + len("</urlset>"):]
    ours.write_text(merged, encoding="utf-8")
    packed = ours.with_name(ours.name + ".gz")
    if packed.is_file():
        mtime = int.from_bytes(packed.read_bytes()[4:8], "little")
        with open(packed, "wb") as handle, gzip.GzipFile(fileobj=handle, filename=str(packed), mode="wb",
                                                         mtime=mtime) as out:
            out.write(merged.encode("utf-8"))
