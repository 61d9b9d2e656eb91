"""The chart page's trend data: every valid total of every instrument in one query, shaped for
Chart.js, with each instrument's response and remission lines (policy P-W4), computed by
``trdnav.core.measurement.chart_lines`` from the knowledge base; this module only shapes them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from trdnav.assessments.models import Assessment
from trdnav.core.instruments import get_instrument
from trdnav.core.measurement.chart_lines import chart_lines


def _series(code: str, points: list[tuple[date, int]]) -> dict[str, Any]:
    definition = get_instrument(code).definition
    low, high = definition.total_range or (0, max(total for _, total in points))
    return {
        "code": code,
        "label": definition.abbreviation,
        "name": definition.name,
        "min": low,
        "max": high,
        "baseline": {"date": points[0][0].isoformat(), "total": points[0][1]},
        "points": [[day.isoformat(), total] for day, total in points],
        "thresholds": [line.to_dict() for line in chart_lines(definition.outcome, points[0][1])],
    }


def chart_data(patient_id: int) -> list[dict[str, Any]]:
    """One series per instrument with at least one valid total, in the library's order."""
    rows = (
        Assessment.objects.filter(patient_id=patient_id, valid=True, total__isnull=False)
        .order_by("administered_on", "recorded_at", "id")
        .values_list("instrument", "administered_on", "total")
    )
    by_code: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for code, day, total in rows.iterator(chunk_size=2000):
        by_code[code].append((day, int(total or 0)))
    return [_series(code, points) for code, points in by_code.items()]
