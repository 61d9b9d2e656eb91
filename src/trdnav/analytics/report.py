"""The outcome report: tallies from the database turned into rates, intervals and curves.

``tallies_from_django`` runs the two statements of ``trdnav.analytics.sql`` (summary,
survival, weekly change) on the analytics alias; ``build_report`` does the arithmetic of
``trdnav.core.analytics`` on what they return and suppresses small cells (P-AN3). The same
``build_report`` serves DuckDB over Parquet (``trdnav.analytics.parquet``), so every path
computes the numbers the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from trdnav.analytics import sql
from trdnav.core.analytics import (
    Interval,
    KmStep,
    Tally,
    kaplan_meier,
    median_time,
    suppressed_cells,
    wilson_interval,
)

Row = Sequence[Any]


@dataclass(frozen=True)
class Tallies:
    summary: Sequence[Row]
    survival: Sequence[Row]
    weekly: Sequence[Row]


@dataclass(frozen=True)
class Rate:
    count: int
    total: int
    interval: Interval | None

    @property
    def value(self) -> float | None:
        return self.count / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        interval = self.interval
        return {
            "count": self.count,
            "total": self.total,
            "rate": self.value,
            "ci95": None if interval is None else interval.to_dict(),
        }


def rate(count: int, total: int) -> Rate:
    return Rate(count, total, wilson_interval(count, total))


@dataclass(frozen=True)
class Cell:
    dimension: str
    key: str
    suppressed: bool
    patients: int | None = None
    courses: int | None = None
    response: Rate | None = None
    remission: Rate | None = None
    early_improvement: Rate | None = None
    completion: Rate | None = None
    rems_on_time: Rate | None = None
    safety_events: int | None = None
    overrides: int | None = None
    median_days_to_response: int | None = None
    median_days_to_remission: int | None = None
    response_curve: tuple[KmStep, ...] = ()
    remission_curve: tuple[KmStep, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        def maybe(r: Rate | None) -> dict[str, Any] | None:
            return None if r is None else r.to_dict()

        return {
            "dimension": self.dimension,
            "key": self.key,
            "suppressed": self.suppressed,
            "patients": self.patients,
            "courses": self.courses,
            "response": maybe(self.response),
            "remission": maybe(self.remission),
            "early_improvement": maybe(self.early_improvement),
            "completion": maybe(self.completion),
            "rems_on_time": maybe(self.rems_on_time),
            "safety_events": self.safety_events,
            "overrides": self.overrides,
            "median_days_to_response": self.median_days_to_response,
            "median_days_to_remission": self.median_days_to_remission,
            "response_curve": [s.to_dict() for s in self.response_curve],
            "remission_curve": [s.to_dict() for s in self.remission_curve],
        }


@dataclass(frozen=True)
class WeekPoint:
    week: int
    patients: int | None
    mean_change: float | None


@dataclass(frozen=True)
class Report:
    minimum: int
    since: date
    until: date
    cells: tuple[Cell, ...]
    weekly: dict[str, tuple[WeekPoint, ...]] = field(default_factory=dict)

    def breakdown(self, dimension: str) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.dimension == dimension)

    @property
    def overall(self) -> Cell:
        return next(c for c in self.cells if c.dimension == "all")

    def to_dict(self) -> dict[str, Any]:
        return {
            "minimum_cell": self.minimum,
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "cells": [c.to_dict() for c in self.cells],
            "weekly_change": {
                therapy: [
                    {"week": p.week, "patients": p.patients, "mean_change": p.mean_change}
                    for p in points
                ]
                for therapy, points in self.weekly.items()
            },
        }


def parameters(clinic_id: int, since: date, until: date, now: datetime) -> dict[str, Any]:
    return {"clinic": clinic_id, "since": since, "until": until, "now": now}


def tallies_from_django(using: str, params: Mapping[str, Any]) -> Tallies:
    """The two statements on the database alias ``using`` (two queries in all)."""
    from django.db import connections

    connection = connections[using]
    dialect = sql.dialect_for(connection.vendor)
    fetched = []
    for make in (sql.tallies, sql.weekly_change):
        with connection.cursor() as cursor:
            cursor.execute(make(dialect, sql.DJANGO_TABLES), params)
            fetched.append(list(cursor.fetchall()))
    return split_tallies(*fetched)


def split_tallies(rows: Sequence[Row], weekly: Sequence[Row]) -> Tallies:
    """The combined statement's rows (``sql.tallies``) as the summary and survival tallies."""
    summary = [row[1 : 3 + sql.SUMMARY_COUNTS] for row in rows if row[0] == "summary"]
    survival = [
        (row[1], row[2], *row[3 + sql.SUMMARY_COUNTS :]) for row in rows if row[0] == "survival"
    ]
    return Tallies(summary, survival, weekly)


