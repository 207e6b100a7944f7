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


def _usable(data) -> bool:
    """True when the fields the hooks read have the types they expect. The hooks run before the generate hook
    validates data/ (MkDocs calls on_config first), so a term whose fields are null or of the wrong type is left out
    here rather than stopping the build with a traceback before validation can report it."""
    if not isinstance(data, dict) or not isinstance(data.get("term"), dict):
        return False
    term, alternatives = data["term"], data.get("zh_alternatives", [])
    return (all(isinstance(term.get(lang), str) for lang in ("en", "zh"))
            and isinstance(data.get("abbreviation", ""), str)
            and isinstance(alternatives, list) and all(isinstance(a, str) for a in alternatives))


def glossary_terms(config) -> list[dict]:
    """The glossary records the hooks can use (invalid ones are reported by the generate hook, which aborts the
    build)."""
    folder = Path(config.config_file_path).parent / "data" / "glossary"
    paths = sorted(folder.glob("*.yml"))
    key = tuple((p.name, p.stat().st_mtime_ns) for p in paths)
    if key not in _terms:
        terms = []
        for path in paths:
            try:
                data = yamlio.read(path).data
            except (yamlio.YamlError, OSError):
                continue
            if _usable(data):
                terms.append(data)
        _terms.clear()
        _terms[key] = terms
    return _terms[key]
