"""The study flow of the systematic search (PRISMA 2020 style), counted from data/searches/, data/excluded/ and
data/studies/, and drawn as an SVG for the About page.

Reads: a loaded Site. Writes: nothing. Pure functions: `flow(site)` counts, `flow_svg(...)` draws; the page that
shows the figure also shows the same numbers as a table. Text is escaped here, since SVG is written as raw HTML.

How the counts relate (checked per query by records._check_searches): every result of a query is a duplicate of a
study an earlier query found, or is screened; a screened result is screened out at a glance (by reason), or is a
study assessed in full, which is then either included (a study record) or excluded (an excluded record, by reason).
Studies and excluded leads that no search log lists were found by other routes (citations, earlier curation).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html import escape

from .records import Site

SCREEN_REASONS = ("not-a-study", "not-als", "not-cell-based")
EXCLUDE_REASONS = ("not-als", "not-cell-based", "not-a-study", "duplicate", "not-found")


@dataclass
class Flow:
    sources: int = 0
    queries: int = 0
    identified: int = 0
    duplicates: int = 0
    screened_out: Counter = field(default_factory=Counter)
    excluded: Counter = field(default_factory=Counter)  # after assessment, by reason (excluded records)
    included: int = 0  # study records a search found
    other_included: int = 0  # study records no search lists
    other_excluded: Counter = field(default_factory=Counter)  # excluded records no search lists
    total: int = 0  # all study records
    registered: int = 0  # study records with a registry ID
    drug_discovery: int = 0  # drug trials (drug found with iPSCs): on the site, kept out of cell-therapy counts
    last_search: str | None = None

    @property
    def screened(self) -> int:
        return self.identified - self.duplicates

    @property
    def assessed(self) -> int:
        return self.included + sum(self.excluded.values())

    @property
    def cell_based(self) -> int:
        return self.total - self.drug_discovery


def flow(site: Site) -> Flow:
    """Counts for every box of the flow diagram."""
    out = Flow()
    logs = site.kind("searches")
    found_studies: set[str] = set()
    found_excluded: set[str] = set()
    out.sources = len({log["source"] for log in logs})
    for log in logs:
        for query in log["queries"]:
            out.queries += 1
            out.identified += query["found"]
            out.duplicates += query["duplicates"]
            out.screened_out.update(query["excluded"])
            found_studies.update(query["included"])
            found_excluded.update(query["assessed_excluded"])
    out.last_search = max((log["date"] for log in logs), default=None)
    excluded = site.records["excluded"]
    out.excluded.update(excluded[i]["reason"] for i in found_excluded if i in excluded)
    out.other_excluded.update(rec["reason"] for rec in site.kind("excluded") if rec.id not in found_excluded)
    studies = site.kind("studies")
    out.included = len(found_studies & set(site.records["studies"]))
    out.total = len(studies)
    out.other_included = out.total - out.included
    out.registered = sum(1 for s in studies if s["registry_ids"])
    out.drug_discovery = sum(1 for s in studies if s["category"] == "drug-discovery")
    return out


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` units, where a CJK character counts 2 and others 1 (a fair guess for sans-serif)."""
    def units(s: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    lines, line = [], ""
    # Break at spaces, and anywhere between CJK characters (Chinese has no spaces between words).
    tokens: list[str] = []
    for word in text.split(" "):
        run = ""
        for ch in word:
            if ord(ch) > 0x2E80 and run and ord(run[-1]) > 0x2E80:
                tokens.append(run)
                run = ""
            run += ch
        tokens.append(run)
        tokens.append(" ")
    for token in tokens[:-1]:
        if line and units(line + token) > width and token != " ":
            lines.append(line.rstrip())
            line = token
        else:
            line += token
    lines.append(line.rstrip())
    return [ln.strip() for ln in lines if ln.strip()]


def flow_svg(boxes: dict[str, list[str]], title: str, desc: str, uid: str) -> str:
    """The diagram: a main column (identified → screened → assessed → included), side boxes for what left the flow
    at each step, and the other-routes and total boxes. `boxes` maps each box name to its lines of text, already in
    the reader's language; the first line is drawn bold."""
    main_x, main_w, side_x, side_w = 20, 380, 440, 300
    line_h, pad, gap = 18, 10, 26
    parts: list[str] = []
    y = 20
    positions: dict[str, tuple[int, int, int, int]] = {}

    def box(name: str, x: int, top: int, w: int) -> int:
        lines = [(k == 0, ln) for k, text in enumerate(boxes[name]) for ln in _wrap(text, (w - 2 * pad) // 7)]
        h = 2 * pad + line_h * len(lines)
        parts.append(f'<rect x="{x}" y="{top}" width="{w}" height="{h}" rx="4" class="atlas-flow-box"/>')
        for i, (bold, ln) in enumerate(lines):
            weight = ' font-weight="bold"' if bold else ""
            parts.append(f'<text x="{x + pad}" y="{top + pad + 13 + i * line_h}"{weight}>{escape(ln)}</text>')
        positions[name] = (x, top, w, h)
        return h

    def arrow(x1: int, y1: int, x2: int, y2: int) -> None:
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" class="atlas-flow-line" '
                     f'marker-end="url(#{uid}-arrow)"/>')

    steps = [("identified", "duplicates"), ("screened", "screened_out"), ("assessed", "excluded"),
             ("included", None)]
    for main, side in steps:
        h_main = box(main, main_x, y, main_w)
        h_side = box(side, side_x, y, side_w) if side else 0
        if side:
            mid = y + min(h_main, h_side) // 2
            arrow(main_x + main_w, mid, side_x - 4, mid)
        bottom = y + max(h_main, h_side)
        if main != "included":
            arrow(main_x + main_w // 2, y + h_main, main_x + main_w // 2, bottom + gap - 4)
        y = bottom + gap
    other_top = positions["included"][1]
    box("other", side_x, other_top, side_w)
    y = max(y, other_top + positions["other"][3] + gap)
    total_top = y
    box("total", main_x, total_top, side_x + side_w - main_x)
    arrow(main_x + main_w // 2, positions["included"][1] + positions["included"][3], main_x + main_w // 2,
          total_top - 4)
    ox, oy, ow, oh = positions["other"]
    arrow(ox + ow // 2, oy + oh, ox + ow // 2, total_top - 4)
    height = total_top + positions["total"][3] + 20
    width = side_x + side_w + 20
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-labelledby="{uid}-title {uid}-desc" class="atlas-chart atlas-flow" font-size="13">'
            f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(desc)}</desc>'
            f'<defs><marker id="{uid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="atlas-flow-head"/></marker></defs>'
            + "".join(parts) + "</svg>")
