"""The chart says what an ended course changed (P-L8), and shows open courses' checkpoint
alerts and rating reminders."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from tests.courses.loop.builders import START, end, give_history, madrs, make_course, sign_sessions
from trdnav.accounts.models import User
from trdnav.courses.models import CourseStatus
from trdnav.patients.models import Patient

ENDED = START + timedelta(days=42)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(ENDED, tick=False):
        yield


def _chart(client: Client, user: User, patient: Patient) -> str:
    client.force_login(user)
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_chart_says_the_failed_course_changed_the_stage_and_the_options(
    client: Client, patient: Patient, clinician: User
) -> None:
    give_history(patient)
    course = make_course(patient, by=clinician)
    sign_sessions(course, 12)
    madrs(patient, START - timedelta(days=2), 34)
    madrs(patient, START + timedelta(days=35), 32)
    end(course, CourseStatus.COMPLETED, ENDED, clinician)
    html = _chart(client, clinician, patient)
    assert "Updated from the ECT (bitemporal) course completed 2026-11-16" in html
    assert "Thase–Rush stage changed from IV to V" in html
    assert (
        "already tried without success" in html.split('id="course-loop"')[1].split("</section>")[0]
    )
    assert (
        '<span class="ladder-name">Thase–Rush</span> <strong class="ladder-value">V</strong>'
        in (html)
    )


def test_the_chart_names_a_course_not_written_and_why(
    client: Client, patient: Patient, clinician: User
) -> None:
    course = make_course(patient, by=clinician)
    sign_sessions(course, 2)
    end(course, CourseStatus.STOPPED, ENDED, clinician, reason="moved away")
    html = _chart(client, clinician, patient)
    assert "was not added to the treatment history: the treatment history has no current" in html


def test_the_chart_lists_an_open_courses_checkpoint_alert_and_a_rating_due(
    client: Client, patient: Patient, clinician: User, staff: User
) -> None:
    course = make_course(patient, by=clinician)
    course.plan = {"measures": [{"instrument": "madrs", "on": ENDED.isoformat(),
                                 "when": "end", "respondent": "clinician"}]}  # fmt: skip
    course.save(update_fields=["plan"])
    sign_sessions(course, 6)
    madrs(patient, START - timedelta(days=2), 34)
    madrs(patient, START + timedelta(days=14), 33)
    html = _chart(client, staff, patient)
    assert 'class="checkpoint-alert"' in html and "No early improvement" in html
    assert "rating due" in html and "MADRS for the ECT (bitemporal) course" in html
