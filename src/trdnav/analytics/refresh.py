"""Refreshing what analytics keeps beside each course: its TRD stage at the start.

The stage is the Thase–Rush stage of the latest history snapshot (``trdnav.history``) taken on
or before the course's start; a course with no such snapshot keeps an unknown stage. Run after
history changes in bulk, or nightly (``trdnav refresh-analytics``; a job runner can call
``refresh_course_stages`` with its own progress callback). Synthetic courses are left alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction

from trdnav.accounts.models import Clinic
from trdnav.analytics.models import UNKNOWN_STAGE, CourseContext
from trdnav.courses.models import Course, CourseStatus
from trdnav.history.models import HistorySnapshot

BATCH = 2000


def refresh_course_stages(
    *, clinic: Clinic | None = None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write each real course's stage; the number of courses refreshed."""
    courses = Course.objects.exclude(status=CourseStatus.PLANNED).exclude(
        analytics_context__synthetic=True
    )
    if clinic is not None:
        courses = courses.filter(patient__clinic=clinic)
    ids = list(courses.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            _refresh(ids[start : start + BATCH])
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids)


def _refresh(ids: list[int]) -> None:
    rows = list(Course.objects.filter(pk__in=ids).values_list("pk", "patient_id", "start_date"))
    snapshots = _snapshots({patient for _, patient, _ in rows})
    contexts = [
        CourseContext(course_id=pk, trd_stage=_stage_at(snapshots.get(patient, []), start))
        for pk, patient, start in rows
    ]
    CourseContext.objects.bulk_create(
        contexts,
        update_conflicts=True,
        unique_fields=["course"],
        update_fields=["trd_stage"],
    )


def _snapshots(patients: set[int]) -> dict[int, list[tuple[date, str]]]:
    found: dict[int, list[tuple[date, str]]] = defaultdict(list)
    query = HistorySnapshot.objects.filter(patient_id__in=patients).order_by("as_of", "computed_at")
    for patient, as_of, result in query.values_list("patient_id", "as_of", "result"):
        found[patient].append((as_of, _thase_rush(result)))
    return found


def _thase_rush(result: Any) -> str:
    try:
        return str(result["staging"]["thase_rush"]["stage"])
    except (KeyError, TypeError):
        return UNKNOWN_STAGE


def _stage_at(snapshots: list[tuple[date, str]], start: date) -> str:
    stage = UNKNOWN_STAGE
    for as_of, value in snapshots:  # oldest first: the last on or before the start wins
        if as_of <= start:
            stage = value
    return stage
