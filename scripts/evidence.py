"""Facts derived from a study record rather than typed into it: the evidence label and the overdue-results flag.

Reads and writes nothing; pure functions of a study's data and a reference date. The methodology page explains the
rules in words; keep the two in step.
"""

from __future__ import annotations

import calendar
import datetime as dt

# In order of strength of design, strongest first; the overview sorts and the methodology page lists them this way.
LABELS = (
    "rct-placebo",          # randomised, placebo- or sham-controlled
    "rct-open",             # randomised against usual care or another dose, no placebo
    "controlled",           # non-randomised, with a concurrent or external (historical) control group
    "single-arm",           # registered trial, one group, no comparison
    "case-series",          # published series without registration or control
    "expanded-access",      # treatment outside a trial
    "clinic-report",        # a clinic's own account of paid or unregistered treatment
    "no-results",           # no results reported anywhere yet
    "never-enrolled",       # withdrawn before enrolling anyone
)

_PLACEBO = {"placebo", "sham"}
_CLOSED = {"completed", "terminated", "unknown", "active-not-recruiting", "no-longer-available"}


def evidence_label(study: dict) -> str:
    """The design-based label of the evidence a study provides."""
    if study["status"] == "withdrawn" or study.get("enrolled") == 0:
        return "never-enrolled"
    if study["record_type"] == "clinic-report":
        return "clinic-report"
    if study["record_type"] == "expanded-access":
        return "expanded-access"
    if not study["results"]:
        return "no-results"
    design = study["design"]
    if design["allocation"] == "randomised":
        return "rct-placebo" if design["comparator"] in _PLACEBO else "rct-open"
    if design["comparator"] in _PLACEBO | {"standard-care", "external-control"}:
        return "controlled"
    return "case-series" if study["record_type"] == "published-series" else "single-arm"


def caveat(study: dict) -> str | None:
    """Which standard caveat a study's reported findings need: the bias that could explain a result without any
    effect of the treatment, for every design that does not randomise (None for randomised trials and no results)."""
    if not study.get("findings"):
        return None
    label = evidence_label(study)
    if label == "controlled":
        return "external" if study["design"]["comparator"] == "external-control" else "concurrent"
    if label in ("single-arm", "case-series", "expanded-access", "clinic-report"):
        return "uncontrolled"
    return None


def period_end(partial: str) -> dt.date:
    """The last day a partial date (YYYY, YYYY-MM, YYYY-MM-DD) can mean."""
    parts = [int(p) for p in partial.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def results_overdue(study: dict, today: dt.date) -> bool:
    """True when a study ended more than 12 months before `today` and no results were found anywhere."""
    end = study.get("completion")
    if study["results"] or not end or study["status"] not in _CLOSED:
        return False
    try:
        due = period_end(end).replace(year=period_end(end).year + 1)
    except ValueError:  # 29 February
        due = period_end(end) + dt.timedelta(days=365)
    return due < today


def is_stale(last_reviewed: str, today: dt.date) -> bool:
    """True when a record was last checked more than 12 months before `today`."""
    return (today - dt.date.fromisoformat(last_reviewed)).days > 365
