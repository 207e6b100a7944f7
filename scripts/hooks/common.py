"""What the MkDocs hooks share (not itself a hook): the language being built, and the glossary terms.

Reads: data/glossary/*.yml (read once per build, however many hooks ask). Writes: nothing.
"""

from __future__ import annotations

from pathlib import Path

from scripts import yamlio

DEFAULT = "en"


def language(config) -> str:
    """The language static-i18n is building now (each language is a separate build of the same config)."""
    i18n = config.plugins.get("i18n")
    return i18n.current_language if i18n is not None else DEFAULT


_terms: dict[tuple, list[dict]] = {}


def glossary_terms(config) -> list[dict]:
    """The glossary records that parse (invalid ones are reported by the generate hook, which aborts the build)."""
    folder = Path(config.config_file_path).parent / "data" / "glossary"
    paths = sorted(folder.glob("*.yml"))
    key = tuple((p.name, p.stat().st_mtime_ns) for p in paths)
    if key not in _terms:
        terms = []
        for path in paths:
            try:
                data = yamlio.read(path).data
                if isinstance(data.get("term"), dict) and isinstance(data["term"].get("zh"), str):
                    terms.append(data)
            except (yamlio.YamlError, AttributeError):
                continue
        _terms.clear()
        _terms[key] = terms
    return _terms[key]
