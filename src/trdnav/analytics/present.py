"""Labels and chart data for the outcome report page (human words at the edge)."""

from __future__ import annotations

from typing import Any

from trdnav.accounts.models import User
from trdnav.analytics.report import Cell, Rate, Report
from trdnav.core.knowledge import load_therapies

DIMENSION_TITLES = {
    "therapy": "By therapy",
    "stage": "By TRD stage (Thase–Rush, at the course's start)",
    "clinician": "By clinician (who planned the course)",
    "period": "By quarter the course started",
}


def labels_for(report: Report) -> dict[tuple[str, str], str]:
    """Display names for every cell key (one query for the clinicians' names)."""
    therapies = load_therapies().therapies
    clinician_ids = [int(c.key) for c in report.breakdown("clinician") if c.key.isdigit()]
    names = {
        str(u.pk): u.get_full_name() or u.get_username()
        for u in User.objects.filter(pk__in=clinician_ids)
    }
    labels: dict[tuple[str, str], str] = {}
    for cell in report.cells:
        key = cell.key
        if cell.dimension == "therapy":
            known = therapies.get(key)
            labels[(cell.dimension, key)] = known.name if known else (key or "not recorded")
        elif cell.dimension == "stage":
            labels[(cell.dimension, key)] = f"Stage {key}" if key else "not known"
        elif cell.dimension == "clinician":
            labels[(cell.dimension, key)] = names.get(key, "not recorded")
        else:
            labels[(cell.dimension, key)] = key or "all"
    return labels


def percent(rate: Rate | None) -> str:
    if rate is None or rate.value is None:
        return "—"
    interval = rate.interval
    text = f"{100 * rate.value:.0f}% ({rate.count}/{rate.total})"
    if interval is not None:
        text += f" [{100 * interval.low:.0f}–{100 * interval.high:.0f}]"
    return text


def table_rows(
    report: Report, dimension: str, labels: dict[tuple[str, str], str]
) -> list[dict[str, Any]]:
    return [_row(cell, labels[(cell.dimension, cell.key)]) for cell in report.breakdown(dimension)]


def _row(cell: Cell, label: str) -> dict[str, Any]:
    if cell.suppressed:
        return {"label": label, "suppressed": True}
    return {
        "label": label,
        "suppressed": False,
        "patients": cell.patients,
        "response": percent(cell.response),
        "remission": percent(cell.remission),
        "early": percent(cell.early_improvement),
        "completion": percent(cell.completion),
        "median_response": _days(cell.median_days_to_response),
        "median_remission": _days(cell.median_days_to_remission),
        "safety_events": cell.safety_events,
        "overrides": cell.overrides,
        "rems": percent(cell.rems_on_time),
    }


def _days(days: int | None) -> str:
    return "not reached" if days is None else f"{days} days"


def chart_data(report: Report, labels: dict[tuple[str, str], str]) -> dict[str, Any]:
    """What static/analytics/outcomes.js draws: response and remission by therapy with their
    intervals, the overall Kaplan–Meier curves (proportion with the event), and the mean weekly
    change per therapy. Suppressed cells are left out."""
    therapies = [c for c in report.breakdown("therapy") if not c.suppressed]
    overall = report.overall
    return {
        "rates": [
            {
                "label": labels[("therapy", c.key)],
                "response": _rate_point(c.response),
                "remission": _rate_point(c.remission),
            }
            for c in therapies
        ],
        "curves": {
            "response": [[s.time, 1 - s.survival] for s in overall.response_curve],
            "remission": [[s.time, 1 - s.survival] for s in overall.remission_curve],
        },
        "weekly": {
            labels.get(("therapy", name), "All courses" if name == "all" else name): [
                [p.week, p.mean_change] for p in points if p.mean_change is not None
            ]
            for name, points in report.weekly.items()
        },
    }


def _rate_point(rate: Rate | None) -> list[float] | None:
    if rate is None or rate.value is None or rate.interval is None:
        return None
    return [rate.value, rate.interval.low, rate.interval.high]


def curve_rows(report: Report) -> list[dict[str, Any]]:
    """The overall curves as a table: the chart's alternative."""
    remission = {s.time: s for s in report.overall.remission_curve}
    rows = []
    for step in report.overall.response_curve:
        other = remission.get(step.time)
        rows.append(
            {
                "day": step.time,
                "at_risk": step.at_risk,
                "responded": f"{100 * (1 - step.survival):.0f}%",
                "remitted": "" if other is None else f"{100 * (1 - other.survival):.0f}%",
            }
        )
    return rows


def weekly_rows(report: Report, labels: dict[tuple[str, str], str]) -> list[tuple[str, Any]]:
    """The weekly mean change as (therapy, point) rows: the chart's alternative."""
    rows = [
        (labels.get(("therapy", name), "All courses" if name == "all" else name), point)
        for name, points in report.weekly.items()
        for point in points
        if point.mean_change is not None
    ]
    return sorted(rows, key=lambda row: (row[0], row[1].week))
