"""Checkpoint alerts and rating reminders of a clinic's active courses, for the dashboard and
the chart (policy P-L7).

A checkpoint alert ("no early improvement after 6 sessions: consider next step") is the
protocol's, computed by the core's ``course_outcome`` each time from the course's measures,
like the worsening alerts; one per course and rule, however often it is computed. The care
team acknowledges it once (``acknowledge_checkpoint``: who and when, audited; a second
acknowledgement changes nothing) and it is then no longer shown. The whole clinic costs a
fixed number of queries, however many courses there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from trdnav.assessments.models import Assessment
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.protocols import CheckpointAlert
from trdnav.courses.loop.measures import (
    CLINICIAN,
    RatingReminder,
    planned_measures,
    rating_reminders,
)
from trdnav.courses.loop.outcome import instrument_rows, measured_from, outcome_of, signed_sessions
from trdnav.courses.models import Course, CourseStatus
from trdnav.dashboard.models import CheckpointAcknowledgement

OPEN_STATUSES = (CourseStatus.PLANNED, CourseStatus.ACTIVE)


@dataclass(frozen=True)
class CourseAlert:
    course: Course
    alert: CheckpointAlert

    @property
    def rule(self) -> str:
        return str(self.alert.rule)

    @property
    def text(self) -> str:
        return f"{self.course.protocol_name}: {self.alert.message}"


@dataclass(frozen=True)
class CourseNotices:
    """What one patient's open courses ask of the care team."""

    alerts: tuple[CourseAlert, ...] = ()
    reminders: tuple[RatingReminder, ...] = ()


def _open_courses(patient_ids: Iterable[int]) -> list[Course]:
    return list(
        Course.objects.filter(patient_id__in=list(patient_ids), status__in=OPEN_STATUSES).order_by(
            "patient_id", "start_date", "pk"
        )
    )


def _acknowledged(courses: Iterable[Course]) -> set[tuple[int, str]]:
    rows = CheckpointAcknowledgement.objects.filter(course__in=list(courses))
    return set(rows.values_list("course_id", "rule"))


def notices_for(patient_ids: Iterable[int], *, as_of: date) -> dict[int, CourseNotices]:
    """Per patient with an open course: its unacknowledged checkpoint alerts and the clinician
    ratings due (at most four queries in all)."""
    return notices_of(_open_courses(patient_ids), as_of=as_of)


def notices_of(courses: list[Course], *, as_of: date) -> dict[int, CourseNotices]:
    """``notices_for`` over courses already fetched (the open ones are used)."""
    courses = [c for c in courses if c.status in OPEN_STATUSES]
    if not courses:
        return {}
    instruments = {c.instrument for c in courses if c.instrument}
    instruments |= {
        m.instrument for c in courses for m in planned_measures(c) if m.respondent == CLINICIAN
    }
    rows = instrument_rows({c.patient_id for c in courses}, instruments)
    by_key: dict[tuple[int, str], list[Assessment]] = defaultdict(list)
    for row in rows:
        by_key[(row.patient_id, row.instrument)].append(row)
    sessions = signed_sessions(c.pk for c in courses)
    acknowledged = _acknowledged(courses)
    alerts: dict[int, list[CourseAlert]] = defaultdict(list)
    reminders: dict[int, list[RatingReminder]] = defaultdict(list)
    for course in courses:
        measured = measured_from(
            course, by_key.get((course.patient_id, course.instrument), []),
            sessions.get(course.pk, 0), as_of,
        )  # fmt: skip
        outcome = outcome_of(course, measured, as_of)
        for alert in outcome.alerts if outcome is not None else ():
            if (course.pk, str(alert.rule)) not in acknowledged:
                alerts[course.patient_id].append(CourseAlert(course, alert))
        done = {code: [r.administered_on for r in by_key.get((course.patient_id, code), [])]
                for code in instruments}  # fmt: skip
        reminders[course.patient_id] += rating_reminders(course, done, as_of)
    ids = {pid for pid in set(alerts) | set(reminders) if alerts.get(pid) or reminders.get(pid)}
    return {
        pid: CourseNotices(tuple(alerts.get(pid, ())), tuple(reminders.get(pid, ()))) for pid in ids
    }


@transaction.atomic
def acknowledge_checkpoint(*, course: Course, rule: str, by: Actor) -> CheckpointAcknowledgement:
    """Mark one alert of one course as seen (once; a second call changes nothing)."""
    found = CheckpointAcknowledgement.objects.filter(course=course, rule=rule).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            ack = CheckpointAcknowledgement.objects.create(
                course=course, rule=rule, acknowledged_by=by.user, acknowledged_at=timezone.now()
            )
    except IntegrityError:  # a simultaneous acknowledgement got there first
        return CheckpointAcknowledgement.objects.get(course=course, rule=rule)
    audit_patient(
        by, course.patient_id, Action.UPDATE, "course_checkpoint_alert", course,
        summary=f"acknowledged {rule}"[:200],
    )  # fmt: skip
    return ack
