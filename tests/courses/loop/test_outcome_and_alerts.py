"""A course's outcome from its measures (P-L1, P-L2) and its checkpoint alerts on the dashboard
with their acknowledgement (P-L7)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client

from tests.courses.loop.builders import START, madrs, make_course, sign_sessions, stored
from tests.factories import make_member
from trdnav.accounts.models import Role, User
from trdnav.assessments.services import void_assessment
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor
from trdnav.courses.loop import course_outcome_for, refresh_course_outcome
from trdnav.courses.models import Course, SessionState, TreatmentSession
from trdnav.dashboard.models import CheckpointAcknowledgement
from trdnav.dashboard.services import dashboard_rows
from trdnav.patients.models import Patient

TODAY = START + timedelta(days=20)
RULE = "no_early_improvement_6"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def _stalled(patient: Patient, clinician: User) -> Course:
    """An ECT course with 6 signed sessions and no early improvement."""
    course = make_course(patient, by=clinician)
    sign_sessions(course, 6)
    madrs(patient, START - timedelta(days=3), 36)
    madrs(patient, START + timedelta(days=14), 34)
    return course


def test_the_baseline_is_the_last_rating_on_or_before_the_start(
    patient: Patient, clinician: User
) -> None:
    madrs(patient, START - timedelta(days=30), 20)
    madrs(patient, START - timedelta(days=2), 40)
    madrs(patient, START + timedelta(days=10), 18)
    course = make_course(patient, by=clinician)
    sign_sessions(course, 6)
    outcome = course_outcome_for(course, TODAY)
    assert outcome is not None
    assert (outcome.baseline, outcome.latest, outcome.outcome) == (40, 18, "response")


def test_the_courses_own_baseline_assessment_wins(patient: Patient, clinician: User) -> None:
    own = madrs(patient, START - timedelta(days=9), 30)
    madrs(patient, START - timedelta(days=2), 40)
    course = make_course(patient, by=clinician)
    Course.objects.filter(pk=course.pk).update(baseline_assessment=own)
    course.refresh_from_db()
    madrs(patient, START + timedelta(days=10), 27)
    outcome = course_outcome_for(course, TODAY)
    assert outcome is not None and outcome.baseline == 30


def test_without_a_baseline_there_is_no_outcome(patient: Patient, clinician: User) -> None:
    course = make_course(patient, by=clinician)
    madrs(patient, START + timedelta(days=3), 30)
    assert course_outcome_for(course, TODAY) is None


def test_drafts_and_voided_ratings_do_not_count(patient: Patient, clinician: User) -> None:
    course = _stalled(patient, clinician)
    TreatmentSession.objects.create(course=course, number=7, state=SessionState.DRAFT)
    late = madrs(patient, START + timedelta(days=18), 10)
    void_assessment(assessment=late, reason="entered in error", by=Actor(user=clinician))
    outcome = course_outcome_for(course, TODAY)
    assert outcome is not None
    assert (outcome.sessions_done, outcome.latest) == (6, 34)


def test_the_outcome_is_stored_on_the_course_when_it_changes_and_audited(
    patient: Patient, clinician: User
) -> None:
    course = _stalled(patient, clinician)  # each signed session stored it as of its day
    by = Actor(user=clinician)
    events = AuditEvent.objects.filter(object_type="course", summary="course outcome computed")
    before = events.count()
    refresh_course_outcome(course=course, as_of=TODAY, by=by)
    refresh_course_outcome(course=course, as_of=TODAY, by=by)
    course.refresh_from_db()
    assert stored(course)["outcome"] == "none" and stored(course)["sessions_done"] == 6
    assert stored(course)["baseline_assessment"]["total"] == 36
    assert [a["rule"] for a in stored(course)["alerts"]] == [RULE]
    assert events.count() == before + 1


def _alerts(user: User, as_of: date = TODAY) -> list[str]:
    rows = dashboard_rows(user=user, as_of=as_of)
    return [alert.rule for row in rows for alert in row.checkpoints]


def test_a_stalled_course_raises_its_checkpoint_alert_once_on_the_dashboard(
    client: Client, patient: Patient, clinician: User
) -> None:
    _stalled(patient, clinician)
    assert _alerts(clinician) == [RULE]
    row = dashboard_rows(user=clinician, as_of=TODAY)[0]
    assert row.needs_attention and str(row.urgency.name) == "COURSE_CHECKPOINT"
    client.force_login(clinician)
    html = client.get("/dashboard/").content.decode()
    assert html.count(f'data-rule="{RULE}"') == 1
    assert "No early improvement" in html and "Acknowledge" in html


def test_the_dashboard_costs_the_same_queries_for_more_courses(
    patient: Patient, clinician: User, django_assert_max_num_queries: object
) -> None:
    for _ in range(3):
        _stalled(patient, clinician)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        dashboard_rows(user=clinician, as_of=TODAY)


def test_an_acknowledged_alert_is_no_longer_shown_and_acknowledging_twice_stores_once(
    client: Client, patient: Patient, clinician: User
) -> None:
    course = _stalled(patient, clinician)
    client.force_login(clinician)
    url = f"/dashboard/courses/{course.pk}/checkpoints/{RULE}/acknowledge/"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert CheckpointAcknowledgement.objects.filter(course=course, rule=RULE).count() == 1
    assert AuditEvent.objects.filter(object_type="course_checkpoint_alert").count() == 1
    assert _alerts(clinician) == []


def test_staff_cannot_acknowledge_and_other_clinics_or_rules_are_not_found(
    client: Client, patient: Patient, other_patient: Patient, clinician: User, staff: User
) -> None:
    course = _stalled(patient, clinician)
    url = f"/dashboard/courses/{course.pk}/checkpoints/{RULE}/acknowledge/"
    client.force_login(staff)
    assert client.post(url).status_code == 403
    client.force_login(clinician)
    assert client.get(url).status_code == 405
    other = make_course(other_patient)
    assert (
        client.post(f"/dashboard/courses/{other.pk}/checkpoints/{RULE}/acknowledge/").status_code
        == 404
    )
    refused = AuditEvent.objects.filter(action=Action.REFUSED, object_id=str(other.pk))
    assert refused.filter(object_type="course", actor=clinician).exists()
    assert (
        client.post(f"/dashboard/courses/{course.pk}/checkpoints/made_up/acknowledge/").status_code
        == 404
    )
    south = make_member(other_patient.clinic, Role.CLINICIAN, "dr-south")
    assert _alerts(south) == []
    assert not CheckpointAcknowledgement.objects.exists()
