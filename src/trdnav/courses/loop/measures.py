"""A course's measure schedule feeds the portal and the clinician (issue 12, item 2; P-L6).

When a course is planned, each patient-rated instrument of its plan that the portal can show
becomes questionnaire schedules (``trdnav.portal``): its dates cut into the fewest cadences
(``trdnav.core.scheduling.cadences_for``), each schedule linked to the course. A date the care
team's own schedule of the same instrument already asks for (an occurrence within half the
course's own interval) is left to that schedule. That only thins the course's schedules: when
occurrences of two schedules of one instrument still fall due together (steps that drift
apart, another course's schedule, a schedule added later), the portal's due list asks for the
instrument once and one form satisfies both (``ask_once``, P-P11). When the course ends its
schedules are stopped. Clinician-rated instruments (MADRS…) are not sent to
the portal: they are rating reminders on the dashboard and the chart, due and overdue by the
portal's own rule (P-P3) and satisfied by any valid rating of the instrument.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.db import transaction

from trdnav.audit.services import Actor
from trdnav.core.instruments import get_instrument
from trdnav.core.scheduling import (
    Cadence,
    DueState,
    DueStatus,
    cadences_for,
    due_status,
    next_occurrence_after,
    occurrence_on_or_before,
)
from trdnav.courses.models import Course
from trdnav.portal.models import QuestionnaireSchedule
from trdnav.portal.services.schedules import (
    cadence_of,
    patient_instruments,
    set_schedule,
    stop_schedule,
)

PATIENT, CLINICIAN = "patient", "clinician"


@dataclass(frozen=True)
class Measure:
    instrument: str
    on: date
    when: str
    respondent: str


def planned_measures(course: Course) -> list[Measure]:
    """The measures of the course's stored plan (entries that cannot be read are skipped)."""
    found = []
    for raw in (course.plan or {}).get("measures", []) or []:
        if not isinstance(raw, Mapping):
            continue
        try:
            day = date.fromisoformat(str(raw.get("on")))
        except ValueError:
            continue
        found.append(
            Measure(str(raw.get("instrument", "")), day, str(raw.get("when", "")),
                    str(raw.get("respondent", "")))
        )  # fmt: skip
    return sorted(found, key=lambda m: (m.on, m.instrument))


def _dates_by_instrument(measures: Iterable[Measure], respondent: str) -> dict[str, list[date]]:
    by: dict[str, list[date]] = defaultdict(list)
    for measure in measures:
        if measure.respondent == respondent and measure.instrument:
            by[measure.instrument].append(measure.on)
    return dict(by)


def _tolerance(days: Sequence[date]) -> int:
    gaps = [(b - a).days for a, b in pairwise(days) if b > a]
    return min(gaps) // 2 if gaps else 0


def covered(existing: Cadence, day: date, tolerance_days: int) -> bool:
    """Whether ``existing`` has an occurrence within ``tolerance_days`` of ``day``."""
    before = occurrence_on_or_before(existing, day)
    after = next_occurrence_after(existing, day)
    return (before is not None and (day - before).days <= tolerance_days) or (
        after is not None and (after - day).days <= tolerance_days
    )


def _uncovered(days: list[date], others: Sequence[Cadence]) -> list[date]:
    tolerance = _tolerance(sorted(set(days)))
    return [d for d in days if not any(covered(c, d, tolerance) for c in others)]


@transaction.atomic
def schedule_course_measures(*, course: Course, by: Actor) -> list[QuestionnaireSchedule]:
    """The course's portal schedules, made once (planning again returns those already made)."""
    made = list(QuestionnaireSchedule.objects.filter(course=course))
    if made or course.is_ended:
        return made
    portal = {i.code for i in patient_instruments()}
    wanted = _dates_by_instrument(planned_measures(course), PATIENT)
    for code, days in sorted(wanted.items()):
        if code not in portal:
            continue
        others = [
            cadence_of(s)
            # Another course's schedules do not count: they stop when that course ends.
            for s in QuestionnaireSchedule.objects.filter(
                patient_id=course.patient_id, instrument=code, active=True, course__isnull=True
            )
        ]
        for cadence in cadences_for(_uncovered(days, others)):
            data = {"instrument": code, "every_days": cadence.every_days,
                    "start": cadence.start, "end": cadence.end}  # fmt: skip
            schedule = set_schedule(patient=course.patient, data=data, by=by)
            schedule.course = course
            schedule.save(update_fields=["course"])
            made.append(schedule)
    return made


@transaction.atomic
def stop_course_measures(*, course: Course, by: Actor) -> int:
    """Stop the course's active portal schedules (audited, each once); how many were stopped."""
    active = list(QuestionnaireSchedule.objects.filter(course=course, active=True))
    for schedule in active:
        stop_schedule(schedule=schedule, by=by)
    return len(active)


@dataclass(frozen=True)
class RatingReminder:
    """A clinician rating the course's plan asks for that has not been done yet."""

    course: Course
    instrument: str
    status: DueStatus

    @property
    def overdue(self) -> bool:
        return self.status.state == DueState.OVERDUE

    @property
    def abbreviation(self) -> str:
        return get_instrument(self.instrument).abbreviation

    def to_dict(self) -> dict[str, Any]:
        return {
            "course": self.course.pk,
            "instrument": self.instrument,
            "state": str(self.status.state),
            "due_on": None if self.status.due_on is None else self.status.due_on.isoformat(),
        }


def rating_reminders(
    course: Course, completed: Mapping[str, Sequence[date]], as_of: date
) -> list[RatingReminder]:
    """The clinician-rated measures of an active course that are due or overdue on ``as_of``;
    ``completed``: the days each instrument was rated (any valid rating counts)."""
    if course.is_ended:
        return []
    grace: int = settings.TRDNAV_DUE_GRACE_DAYS
    found = []
    for code, days in sorted(_dates_by_instrument(planned_measures(course), CLINICIAN).items()):
        for cadence in cadences_for(days):
            status = due_status(cadence, completed.get(code, ()), as_of=as_of, grace_days=grace)
            if status.needs_doing:
                found.append(RatingReminder(course, code, status))
    return found
