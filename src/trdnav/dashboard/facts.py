"""What each dashboard row shows besides its reasons: the TRD stage, the current treatment and a
score sparkline. Each is one query for the whole list, however many patients.

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

from django.db.models import F, Window
from django.db.models.fields.json import KT
from django.db.models.functions import RowNumber

from trdnav.assessments.models import abbreviation_of
from trdnav.assessments.queries import Total
from trdnav.clinical.models import ClinicalProfile
from trdnav.core.history.knowledge import default_profile_name
from trdnav.courses.models import Course
from trdnav.history.models import HistorySnapshot

SPARK_WIDTH, SPARK_HEIGHT = 80, 20
SPARK_POINTS = 8  # the last eight totals


def stages_for(patient_ids: Iterable[int]) -> dict[int, str]:
    """Per patient, the Thase–Rush stage of their latest history conclusion (one query)."""
    ranked = HistorySnapshot.objects.filter(
        patient_id__in=list(patient_ids), profile=default_profile_name()
    ).annotate(
        position=Window(
            RowNumber(), partition_by=[F("patient_id")], order_by=[F("computed_at").desc(),
                                                                   F("id").desc()]
        ),
        stage=KT("result__staging__thase_rush__stage"),
    )  # fmt: skip
    rows = ranked.filter(position=1).values("patient_id", "stage")
    return {row["patient_id"]: str(row["stage"]) for row in rows if row["stage"] not in (None, "")}


def treatments_for(
    patient_ids: Iterable[int], courses: Sequence[Course], as_of: date
) -> dict[int, str]:
    """Per patient, the current treatment in words: an open course, else a current trial."""
    found: dict[int, str] = {}
    profiles = ClinicalProfile.objects.filter(patient_id__in=list(patient_ids))
    for pid, history in profiles.values_list("patient_id", "history"):
        current = _current_trial(history, as_of)
        if current:
            found[pid] = current
    for course in courses:  # a course wins over a trial: it is what the clinic runs now
        found[course.patient_id] = f"{course.protocol_name} (course)"
    return found


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
