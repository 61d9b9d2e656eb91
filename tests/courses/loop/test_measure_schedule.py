"""A planned course's measure schedule feeds the portal and the clinician (P-L6)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings

from tests.courses.loop.builders import START, end, madrs, make_course
from trdnav.accounts.models import User
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.core.protocols import plan_course
from trdnav.courses.loop.alerts import notices_for
from trdnav.courses.loop.measures import planned_measures, schedule_course_measures
from trdnav.courses.models import Course, CourseStatus
from trdnav.dashboard.services import dashboard_rows
from trdnav.patients.models import Patient
from trdnav.portal.models import QuestionnaireSchedule
from trdnav.portal.services.schedules import schedule_lines, set_schedule


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(START, tick=False):
        yield


def _planned(patient: Patient, clinician: User) -> Course:
    plan = plan_course("ect_bitemporal", START).to_dict()
    course = make_course(patient, by=clinician, status=CourseStatus.PLANNED)
    # Plan stored after the row exists, as a plan edit would: the receiver ran on creation.
    Course.objects.filter(pk=course.pk).update(plan=plan)
    course.refresh_from_db()
    return course


def _patient_dates(course: Course, code: str) -> set[date]:
    return {m.on for m in planned_measures(course) if m.instrument == code}


def _occurrences(schedule: QuestionnaireSchedule) -> set[date]:
    days, day = set(), schedule.start
    while schedule.end is not None and day <= schedule.end:
        days.add(day)
        day += timedelta(days=schedule.every_days)
    return days


def test_the_patient_rated_measures_become_portal_schedules_on_exactly_the_planned_days(
    patient: Patient, clinician: User
) -> None:
    course = _planned(patient, clinician)
    made = schedule_course_measures(course=course, by=Actor(user=clinician))
    assert made and {s.instrument for s in made} == {"phq9"}  # MADRS is clinician-rated
    assert set().union(*(_occurrences(s) for s in made)) == _patient_dates(course, "phq9")
    assert all(s.course_id == course.pk and s.active for s in made)
    assert AuditEvent.objects.filter(object_type="questionnaire_schedule").count() == len(made)
    lines = schedule_lines(patient=patient, as_of=START)
    assert any(line.status.needs_doing for line in lines)  # the baseline PHQ-9 is due today


def test_planning_creates_the_schedules_once(patient: Patient, clinician: User) -> None:
    course = _planned(patient, clinician)
    first = schedule_course_measures(course=course, by=Actor(user=clinician))
    again = schedule_course_measures(course=course, by=Actor(user=clinician))
    assert [s.pk for s in again] == [s.pk for s in first]
    assert QuestionnaireSchedule.objects.filter(patient=patient).count() == len(first)


def test_days_an_existing_schedule_already_asks_for_are_left_to_it(
    patient: Patient, clinician: User
) -> None:
    weekly = {"instrument": "phq9", "every_days": 7, "start": START - timedelta(days=14)}
    set_schedule(patient=patient, data=weekly, by=Actor(user=clinician))
    course = _planned(patient, clinician)
    made = schedule_course_measures(course=course, by=Actor(user=clinician))
    made_days = set().union(*(_occurrences(s) for s in made)) if made else set()
    # The weekly PHQ-9 already covers the start; only days it does not cover are added.
    assert START not in made_days
    assert made_days < _patient_dates(course, "phq9")


def test_a_new_course_schedules_its_measures_through_the_receiver(
    patient: Patient, clinician: User
) -> None:
    plan = plan_course("ect_bitemporal", START).to_dict()
    course = Course.objects.create(
        patient=patient, protocol_id="ect_bitemporal", protocol_name="ECT",
        knowledge_version="test", start_date=START, planned_sessions=12, instrument="madrs",
        plan=plan, created_by=clinician,
    )  # fmt: skip
    assert QuestionnaireSchedule.objects.filter(course=course, active=True).exists()


def test_an_ended_course_stops_its_schedules_and_no_other(
    patient: Patient, clinician: User
) -> None:
    own = set_schedule(
        patient=patient, data={"instrument": "gad7", "every_days": 28, "start": START},
        by=Actor(user=clinician),
    )  # fmt: skip
    course = _planned(patient, clinician)
    made = schedule_course_measures(course=course, by=Actor(user=clinician))
    end(course, CourseStatus.STOPPED, START, clinician, "declined")
    assert not QuestionnaireSchedule.objects.filter(pk__in=[s.pk for s in made], active=True)
    own.refresh_from_db()
    assert own.active


def test_clinician_ratings_are_reminders_until_done(patient: Patient, clinician: User) -> None:
    course = _planned(patient, clinician)
    course.status = CourseStatus.ACTIVE
    course.save(update_fields=["status"])
    notices = notices_for([patient.pk], as_of=START)[patient.pk]
    assert [(r.instrument, str(r.status.state)) for r in notices.reminders] == [("madrs", "due")]
    madrs(patient, START, 30)
    assert notices_for([patient.pk], as_of=START) == {}


def test_the_dashboard_lists_a_clinician_rating_due_and_later_overdue(
    patient: Patient, clinician: User
) -> None:
    _planned(patient, clinician)
    madrs(patient, START - timedelta(days=30), 30)  # an old rating: not in the window
    texts = [str(r) for row in dashboard_rows(user=clinician, as_of=START) for r in row.reasons]
    assert f"MADRS rating due since {START:%Y-%m-%d} (ECT (bitemporal))" in texts
    later = START + timedelta(days=settings.TRDNAV_DUE_GRACE_DAYS + 1)  # before the next
    texts = [str(r) for row in dashboard_rows(user=clinician, as_of=later) for r in row.reasons]
    assert any(t.startswith("MADRS rating overdue since") for t in texts)


def test_another_courses_schedules_are_not_relied_on(patient: Patient, clinician: User) -> None:
    first = _planned(patient, clinician)
    schedule_course_measures(course=first, by=Actor(user=clinician))
    second = _planned(patient, clinician)
    made = schedule_course_measures(course=second, by=Actor(user=clinician))
    assert set().union(*(_occurrences(s) for s in made)) == _patient_dates(second, "phq9")
