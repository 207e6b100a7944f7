"""Machine-readable downloads of the data: every kind as JSON and as CSV (both languages' prose included), the JSON
Schema, and the data licence. Pure: `export_files(site)` returns {path under docs/: text}; the paths live under
downloads/, which the site publishes at /downloads/ (stable URLs, one file per kind).

Reads: the Site, and the schema files (published as they are). Writes: nothing.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from . import evidence, schema
from .records import Site, is_text

LICENCE = """The data in these files is published by the ALS Stem Cell Evidence Atlas contributors under the
Creative Commons Attribution 4.0 International licence (CC BY 4.0): https://creativecommons.org/licenses/by/4.0/
You may share and adapt it for any purpose, provided you give credit ("ALS Stem Cell Evidence Atlas contributors"),
link to the licence and say if you changed it. Facts come from the sources listed in each record; cite them too.
"""


def derived(site: Site, kind: str, data: dict) -> dict:
    """Fields computed from a record rather than typed into it (studies only)."""
    if kind != "studies":
        return {}
    return {"evidence_label": evidence.evidence_label(data),
            "results_overdue": evidence.results_overdue(data, site.today)}


def _flatten(value: Any, prefix: str, out: dict) -> None:
    if is_text(value):
        out[f"{prefix}_en"], out[f"{prefix}_zh"] = value["en"], value["zh"]
    elif isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}_{key}" if prefix else key, out)
    elif isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        out[prefix] = "; ".join(str(v) for v in value)
    elif isinstance(value, list):  # lists of objects (regulatory milestones, sections) stay JSON in one cell
        out[prefix] = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif isinstance(value, bool):
        out[prefix] = "true" if value else "false"
    else:
        out[prefix] = "" if value is None else str(value)


def _csv(rows: list[dict]) -> str:
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def export_files(site: Site) -> dict[str, str]:
    files: dict[str, str] = {}
    for kind, schema_name in schema.KINDS.items():
        records = []
        rows = []
        for rec in site.kind(kind):
            item = {"id": rec.id, **rec.data, **derived(site, kind, rec.data)}
            records.append(item)
            row: dict = {}
            _flatten(item, "", row)
            rows.append(row)
        document = {"kind": kind, "schema": f"schema/{schema_name}", "licence": "CC-BY-4.0",
                    "count": len(records), "records": records}
        files[f"downloads/{kind}.json"] = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
        files[f"downloads/{kind}.csv"] = _csv(rows)
    for name in sorted(p.name for p in schema.SCHEMA_DIR.glob("*.schema.json")):
        files[f"downloads/schema/{name}"] = (schema.SCHEMA_DIR / name).read_text(encoding="utf-8")
    files["downloads/LICENSE.txt"] = LICENCE
    return files
