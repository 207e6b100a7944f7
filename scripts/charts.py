"""Charts drawn at build time as inline SVG, from the study records; no chart library reaches the browser.

Pure functions: counts from records (`*_data`) and SVG from counts (`bar_chart`, `matrix_chart`). Every chart has a
<title> and <desc> for screen readers, and the page that shows it also shows its numbers as a table. Text is escaped
here, since SVG is written as raw HTML.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Callable

from . import evidence

PHASE_GROUPS = {"early-1": "early", "1": "early", "1-2": "early", "2": "mid", "2-3": "mid", "3": "late", "4": "late",
                "not-applicable": "na", "not-reported": "na"}
PHASE_ORDER = ("early", "mid", "late", "na")
# Palette with at least 3:1 contrast against white and distinguishable without colour (each bar is also labelled).
COLOURS = {"early": "#1f4e79", "mid": "#b3541e", "late": "#2e7d32", "na": "#6b6b6b"}


def year_phase_data(studies: list[dict]) -> tuple[list[int], dict[int, Counter], int]:
    """Years with at least one study start, counts by phase group per year, and studies without a start year."""
    by_year: dict[int, Counter] = {}
    undated = 0
    for s in studies:
        if not s.get("start"):
            undated += 1
            continue
        by_year.setdefault(int(s["start"][:4]), Counter())[PHASE_GROUPS[s["phase"]]] += 1
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    return years, by_year, undated


def matrix_data(studies: list[dict]) -> Counter:
    """(cell type id, route id) → number of studies using both; a study counts once per pair."""
    pairs: Counter = Counter()
    for s in studies:
        for cell in s["cell_types"]:
            for route in s["routes"] or ["none"]:
                pairs[(cell, route)] += 1
    return pairs


def enrolled_by_label(studies: list[dict]) -> dict[str, tuple[int, int]]:
    """Evidence label → (participants enrolled, studies reporting a number), in label order."""
    out = {label: [0, 0] for label in evidence.LABELS}
    for s in studies:
        if s.get("enrolled") is not None:
            label = evidence.evidence_label(s)
            out[label][0] += s["enrolled"]
            out[label][1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def stacked_years_svg(years: list[int], by_year: dict[int, Counter], title: str, desc: str,
                      legend: dict[str, str], uid: str) -> str:
    width, height, left, bottom, top = 760, 300, 40, 40, 40
    peak = max((sum(c.values()) for c in by_year.values()), default=1)
    step = (width - left - 10) / max(len(years), 1)
    scale = (height - bottom - top) / peak
    parts = [_open(width, height, title, desc, uid)]
    for i in range(peak + 1):
        if peak <= 10 or i % 2 == 0:
            y = height - bottom - i * scale
            parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d0d0"/>'
                         f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{i}</text>')
    for n, year in enumerate(years):
        x, y = left + n * step, height - bottom
        for group in PHASE_ORDER:
            count = by_year.get(year, Counter())[group]
            if count:
                h = count * scale
                y -= h
                parts.append(f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" height="{h:.1f}" '
                             f'fill="{COLOURS[group]}"><title>{year}: {escape(legend[group])} {count}</title></rect>')
        if len(years) <= 20 or n % 2 == 0:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
                         f'font-size="10">{year}</text>')
    for n, group in enumerate(PHASE_ORDER):
        x = left + n * 180
        parts.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{COLOURS[group]}"/>'
                     f'<text x="{x + 16}" y="18" font-size="12">{escape(legend[group])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def text_width(text: str, size: float) -> float:
    """Rough rendered width: CJK characters are about one em wide, others about 0.6 em."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.55 for ch in text)


def bars_svg(rows: list[tuple[str, int]], title: str, desc: str, uid: str) -> str:
    """Horizontal bars, one per (label, value), labels left, values at the bar end."""
    row_h = 26
    left = int(max((text_width(label, 12) for label, _ in rows), default=60)) + 16
    width = left + 420
    height = row_h * len(rows) + 20
    peak = max((v for _, v in rows), default=1) or 1
    parts = [_open(width, height, title, desc, uid)]
    for i, (label, value) in enumerate(rows):
        y = 10 + i * row_h
        w = (width - left - 70) * value / peak
        parts.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="12">{escape(label)}</text>'
                     f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{COLOURS["early"]}"/>'
                     f'<text x="{left + w + 6:.1f}" y="{y + 16}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def matrix_svg(rows: list[tuple[str, str]], cols: list[tuple[str, str]], counts: Counter, title: str, desc: str,
               href: Callable[[str, str], str], uid: str) -> str:
    """A grid: one row per cell type, one column per route; each non-empty cell links to the filtered study list."""
    cell = 44
    left = int(max((text_width(label, 11) for _, label in rows), default=60)) + 16
    top = int(max((text_width(label, 11) for _, label in cols), default=40) * 0.82) + 20  # labels at -55 degrees
    width, height = left + cell * len(cols) + top // 2 + 10, top + cell * len(rows) + 10  # room for slanted labels
    peak = max(counts.values(), default=1)
    # role="group", not "img": the squares are links, and an image's children are hidden from assistive technology.
    parts = [_open(width, height, title, desc, uid, role="group")]
    for j, (_, label) in enumerate(cols):
        x = left + j * cell + cell / 2
        parts.append(f'<text transform="translate({x + 4:.1f},{top - 8}) rotate(-55)" font-size="11">'
                     f'{escape(label)}</text>')
    for i, (row_id, label) in enumerate(rows):
        y = top + i * cell
        parts.append(f'<text x="{left - 8}" y="{y + cell / 2 + 4:.1f}" text-anchor="end" font-size="11">'
                     f'{escape(label)}</text>')
        for j, (col_id, col_label) in enumerate(cols):
            n = counts.get((row_id, col_id), 0)
            x = left + j * cell
            shade = 0.15 + 0.85 * n / peak if n else 0
            fill = f'fill="{COLOURS["early"]}" fill-opacity="{shade:.2f}"' if n else 'fill="#f4f4f4"'
            box = f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" {fill}/>'
            if n:
                colour = "#ffffff" if shade > 0.5 else "#111111"
                label_text = f"{escape(label)} × {escape(col_label)}: {n}"
                parts.append(f'<a href="{escape(href(row_id, col_id), quote=True)}" aria-label="{label_text}">'
                             f'{box}<text x="{x + cell / 2}" y="{y + cell / 2 + 5}" text-anchor="middle" '
                             f'font-size="14" fill="{colour}">{n}</text></a>')
            else:
                parts.append(box)
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: float, title: str, desc: str, uid: str, role: str = "img") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="atlas-chart" viewBox="0 0 {width} {height:.0f}" '
            f'width="{width}" role="{role}" aria-labelledby="{uid}-title {uid}-desc" font-family="inherit" fill="currentColor">'
            f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(desc)}</desc>')
