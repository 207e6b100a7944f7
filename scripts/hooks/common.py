"""What the MkDocs hooks share (not itself a hook): the language being built, and what the generator tells the
hooks about the data.

Reads: nothing. The generate hook stores here what scripts.generate derived from validated records (`set_facts`):
the glossary terms and the interface strings the hooks print. No hook reads data/ itself: a broken file there, a
FIFO or a dangling symlink named like a record, is the generator's to report, with the same message as the
validator; a hook that read it would crash or block first. Imported as a normal module (MkDocs reloads nothing
here between `mkdocs serve` rebuilds), so this is also where the serve state lives across rebuilds.
"""

from __future__ import annotations

DEFAULT = "en"

_facts: dict = {"glossary": [], "strings": {}}


def language(config) -> str:
    """The language static-i18n is building now (each language is a separate build of the same config)."""
    i18n = config.plugins.get("i18n")
    return i18n.current_language if i18n is not None else DEFAULT


def set_facts(facts: dict) -> None:
    if facts:
        _facts.update(facts)


def glossary_terms(config=None) -> list[dict]:
    """The glossary terms of the last valid data: {'term': {'en', 'zh', …}, 'abbreviation', 'zh_alternatives'}."""
    return _facts.get("glossary", [])


def strings(lang: str) -> dict[str, str]:
    """The interface strings of the last valid data/strings/<lang>.yml that the hooks print
    (scripts.generate.HOOK_STRINGS and HOOK_STRING_PREFIXES)."""
    return _facts.get("strings", {}).get(lang, {})


def string(lang: str, key: str) -> str | None:
    """One of those interface strings, or None."""
    return strings(lang).get(key)
