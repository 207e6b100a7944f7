"""The checkout itself: hand-written pages come in en/zh pairs with the same anchors; generated folders are ignored
by git; every interface string and enum value used by the templates exists."""

from __future__ import annotations

import re
import subprocess

from conftest import ROOT
from scripts import schema
from scripts.render import GENERATED_DIRS, GENERATED_SECTIONS

DOCS = ROOT / "docs"
ANCHOR = re.compile(r"^#+ .*\{ #([a-z0-9-]+) \}\s*$", re.M)
HEADING = re.compile(r"^#+ ", re.M)


def hand_written(lang):
    generated = tuple(f"{s}/" for s in GENERATED_SECTIONS)
    return {p.relative_to(DOCS / lang).as_posix() for p in (DOCS / lang).rglob("*.md")
            if not p.relative_to(DOCS / lang).as_posix().startswith(generated)}


def test_hand_written_pages_are_paired():
    assert hand_written("en") == hand_written("zh")
    assert {"index.md", "about.md"} <= hand_written("en")


def test_every_heading_has_an_explicit_anchor_matching_its_pair():
    for rel in hand_written("en"):
        en, zh = ((DOCS / lang / rel).read_text(encoding="utf-8") for lang in ("en", "zh"))
        for text in (en, zh):
            assert len(HEADING.findall(text)) == len(ANCHOR.findall(text)), f"{rel}: a heading lacks {{ #anchor }}"
        assert ANCHOR.findall(en) == ANCHOR.findall(zh), rel


def test_generated_sections_are_git_ignored():
    paths = [f"docs/{d}/x.md" for d in GENERATED_DIRS]
    result = subprocess.run(["git", "check-ignore", *paths], cwd=ROOT, capture_output=True, text=True)
    assert sorted(result.stdout.split()) == sorted(paths)


def test_every_enum_value_has_an_interface_string():
    strings = (ROOT / "data" / "strings" / "en.yml").read_text(encoding="utf-8")
    keys = set(re.findall(r"^([a-z0-9_.-]+[A-Za-z0-9-]*):", strings, re.M))
    study = schema.load_schema("study.schema.json")["properties"]
    wanted = {f"phase.{v}" for v in study["phase"]["enum"]} | {f"status.{v}" for v in study["status"]["enum"]}
    wanted |= {f"category.{v}" for v in study["category"]["enum"]} | {f"record_type.{v}" for v in study["record_type"]["enum"]}
    wanted |= {f"country.{v}" for v in study["countries"]["items"]["enum"]}
    wanted |= {f"origin.{v}" for v in study["cell_origin"]["enum"]}
    wanted |= {f"results.{v}" for v in study["results"]["items"]["enum"]}
    for name in ("allocation", "masking", "comparator"):
        wanted |= {f"{name}.{v}" for v in study["design"]["properties"][name]["enum"]}
    from scripts.evidence import LABELS
    wanted |= {f"label.{v}" for v in LABELS}
    assert wanted - keys == set()


def test_nav_sections_are_translated():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = re.findall(r"^  - ([A-Za-z ]+): ", config.split("nav:")[1].split("not_in_nav")[0], re.M)
    translations = config.split("nav_translations:")[1]
    assert nav and all(f"            {title}: " in translations for title in nav)


def test_locks_match_the_pins():
    """requirements*.lock (hash-locked, what make installs) carry exactly the versions pinned in requirements*.txt."""
    for name in ("requirements", "requirements-test"):
        pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s#]+)", (ROOT / f"{name}.txt").read_text(), re.M))
        if name == "requirements-test":
            pins |= dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s#]+)", (ROOT / "requirements.txt").read_text(), re.M))
        lock = (ROOT / f"{name}.lock").read_text()
        locked = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\", lock, re.M))
        norm = lambda n: n.lower().replace("_", "-")
        locked = {norm(k): v for k, v in locked.items()}
        for pkg, version in pins.items():
            assert locked.get(norm(pkg)) == version, f"{name}.lock: {pkg} is not {version}; run `make lock`"
        assert lock.count("--hash=sha256:") >= len(locked)
