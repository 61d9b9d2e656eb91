"""What each dashboard row shows besides its reasons: the TRD stage, the current treatment and a
score sparkline. Together they cost one query for the whole list, however many patients.

* Stage: the Thase–Rush stage of the latest stored history conclusion (default adequacy
  profile), as the chart shows it.
* Current treatment: an open treatment course (planned or active) first, else the latest
  treatment of the stored history with no end date (or one ending after today).
* Sparkline: the last totals of the instrument the patient was measured with most recently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery
from django.db.models.fields.json import KT

from trdnav.assessments.models import abbreviation_of
from trdnav.assessments.queries import Total
from trdnav.clinical.models import ClinicalProfile
from trdnav.core.history.knowledge import default_profile_name
from trdnav.courses.models import Course
from trdnav.history.models import HistorySnapshot

SPARK_WIDTH, SPARK_HEIGHT = 80, 20
SPARK_POINTS = 8  # the last eight totals


def _stage_subquery() -> Subquery:
    """The Thase–Rush stage of the patient's latest history conclusion (default profile)."""
    latest = HistorySnapshot.objects.filter(
        patient_id=OuterRef("patient_id"), profile=default_profile_name()
    ).order_by("-computed_at", "-id")
    return Subquery(latest.values(stage=KT("result__staging__thase_rush__stage"))[:1])


def stages_and_treatments(
    patient_ids: Iterable[int], courses: Sequence[Course], as_of: date
) -> tuple[dict[int, str], dict[int, str]]:
    """Per patient, the stage and the current treatment in words (an open course, else a
    current trial), in one query: a history conclusion exists only beside a stored history,
    so the profiles carry both."""
    stages: dict[int, str] = {}
    treatments: dict[int, str] = {}
    profiles = ClinicalProfile.objects.filter(patient_id__in=list(patient_ids))
    rows = profiles.annotate(stage=_stage_subquery()).values_list("patient_id", "history", "stage")
    for pid, history, stage in rows:
        if stage not in (None, ""):
            stages[pid] = str(stage)
        current = _current_trial(history, as_of)
        if current:
            treatments[pid] = current
    for course in courses:  # a course wins over a trial: it is what the clinic runs now
        treatments[course.patient_id] = f"{course.protocol_name} (course)"
    return stages, treatments


def _current_trial(history: Any, as_of: date) -> str:
    if not isinstance(history, Mapping):
        return ""
    running = [t for t in history.get("treatments") or [] if _running(t, as_of)]
    if not running:
        return ""
    latest = max(running, key=lambda t: str(t.get("start") or ""))
    name = latest.get("drug") or latest.get("agent") or str(latest.get("kind") or "")
    return str(name).replace("_", " ")


def _running(treatment: Any, as_of: date) -> bool:
    if not isinstance(treatment, Mapping):
        return False
    end = treatment.get("end")
    return end in (None, "") or str(end) >= as_of.isoformat()


@dataclass(frozen=True)
class Sparkline:
    """An inline SVG polyline of recent totals, with its text alternative."""

    points: str
    text: str
    width: int = SPARK_WIDTH
    height: int = SPARK_HEIGHT


def sparkline(totals: Sequence[Total]) -> Sparkline | None:
    if not totals:
        return None
    values = [t.total for t in totals]
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{SPARK_HEIGHT - 2 - (v - low) / span * (SPARK_HEIGHT - 4):.1f}"
        for i, v in enumerate(values)
    )
    name = abbreviation_of(totals[-1].instrument)
    text = (
        f"{name} totals, oldest to newest: {', '.join(map(str, values))} "
        f"(last {totals[-1].administered_on:%-d %b %Y})"
    )
    return Sparkline(points=points, text=text)
