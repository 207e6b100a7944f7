"""Read one YAML record file safely, keeping the line number of every field.

Reads: a file's bytes. Writes: nothing. Uses PyYAML's C parser (CSafeLoader, about 6x faster) when available.
Rejects what PyYAML silently accepts or what a record never needs: duplicate keys, anchors and aliases (which also
stops "billion laughs" bombs), a byte-order mark, bytes that are not UTF-8, an empty file, an oversized file, and a
top level that is not a mapping. Timestamps stay strings so that the schema checks their exact form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 256 * 1024  # the longest real record is a few KB; anything this big is a mistake or an attack

Path_ = tuple  # a field path such as ("design", "allocation") or ("sources", 2)


class YamlError(Exception):
    """A file that cannot be read as a record; `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None, fix: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.fix = fix


@dataclass
class Document:
    """A parsed record: plain Python data plus the line where each field path starts."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    text: str = ""
    # Where each value sits in the text: (start line, start column, end line, end column, flow style), 0-based;
    # used by tools that edit a record in place without disturbing its comments and layout.
    spans: dict[Path_, tuple[int, int, int, int, bool]] = field(default_factory=dict)
    key_columns: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that exists."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def parse(raw: bytes) -> Document:
    """Parse a record file's bytes into a Document, or raise YamlError."""
    if len(raw) > MAX_BYTES:
        raise YamlError(f"file is {len(raw)} bytes, more than the {MAX_BYTES} allowed", fix="split or shorten it")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise YamlError("file starts with a byte-order mark (BOM)", 1, "save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(f"not valid UTF-8 (byte {exc.start})", line, "save the file as UTF-8") from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlError("file is empty", 1, "add the record's fields, or delete the file")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        bad_line = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
        fix = "indent with spaces, never tabs" if "\t" in bad_line else "fix the YAML syntax (indentation, colons, quotes)"
        raise YamlError(f"YAML syntax error: {problem}", line, fix) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}", None, "fix the YAML syntax") from None
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode):
        raise YamlError("the top level must be a mapping of field: value", node.start_mark.line + 1 if node else 1,
                        "start each field at the beginning of a line as `name: value`")
    doc = Document(None, text=text)
    doc.data = _convert(node, (), doc, set())
    return doc


def _convert(node: yaml.Node, path: Path_, doc: Document, seen: set[int]) -> Any:
    start, end = node.start_mark, node.end_mark
    doc.lines.setdefault(path, start.line + 1)
    doc.spans[path] = (start.line, start.column, end.line, end.column, bool(getattr(node, "flow_style", False)))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise YamlError(f"unsupported YAML tag {node.tag}", start.line + 1, "remove the tag")
    # An alias is the same node object met twice; refusing it also defuses "billion laughs" bombs.
    if id(node) in seen:
        raise YamlError("YAML anchors and aliases (&name, *name) are not allowed", start.line + 1,
                        "write the value out in full")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError("YAML merge keys (<<) are not allowed", key_node.start_mark.line + 1,
                                "write the fields out in full")
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise YamlError("every key must be a plain name", key_node.start_mark.line + 1,
                                "write keys as plain words, e.g. `title:`")
            if key in out:
                raise YamlError(f"duplicate key '{key}' (first at line {doc.lines[path + (key,)]})",
                                key_node.start_mark.line + 1, "keep one of them; YAML would silently drop the first")
            here = path + (key,)
            doc.lines[here] = key_node.start_mark.line + 1
            doc.key_columns[here] = key_node.start_mark.column
            out[key] = _convert(value_node, here, doc, seen)
        return out
    return [_convert(item, path + (i,), doc, seen) for i, item in enumerate(node.value)]


_SCALARS = _Loader("")
_STR, _TIMESTAMP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"
_OTHER_SCALARS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                  "tag:yaml.org,2002:null"}


def _scalar(node: yaml.ScalarNode) -> Any:
    if node.tag == _STR or node.tag == _TIMESTAMP:
        # Strings are most values: their node value is the string (what PyYAML's constructor would return).
        # Timestamps stay as written; the schema checks their form.
        return node.value
    if node.tag not in _OTHER_SCALARS:
        raise YamlError(f"unsupported YAML tag {node.tag}", node.start_mark.line + 1, "remove the tag")
    return _SCALARS.construct_object(node, deep=True)


def read(path: Path) -> Document:
    """Read and parse one file."""
    return parse(path.read_bytes())
