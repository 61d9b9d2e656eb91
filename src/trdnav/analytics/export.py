"""The report as flat rows, and written as CSV, Parquet (through Polars) or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trdnav.analytics.report import Cell, Rate, Report

FORMATS = ("csv", "parquet", "json")


def flat_rows(report: Report) -> list[dict[str, Any]]:
    """One row per breakdown cell; a suppressed cell keeps only its name and the flag."""
    return [_flat(cell) for cell in report.cells]


def _flat(cell: Cell) -> dict[str, Any]:
    row: dict[str, Any] = {
        "dimension": cell.dimension,
        "cell": cell.key,
        "suppressed": cell.suppressed,
        "patients": cell.patients,
        "courses": cell.courses,
    }
    rates = {
        "response": cell.response,
        "remission": cell.remission,
        "early_improvement": cell.early_improvement,
        "completion": cell.completion,
        "rems_on_time": cell.rems_on_time,
    }
    for name, value in rates.items():
        row.update(_rate_columns(name, value))
    row["median_days_to_response"] = cell.median_days_to_response
    row["median_days_to_remission"] = cell.median_days_to_remission
    row["safety_events"] = cell.safety_events
    row["overrides"] = cell.overrides
    return row


def _rate_columns(name: str, rate: Rate | None) -> dict[str, Any]:
    interval = None if rate is None else rate.interval
    return {
        f"{name}_count": None if rate is None else rate.count,
        f"{name}_of": None if rate is None else rate.total,
        f"{name}_rate": None if rate is None else rate.value,
        f"{name}_ci95_low": None if interval is None else interval.low,
        f"{name}_ci95_high": None if interval is None else interval.high,
    }


def write_report(report: Report, fmt: str, out: Path) -> None:
    if fmt == "json":
        out.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
        return
    import polars as pl

    frame = pl.DataFrame(flat_rows(report), infer_schema_length=None)
    if fmt == "csv":
        frame.write_csv(out)
    else:
        frame.write_parquet(out)
