"""The loop's edges: an entry removed from the history, a protocol no longer in the knowledge
base, an ended course's reminders, a history changed at the same moment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.courses.loop.builders import (
    START,
    end,
    give_history,
    madrs,
    make_course,
    sign_sessions,
    stored,
)
from trdnav.accounts.models import User
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.courses.loop import course_outcome_for
from trdnav.courses.loop import history as loop_history
from trdnav.courses.loop.alerts import acknowledge_checkpoint
from trdnav.courses.loop.measures import rating_reminders
from trdnav.courses.models import CourseStatus
from trdnav.history.services import StaleRevision
from trdnav.patients.models import Patient

ENDED = START + timedelta(days=40)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(ENDED, tick=False):
        yield


def test_the_chart_says_nothing_of_an_entry_removed_from_the_history_since(
    client: Client, patient: Patient, clinician: User
) -> None:
    give_history(patient)
    course = make_course(patient, by=clinician)
    sign_sessions(course, 12)
    madrs(patient, START - timedelta(days=1), 34)
    madrs(patient, START + timedelta(days=30), 33)
    end(course, CourseStatus.COMPLETED, ENDED, clinician)
    profile = ClinicalProfile.objects.get(patient=patient)
    history: dict[str, Any] = dict(profile.history or {})
    history["treatments"] = history["treatments"][:-1]
    profile.history = history
    profile.save(update_fields=["history"])
    client.force_login(clinician)
    assert "Updated from the" not in client.get(f"/patients/{patient.pk}/").content.decode()


def test_a_protocol_no_longer_in_the_knowledge_base_gives_no_outcome(
    patient: Patient, clinician: User
) -> None:
    course = make_course(patient, protocol_id="withdrawn_protocol", by=clinician)
    madrs(patient, START - timedelta(days=1), 34)
    madrs(patient, START + timedelta(days=7), 30)
    assert course_outcome_for(course, ENDED) is None


def test_an_ended_course_asks_for_no_rating(patient: Patient) -> None:
    course = make_course(patient, status=CourseStatus.COMPLETED)
    course.plan = {"measures": [{"instrument": "madrs", "on": START.isoformat(),
                                 "when": "end", "respondent": "clinician"}]}  # fmt: skip
    assert rating_reminders(course, {}, ENDED) == []


def test_a_history_changed_at_the_same_moment_is_not_overwritten(
    patient: Patient, clinician: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    give_history(patient)

    def stale(**kwargs: Any) -> None:
        raise StaleRevision("other")

    monkeypatch.setattr(loop_history, "save_history", stale)
    course = make_course(patient, by=clinician)
    sign_sessions(course, 12)
    end(course, CourseStatus.COMPLETED, ENDED, clinician)
    course.refresh_from_db()
    assert "changed at the same moment" in stored(course)["history_entry"]["reason"]
    assert course.history_treatment_ref == ""


def test_an_acknowledgement_names_its_course_and_rule(patient: Patient, clinician: User) -> None:
    course = make_course(patient, by=clinician)
    ack = acknowledge_checkpoint(course=course, rule="r1", by=Actor(user=clinician))
    assert str(ack) == f"r1 acknowledged on course {course.pk}"
