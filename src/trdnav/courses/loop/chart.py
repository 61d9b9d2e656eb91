"""What the chart shows of the loop (policy P-L8): for each course ended recently, whether it
was written to the treatment history and what that changed in TRD status, stages and options
("Updated from the course … ended …: Thase–Rush stage changed from IV to V"), or why it was
not written; and the open courses' checkpoint alerts and clinician ratings due."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from trdnav.audit.services import Actor
from trdnav.courses.loop.alerts import OPEN_STATUSES, CourseNotices, notices_of
from trdnav.courses.loop.outcome import refresh_course_outcome
from trdnav.courses.models import ENDED_STATUSES, Course
from trdnav.patients.models import Patient

# How long the chart keeps saying what an ended course changed (a display choice, P-L8).
UPDATE_NOTE_DAYS = 90
UPDATE_NOTES = 3


@dataclass(frozen=True)
class CourseUpdate:
    course: Course
    written: bool
    stage_changes: tuple[dict[str, str], ...] = ()
    option_changes: tuple[dict[str, str], ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class ChartCourses:
    updates: tuple[CourseUpdate, ...] = ()
    notices: CourseNotices = field(default_factory=CourseNotices)


def _update(course: Course, treatment_ids: set[str]) -> CourseUpdate | None:
    info: dict[str, Any] = (course.outcome or {}).get("history_entry") or {}
    if not info:
        return None
    if not info.get("written"):
        return CourseUpdate(course, False, reason=str(info.get("reason", "")))
    if str(info.get("treatment")) not in treatment_ids:
        return None  # removed from the history since: nothing to say about it any more
    rows = [r for r in info.get("changes", []) if isinstance(r, dict)]
    stages = tuple(r for r in rows if r.get("kind") == "stage")
    options = tuple(r for r in rows if r.get("kind") == "option")
    return CourseUpdate(course, True, stages, options)


def chart_courses(
    *,
    patient: Patient,
    history: dict[str, Any] | None,
    as_of: date,
    by: Actor,
    courses: Iterable[Course] | None = None,
) -> ChartCourses:
    """The chart's course notes; the open courses' stored outcomes are refreshed on the way.
    ``courses``: all the patient's courses when the chart has them already (no query for
    them here); otherwise one query when the patient has no course."""
    since = as_of - timedelta(days=UPDATE_NOTE_DAYS)
    if courses is None:
        courses = list(
            Course.objects.filter(patient=patient)
            .filter(Q(status__in=OPEN_STATUSES) | Q(status__in=ENDED_STATUSES, ended_on__gte=since))
            .order_by("-ended_on", "-pk")
        )
    else:
        courses = sorted(
            (c for c in courses if c.status in OPEN_STATUSES or _ended_since(c, since)),
            key=lambda c: (c.ended_on or date.max, c.pk),
            reverse=True,
        )
    for course in courses:
        if course.status in OPEN_STATUSES:
            refresh_course_outcome(course=course, as_of=as_of, by=by)
    ended = [c for c in courses if c.status in ENDED_STATUSES][:UPDATE_NOTES]
    ids = {str(t.get("id")) for t in (history or {}).get("treatments", []) if isinstance(t, dict)}
    updates = tuple(u for u in (_update(c, ids) for c in ended) if u is not None)
    notices = notices_of(courses, as_of=as_of).get(patient.pk, CourseNotices())
    return ChartCourses(updates, notices)


def _ended_since(course: Course, since: date) -> bool:
    return (
        course.status in ENDED_STATUSES and course.ended_on is not None and course.ended_on >= since
    )
