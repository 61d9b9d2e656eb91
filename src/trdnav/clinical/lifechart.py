"""The chart's life chart: treatments as bars and score lines on ONE time axis (issue 13,
item 2; policies P-CH1 and P-CH2).

Drawn on the server as SVG, so it needs no script (the page's CSP allows none inline), prints
as it shows, and its geometry is testable: every mark's x comes from the same ``TimeAxis``.
Two layouts are drawn from the same data, a wide one (screens and print) and a narrow one
(phones); CSS shows one. Tick labels are spaced by their own width, so they never overlap.

Pure: no queries. Input is what the chart page already loaded (history treatments, courses,
the score series of ``chart.chart_data``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from trdnav.clinical.words import detail_words

RANGES = {"1y": "Last year", "all": "All"}
DEFAULT_RANGE = "all"
YEAR = timedelta(days=365)
# Half-width of the window around a single day, so one point or one-day span sits mid-axis.
SINGLE_DAY_PAD = timedelta(days=30)
LEFT, RIGHT = 40.0, 14.0
ROW = 28.0  # a treatment row: its label above, its bar below
BAR = 10.0
PANEL_GAP = 22.0
AXIS_HEIGHT = 26.0
CHAR_WIDTH = 6.6  # at the chart's 11-unit font
TICK_GAP = 14.0
OPEN_STATUSES = ("planned", "active")
KIND_WORDS = {
    "antidepressant": "antidepressant",
    "augmentation": "augmentation",
    "ect": "ECT",
    "tms": "TMS",
    "ketamine": "ketamine",
    "esketamine": "esketamine",
    "psychotherapy": "psychotherapy",
    "course": "course",
}
DETAIL_KEYS = ("drug", "agent", "protocol", "modality", "laterality")


@dataclass(frozen=True)
class Layout:
    name: str
    width: float
    panel_height: float
    label_chars: int

    @property
    def plot_width(self) -> float:
        return self.width - LEFT - RIGHT


WIDE = Layout("wide", 960.0, 130.0, 90)
NARROW = Layout("narrow", 340.0, 120.0, 40)


@dataclass(frozen=True)
class TimeAxis:
    """Days from ``start`` to ``end`` onto [LEFT, LEFT + plot width]: the one x scale."""

    start: date
    end: date
    layout: Layout

    def x(self, day: date) -> float:
        span = max((self.end - self.start).days, 1)
        return round(LEFT + self.layout.plot_width * (day - self.start).days / span, 2)

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Span:
    """One treatment on the chart: a history trial or course, or a course of the courses app."""

    key: str
    label: str
    start: date
    end: date | None
    outcome: str
    kind: str


def chosen_range(value: str | None) -> str:
    return value if value in RANGES else DEFAULT_RANGE


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def treatment_label(treatment: Mapping[str, Any]) -> str:
    """ "sertraline (antidepressant)", "right unilateral (ECT)", "rTMS" (the kind is not
    repeated when the detail's name already says it), "CBT (psychotherapy)"."""
    kind = str(treatment.get("kind", ""))
    words = KIND_WORDS.get(kind, kind.replace("_", " "))
    code = next((str(treatment[k]) for k in DETAIL_KEYS if treatment.get(k)), "")
    if not code:
        return words.capitalize()
    detail = detail_words(code)
    return detail if words.lower() in detail.lower() else f"{detail} ({words})"


def spans(history: Mapping[str, Any] | None, courses: Iterable[Any], as_of: date) -> list[Span]:
    """Every treatment with a start date, oldest first. A course already written into the
    history (entry ``course-<id>``) is shown once, as its history entry."""
    found: list[Span] = []
    in_history = set()
    for t in (history or {}).get("treatments", []) or []:
        start = _day(t.get("start"))
        if start is None or start > as_of:
            continue
        in_history.add(str(t.get("id")))
        outcome = str(t.get("outcome") or "").replace("_", " ")
        found.append(
            Span(str(t.get("id")), treatment_label(t), start, _day(t.get("end")), outcome,
                 str(t.get("kind", "")))
        )  # fmt: skip
    for course in courses:
        if f"course-{course.pk}" in in_history or course.start_date > as_of:
            continue
        status = str(course.status)
        end = course.ended_on if status not in OPEN_STATUSES else None
        found.append(
            Span(f"course-{course.pk}", f"{course.protocol_name} (course)", course.start_date,
                 end, course.get_status_display().lower(), "course")
        )  # fmt: skip
    return sorted(found, key=lambda s: (s.start, s.key))


def _points(series: Sequence[Mapping[str, Any]]) -> list[date]:
    return [d for s in series for d in (_day(p[0]) for p in s["points"]) if d is not None]


def domain(
    treatments: Sequence[Span], series: Sequence[Mapping[str, Any]], as_of: date, which: str
) -> tuple[date, date]:
    """The dates the axis shows: the last year, or everything up to ``as_of``; a single day
    widens to a window around it so a one-point chart looks like one."""
    if which == "1y":
        return as_of - YEAR, as_of
    days = [s.start for s in treatments] + _points(series)
    first = min(days, default=as_of)
    last = max([as_of, *days])
    if first == last:
        return first - SINGLE_DAY_PAD, last + SINGLE_DAY_PAD
    return first, last


def _month_start(day: date, months: int) -> date:
    index = (day.year * 12 + day.month - 1) // months * months
    return date(index // 12, index % 12 + 1, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


STEPS = (1, 2, 3, 6, 12, 24, 60, 120)


def _tick_label(day: date, months: int) -> str:
    return str(day.year) if months >= 12 else day.strftime("%b %Y")


def ticks(axis: TimeAxis) -> list[dict[str, Any]]:
    """Month or year starts inside the axis, the step the smallest whose labels do not
    overlap at this layout's width."""
    for months in STEPS:
        first = _month_start(axis.start, months)
        if first < axis.start:
            first = _add_months(first, months)
        days = []
        day = first
        while day <= axis.end:
            days.append(day)
            day = _add_months(day, months)
        label_width = len(_tick_label(axis.start, months)) * CHAR_WIDTH + TICK_GAP
        spacing = axis.layout.plot_width * months * 30.4 / max((axis.end - axis.start).days, 1)
        if spacing >= label_width or months == STEPS[-1]:
            return [
                {"x": axis.x(d), "label": _tick_label(d, months), "date": d.isoformat()}
                for d in days
            ]
    return []  # pragma: no cover - the last step always returns


def _bars(treatments: Sequence[Span], axis: TimeAxis, top: float) -> list[dict[str, Any]]:
    bars = []
    visible = [s for s in treatments if (s.end or axis.end) >= axis.start and s.start <= axis.end]
    for row, span in enumerate(visible):
        start, end = max(span.start, axis.start), min(span.end or axis.end, axis.end)
        x = axis.x(start)
        y = top + row * ROW
        label = span.label
        if len(label) > axis.layout.label_chars:
            label = label[: axis.layout.label_chars - 1] + "…"
        bars.append(
            {
                "key": span.key,
                "label": label,
                "full_label": span.label,
                "kind": span.kind,
                "start": span.start.isoformat(),
                "end": span.end.isoformat() if span.end else "",
                "outcome": span.outcome,
                "clipped": span.start < axis.start,
                "x": x,
                "width": max(round(axis.x(end) - x, 2), 3.0),
                "label_y": y + 11,
                "bar_y": y + 15,
                "bar_height": BAR,
                "open": span.end is None,
            }
        )
    return bars


def _y(value: float, low: float, high: float, top: float, height: float) -> float:
    span = (high - low) or 1
    return round(top + height - height * (value - low) / span, 2)


def _panel(series: Mapping[str, Any], axis: TimeAxis, top: float) -> dict[str, Any]:
    low, high, height = float(series["min"]), float(series["max"]), axis.layout.panel_height
    shown = [(d, int(p[1])) for p in series["points"] if (d := _day(p[0])) and axis.holds(d)]
    points = [
        {"x": axis.x(d), "y": _y(v, low, high, top, height), "date": d.isoformat(), "value": v}
        for d, v in shown
    ]
    lines = []
    for line in series["thresholds"]:
        y = _y(float(line["value"]), low, high, top, height)
        lines.append({**line, "y": y})
    return {
        "code": series["code"],
        "label": series["label"],
        "name": series["name"],
        "top": top,
        "bottom": top + height,
        "title_y": top - 6,
        "mid_y": _y((low + high) / 2, low, high, top, height),
        "min": series["min"],
        "max": series["max"],
        "mid": round((low + high) / 2),
        "points": points,
        "path": " ".join(f"{p['x']},{p['y']}" for p in points),
        "thresholds": lines,
        "coincide": len({t["value"] for t in lines}) < len(lines),
        "empty": not points,
        # Many points: smaller dots, so a weekly series reads as a line, not a smear.
        "radius": 3.5 if len(points) * 12 <= axis.layout.plot_width else 2.0,
    }


def draw(
    treatments: Sequence[Span],
    series: Sequence[Mapping[str, Any]],
    start: date,
    end: date,
    layout: Layout,
) -> dict[str, Any]:
    """One layout's geometry: treatment rows, then one score panel per instrument, then the
    shared date axis; vertical grid lines run through all of them."""
    axis = TimeAxis(start, end, layout)
    bars = _bars(treatments, axis, 4.0)
    top = 4.0 + len(bars) * ROW + (PANEL_GAP if bars else 0) + 14
    panels = []
    for s in series:
        panels.append(_panel(s, axis, top))
        top += layout.panel_height + PANEL_GAP + 14
    axis_y = top - PANEL_GAP - 14 + 8 if panels else top
    return {
        "layout": layout.name,
        "width": layout.width,
        "height": round(axis_y + AXIS_HEIGHT, 2),
        "left": LEFT,
        "right": layout.width - RIGHT,
        "axis_y": axis_y,
        "ticks": ticks(axis),
        "bars": bars,
        "panels": panels,
    }


def life_chart(
    history: Mapping[str, Any] | None,
    courses: Iterable[Any],
    series: Sequence[Mapping[str, Any]],
    as_of: date,
    which: str | None,
) -> dict[str, Any]:
    """Both layouts, the range links and the table alternative's rows."""
    chosen = chosen_range(which)
    treatments = spans(history, courses, as_of)
    start, end = domain(treatments, series, as_of, chosen)
    wide, narrow = (draw(treatments, series, start, end, lay) for lay in (WIDE, NARROW))
    return {
        "range": chosen,
        "ranges": [{"key": k, "label": v, "current": k == chosen} for k, v in RANGES.items()],
        "start": start,
        "end": end,
        "wide": wide,
        "narrow": narrow,
        "empty": not wide["bars"] and not any(p["points"] for p in wide["panels"]),
        "table_treatments": wide["bars"],
        "table_scores": [
            {"label": p["label"], "date": pt["date"], "value": pt["value"]}
            for p in wide["panels"]
            for pt in p["points"]
        ],
    }
