"""Read-side helpers over many patients at once (the dashboard), each a fixed number of queries.

None of these checks access: callers pass the ids of patients the user may already see
(``trdnav.patients.access.visible_patients``). Policies P-W1 to P-W3 are in
docs/clinical-policies.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import F, Max, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from trdnav.assessments.models import Assessment
from trdnav.core.instruments import Priority, Safety
from trdnav.core.measurement import Worsening, WorseningPolicy, detect_worsening
from trdnav.core.measurement.safety import RECENCY, SafetyAnswer

# Newest first by the core's definition of "latest" (administered, then recorded, then id).
NEWEST_FIRST = tuple(F(name).desc() for name in RECENCY)


@dataclass(frozen=True)
class SafetyFlag:
    """The latest assessment of an instrument left its safety item positive or unknown (P-W1)."""

    patient_id: int
    assessment_id: int
    instrument: str
    safety: str
    high_priority: bool
    administered_on: date


def _newest_per_instrument(queryset: QuerySet[Assessment], count: int) -> QuerySet[Assessment]:
    """The ``count`` newest rows of each (patient, instrument), newest first."""
    ranked = queryset.annotate(
        position=Window(
            RowNumber(), partition_by=[F("patient_id"), F("instrument")], order_by=NEWEST_FIRST
        )
    )
    return ranked.filter(position__lte=count).order_by("patient_id", "instrument", "position")


def latest_safety_for(
    patient_ids: Iterable[int], instruments: Iterable[str] | None = None
) -> dict[int, dict[str, SafetyAnswer]]:
    """Per patient and instrument, the latest answer to its safety item (one query).

    This is the one query behind every "latest safety answer per instrument" in the app (the
    dashboard, the chart page, the portal's progress page); the rule itself is
    ``trdnav.core.measurement.safety``. Results without a safety item are left out, and so are
    instruments outside ``instruments`` when it is given. Patients and instruments come in
    ascending order.
    """
    rows = Assessment.objects.filter(patient_id__in=list(patient_ids), safety__isnull=False)
    if instruments is not None:
        rows = rows.filter(instrument__in=list(instruments))
    latest = _newest_per_instrument(rows, 1).values(
        "id", "patient_id", "instrument", "safety", "safety_priority", "administered_on",
        "recorded_at",
    )  # fmt: skip
    found: dict[int, dict[str, SafetyAnswer]] = defaultdict(dict)
    for row in latest:
        found[row["patient_id"]][row["instrument"]] = _answer(row)
    return dict(found)


def latest_safety_rows(patient_ids: Iterable[int]) -> list[Assessment]:
    """The latest assessment of each (patient, instrument) that has a safety item, as rows
    (one query): the same choice as ``latest_safety_for``, for callers that need more fields
    (who entered it)."""
    rows = Assessment.objects.filter(patient_id__in=list(patient_ids), safety__isnull=False)
    return list(_newest_per_instrument(rows.defer("answers", "result"), 1))


def latest_safety_among(rows: Iterable[Any]) -> list[Assessment]:
    """``latest_safety_rows`` from rows of ``recent_rows_for`` (an instrument either has a
    safety item on every result or on none, so the newest row is the latest safety answer)."""
    return [row for row in rows if row.position == 1 and row.safety is not None]


def _answer(row: Mapping[str, Any]) -> SafetyAnswer:
    priority = row["safety_priority"]
    return SafetyAnswer(
        instrument=row["instrument"],
        safety=Safety(row["safety"]),
        priority=Priority(priority) if priority else None,
        administered_on=row["administered_on"],
        recorded_at=row["recorded_at"],
        id=row["id"],
    )


def safety_flags_for(patient_ids: Iterable[int]) -> dict[int, list[SafetyFlag]]:
    """Per patient, the instruments whose latest assessment is safety-positive or unknown.

    Only the latest assessment of each instrument counts: a later negative answer to the same
    instrument clears an earlier positive one (P-W1). Instruments without a safety item are
    never flagged. High-priority flags come first.
    """
    flags: dict[int, list[SafetyFlag]] = {}
    for patient_id, answers in latest_safety_for(patient_ids).items():
        patient_flags = [
            _flag(patient_id, answer) for answer in answers.values() if answer.needs_review
        ]
        patient_flags.sort(key=lambda f: (not f.high_priority, f.safety != "positive"))
        if patient_flags:
            flags[patient_id] = patient_flags
    return flags


def _flag(patient_id: int, answer: SafetyAnswer) -> SafetyFlag:
    return SafetyFlag(
        patient_id=patient_id,
        assessment_id=answer.id,
        instrument=answer.instrument,
        safety=answer.safety.value,
        high_priority=answer.high_priority,
        administered_on=answer.administered_on,
    )


def worsening_for(
    patient_ids: Iterable[int], policy: WorseningPolicy = WorseningPolicy.RELIABLE_OR_MID
) -> dict[int, list[Worsening]]:
    """Per patient, instruments whose latest valid total is worse than the one before, by the
    clinic's rule (P-W2, P-SR6)."""
    return worsening_in(recent_series_for(patient_ids, 2), policy)


def worsening_in(
    series: Mapping[tuple[int, str], list[Total]], policy: WorseningPolicy
) -> dict[int, list[Worsening]]:
    """Worsening from series already read (``recent_series_for``, oldest first)."""
    found: dict[int, list[Worsening]] = defaultdict(list)
    for (patient_id, instrument), totals in sorted(series.items()):
        if len(totals) >= 2:
            previous, current = totals[-2].total, totals[-1].total
            worsening = detect_worsening(instrument, previous, current, policy=policy)
            if worsening is not None:
                found[patient_id].append(worsening)
    return dict(found)


def last_measured_subquery() -> Subquery:
    """The date of the patient's most recent current assessment (P-W3), to annotate a patient
    query with (``OuterRef("pk")``): the dashboard reads it with the patients themselves."""
    latest = Assessment.objects.filter(patient_id=OuterRef("pk")).order_by("-administered_on")
    return Subquery(latest.values("administered_on")[:1])


def last_measured_for(patient_ids: Iterable[int]) -> dict[int, date]:
    """Per patient, the date of their most recent assessment of any instrument (P-W3)."""
    rows = (
        Assessment.objects.filter(patient_id__in=list(patient_ids))
        .values("patient_id")
        .annotate(last=Max("administered_on"))
        .order_by()
    )
    return {row["patient_id"]: row["last"] for row in rows}


def latest_for_patient(patient_id: int) -> list[Assessment]:
    """The newest assessment of each instrument the patient has completed."""
    return list(_newest_per_instrument(Assessment.objects.filter(patient_id=patient_id), 1))


def recent_series_for(patient_ids: Iterable[int], count: int) -> dict[tuple[int, str], list[Total]]:
    """Per (patient, instrument), the last ``count`` valid totals, oldest first (one query)."""
    scored = Assessment.objects.filter(
        patient_id__in=list(patient_ids), valid=True, total__isnull=False
    )
    return series_from(_newest_per_instrument(scored.defer("answers", "result"), count))


def recent_rows_for(patient_ids: Iterable[int], count: int) -> list[Assessment]:
    """The ``count`` newest current assessments of each (patient, instrument), newest first,
    without their answers and score snapshot (one query). The dashboard reads both the latest
    safety answers (``position`` 1) and the recent totals (``series_from``) from them."""
    rows = Assessment.objects.filter(patient_id__in=list(patient_ids)).defer("answers", "result")
    return list(_newest_per_instrument(rows, count))


def series_from(rows: Iterable[Assessment]) -> dict[tuple[int, str], list[Total]]:
    """Valid totals per (patient, instrument), oldest first, from rows newest first."""
    series: dict[tuple[int, str], list[Total]] = defaultdict(list)
    for row in rows:
        if row.valid and row.total is not None:
            total = Total(row.instrument, row.administered_on, row.total, row.recorded_at, row.pk)
            series[(row.patient_id, row.instrument)].append(total)
    return {key: totals[::-1] for key, totals in series.items()}


def latest_series(series: Mapping[tuple[int, str], list[Total]]) -> dict[int, list[Total]]:
    """Per patient, the series of the instrument measured most recently (the sparkline)."""
    chosen: dict[int, list[Total]] = {}
    for (patient_id, _), totals in series.items():
        held = chosen.get(patient_id)
        if held is None or totals[-1].recency > held[-1].recency:
            chosen[patient_id] = totals
    return chosen


@dataclass(frozen=True)
class Total:
    instrument: str
    administered_on: date
    total: int
    recorded_at: datetime
    id: int

    @property
    def recency(self) -> tuple[date, datetime, int]:
        return self.administered_on, self.recorded_at, self.id