def build_report(tallies: Tallies, *, minimum: int, since: date, until: date) -> Report:
    curves = _curves(tallies.survival)
    by_dimension: dict[str, list[Row]] = defaultdict(list)
    for row in tallies.summary:
        by_dimension[str(row[0])].append(row)
    cells: list[Cell] = []
    for dimension in (*sql.DIMENSIONS, "all"):
        rows = sorted(by_dimension.get(dimension, []), key=lambda r: str(r[1]))
        hidden = suppressed_cells({str(r[1]): int(r[2]) for r in rows}, minimum)
        for row in rows:
            key = str(row[1])
            if key in hidden:
                cells.append(Cell(dimension, key, suppressed=True))
            else:
                cells.append(_cell(dimension, key, row, curves))
    if not by_dimension.get("all"):
        cells.append(Cell("all", "", suppressed=False, patients=0, courses=0))
    return Report(minimum, since, until, tuple(cells), _weekly(tallies.weekly, minimum))


def _cell(
    dimension: str, key: str, row: Row, curves: Mapping[tuple[str, str, str], list[Tally]]
) -> Cell:
    (patients, courses, responders, remitters, early, measured, completed, ended) = (
        int(v or 0) for v in row[2:10]
    )
    safety, overrides, rems_due, rems_on_time = (int(v or 0) for v in row[10:14])
    response = kaplan_meier(curves.get((dimension, key, "response"), []))
    remission = kaplan_meier(curves.get((dimension, key, "remission"), []))
    return Cell(
        dimension,
        key,
        suppressed=False,
        patients=patients,
        courses=courses,
        response=rate(responders, measured),
        remission=rate(remitters, measured),
        early_improvement=rate(early, measured),
        completion=rate(completed, ended),
        rems_on_time=rate(rems_on_time, rems_due),
        safety_events=safety,
        overrides=overrides,
        median_days_to_response=median_time(response),
        median_days_to_remission=median_time(remission),
        response_curve=response,
        remission_curve=remission,
    )


def _curves(rows: Sequence[Row]) -> dict[tuple[str, str, str], list[Tally]]:
    curves: dict[tuple[str, str, str], list[Tally]] = defaultdict(list)
    for dimension, key, event, day, events, censored in rows:
        curves[(str(dimension), str(key), str(event))].append(
            Tally(int(day), int(events), int(censored))
        )
    return curves


def _weekly(rows: Sequence[Row], minimum: int) -> dict[str, tuple[WeekPoint, ...]]:
    """Mean change per therapy and week; a (therapy, week) with few patients is suppressed
    with its complementary cells among the therapies of that week (P-AN3)."""
    by_week: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    for dimension, key, week, patients, mean in rows:
        name = "all" if dimension == "all" else str(key)
        by_week[int(week)][name] = (int(patients), float(mean))
    series: dict[str, list[WeekPoint]] = defaultdict(list)
    for week in sorted(by_week):
        values = by_week[week]
        therapies = {k: n for k, (n, _) in values.items() if k != "all"}
        hidden = suppressed_cells(therapies, minimum)
        if values.get("all", (0, 0.0))[0] < minimum:
            hidden.add("all")
        for name, (patients, mean) in values.items():
            shown = name not in hidden
            series[name].append(
                WeekPoint(week, patients if shown else None, round(mean, 2) if shown else None)
            )
    return {name: tuple(points) for name, points in series.items()}


Fetch = Callable[[Mapping[str, Any]], Tallies]
