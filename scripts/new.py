"""Create a new record skeleton from the schema: every field present, each explained in a comment (English and
Chinese), placeholders marked TODO. The skeleton matches the schema's structure; the validator rejects it until
every TODO is replaced and the translations are stamped.

With a ClinicalTrials.gov record (`--from FILE.json`, the API v2 JSON, or `--fetch` to download it), the fields the
registry states are filled in from it (scripts/ctgov.py) and marked as coming from the registry; the rest stay TODO.

Reads: schema/<kind>.schema.json; with --from a JSON file, with --fetch https://clinicaltrials.gov/api/v2/studies/<NCT>.
Writes: data/<kind>/<id>.yml (never overwrites).
Usage: python -m scripts.new study NCT01234567      (a registry ID gives the file name nct01234567.yml)
       python -m scripts.new study NCT01234567 --from NCT01234567.json   (or --fetch)
       python -m scripts.new study smith-2024-keyword
       python -m scripts.new preclinical jones-2020-sod1-mice
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from . import ctgov, guard, schema
from .records import ID_RE, registry_slug
from .registry_watch import FetchError, http_fetcher

ROOT = Path(__file__).resolve().parent.parent
KIND_NAMES = {"study": "studies", "cell-type": "cell-types", "route": "routes", "reference": "references",
              "glossary-term": "glossary", "preclinical": "preclinical", "article": "articles"}
TODO = "TODO"
REGISTRY = re.compile(schema.load_schema("common.schema.json")["$defs"]["registry_id"]["pattern"])


def _resolve(node: dict, file: str) -> tuple[dict, str]:
    while "$ref" in node:
        target, file = schema._resolve(node["$ref"], file)
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node, file


def _placeholder(node: dict, file: str, today: str, registry_id: str | None, name: str) -> object:
    node, file = _resolve(node, file)
    if "enum" in node:
        values = node["enum"]
        return "not-reported" if "not-reported" in values else values[0]
    kind = node.get("type")
    if kind == "object" and set(node.get("properties", {})) >= {"en", "zh"}:
        return {"en": f"{TODO} English", "zh": f"{TODO} 中文"}
    if kind == "object":
        return {key: _placeholder(sub, file, today, registry_id, key)
                for key, sub in node.get("properties", {}).items() if key in node.get("required", [])}
    if kind == "array":
        if name == "registry_ids":
            return [registry_id] if registry_id else []
        count = node.get("minItems", 0)
        return [_placeholder(node["items"], file, today, registry_id, name) for _ in range(count)]
    if kind == "integer":
        return node.get("minimum", 0)
    if kind == "boolean":
        return False
    fmt = node.get("format")
    if fmt in ("date", "partial-date"):
        return today
    if "http" in node.get("pattern", ""):
        return f"https://example.org/{TODO}"
    if node.get("pattern", "").startswith("^[a-z0-9]"):
        return "todo"  # an id: must match the id pattern; the `# TODO` mark flags it
    return TODO


def skeleton(kind: str, registry_id: str | None, today: str, known: dict | None = None,
             notes: tuple[str, ...] = ()) -> str:
    """The text of a new record of `kind` (schema file stem), every property with its explanation. `known`: values
    taken from a registry record (printed as they are, not marked TODO); `notes`: what the import could not map."""
    known = known or {}
    file = f"{kind}.schema.json"
    spec = schema.load_schema(file)
    required = spec.get("required", [])
    out = [f"# yaml-language-server: $schema=../../schema/{file}",
           f"# New {spec['title'].lower()}: replace every value marked TODO with one from a source (and remove the mark),",
           "# delete the optional fields you have no source for, then run: python -m scripts.validate FILE",
           "# and, once both languages say the same thing: python -m scripts.translations stamp FILE",
           "# 新记录：请用有来源支持的内容替换所有标有 TODO 的值（并删除该标记），删除没有来源的可选字段，",
           "# 然后运行 python -m scripts.validate FILE；中英文内容一致后，再运行 python -m scripts.translations stamp FILE。", ""]
    if known:
        out += ["# Values without a TODO mark were copied from the ClinicalTrials.gov record: check them against it.",
                "# 未标 TODO 的值取自 ClinicalTrials.gov 记录，请与原记录核对。"]
        out += [f"# Import note: {note}" for note in notes] + [""]
    for name, prop in spec["properties"].items():
        if name == "changes":
            continue
        status = "required" if name in required else "optional"
        out.append(f"# {name} ({status}): {prop.get('description', '')}")
        if prop.get("x-description-zh"):
            out.append(f"# {prop['x-description-zh']}")
        resolved, _ = _resolve(prop, file)
        if "enum" in resolved:
            out.append(f"#   one of: {', '.join(map(str, resolved['enum']))}")
        if name in known:
            out.extend(_as_yaml(name, known[name]))
        else:
            out.extend(_mark(_as_yaml(name, _placeholder(prop, file, today, registry_id, name))))
        out.append("")
    return "\n".join(out)


def _mark(lines: list[str]) -> list[str]:
    """Flag every placeholder that the schema would accept (enum defaults, dates, numbers) with `# TODO`, so the
    validator keeps reporting it until a person has checked it; text placeholders already say TODO."""
    marked = []
    for line in lines:
        is_value = not line.rstrip().endswith(":") and "TODO" not in line and not line.rstrip().endswith("[]")
        keeps_id = "registry_ids" in line or line.strip().startswith('- "NCT')
        marked.append(f"{line}  # TODO" if is_value and not keeps_id and "$schema" not in line else line)
    return marked


def _as_yaml(name: str, value: object, indent: int = 0) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        lines = [f"{pad}{name}:"]
        for key, item in value.items():
            lines.extend(_as_yaml(key, item, indent + 2))
        return lines
    if isinstance(value, list):
        if not value:
            return [f"{pad}{name}: []"]
        lines = [f"{pad}{name}:"]
        for item in value:
            if isinstance(item, dict):
                sub = []
                for key, inner in item.items():
                    sub.extend(_as_yaml(key, inner, indent + 4))
                sub[0] = f"{pad}  - " + sub[0].lstrip()
                lines.extend(sub)
            else:
                lines.append(f"{pad}  - {json.dumps(item, ensure_ascii=False)}")
        return lines
    return [f"{pad}{name}: {json.dumps(value, ensure_ascii=False)}"]


@guard.command
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.new", description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(KIND_NAMES))
    parser.add_argument("id", help="a registry ID (NCT01234567) or a record id (smith-2024-keyword)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--from", dest="from_file", type=Path, metavar="FILE.json",
                        help="pre-fill a study from this ClinicalTrials.gov API v2 record")
    source.add_argument("--fetch", action="store_true", help="pre-fill a study from its live ClinicalTrials.gov record")
    args = parser.parse_args(argv)
    registry_id = args.id if REGISTRY.fullmatch(args.id) else None
    rec_id = registry_slug(registry_id) if registry_id else args.id
    if not ID_RE.fullmatch(rec_id):
        print(f"'{args.id}' is neither a registry ID nor a valid id (lower-case letters, digits, hyphens)",
              file=sys.stderr)
        return 1
    target = ROOT / "data" / KIND_NAMES[args.kind] / f"{rec_id}.yml"
    if target.exists():
        print(f"{target.relative_to(ROOT)} already exists; edit it instead", file=sys.stderr)
        return 1
    known, notes = {}, []
    if args.from_file or args.fetch:
        if args.kind != "study" or not (registry_id or "").startswith("NCT"):
            print("--from and --fetch pre-fill a study from ClinicalTrials.gov: give `study NCT…`", file=sys.stderr)
            return 1
        try:
            record = (json.loads(args.from_file.read_text(encoding="utf-8")) if args.from_file
                      else http_fetcher()(registry_id))
            known, notes = ctgov.prefill(record)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, FetchError, ValueError) as exc:
            print(f"could not read the registry record for {registry_id}: {exc}", file=sys.stderr)
            return 1
        if known["registry_ids"][0] != registry_id:
            print(f"the registry record is {known['registry_ids'][0]}, not {registry_id}", file=sys.stderr)
            return 1
    target.write_text(skeleton(args.kind, registry_id, dt.date.today().isoformat(), known, tuple(notes)),
                      encoding="utf-8")
    print(f"created {target.relative_to(ROOT)}: fill in every TODO, then run "
          f"`python -m scripts.validate {target.relative_to(ROOT)}`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
