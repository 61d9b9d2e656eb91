"""A questionnaire counts once per occurrence: sending it again (Back, a double click, a retry,
a second tab, other answers) stores one result and raises one safety notice, and a questionnaire
already sent is closed until the next one is due. Two simultaneous submissions (threads, real
transactions) store one result too."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from tests.portal.conftest import SCHEDULE_START
from trdnav.accounts.models import User
from trdnav.assessments.models import Assessment, Source
from trdnav.assessments.services import record_assessment, void_assessment
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient
from trdnav.portal.models import QuestionnaireSchedule, SafetyNotice
from trdnav.portal.services.questionnaires import submit_questionnaire
from trdnav.portal.services.schedules import status_of


def _answers(values: list[int]) -> dict[str, str]:
    data = {f"item{number}": str(value) for number, value in enumerate(values, start=1)}
    return {**data, "action": "send"}


@pytest.fixture
def as_patient(client: Client, portal_user: User) -> Client:
    client.force_login(portal_user)
    return client


@pytest.mark.django_db
def test_back_and_send_again_with_other_answers_stores_one_result_and_one_notice(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule
) -> None:
    url = f"/portal/questionnaires/{weekly_phq9.pk}/"
    assert as_patient.post(url, _answers([2] * 9))["Location"] == "/portal/help-now/"
    # Back: the page is fetched again (it is never cached) and is closed now.
    back = as_patient.get(url)
    assert back.status_code == 302 and back["Location"] == "/portal/"
    # The browser re-sends the old page anyway, with an answer changed.
    again = as_patient.post(url, _answers([2] * 8 + [3]))
    assert again["Location"] == "/portal/help-now/"  # the stored result's guidance, again
    assert Assessment.objects.count() == 1
    assert Assessment.objects.get().answers == {"items": [2] * 9}
    assert SafetyNotice.objects.count() == 1


@pytest.mark.django_db
def test_a_sent_questionnaire_is_closed_and_no_longer_listed_as_to_do(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule
) -> None:
    url = f"/portal/questionnaires/{weekly_phq9.pk}/"
    assert "Start the PHQ-9" in as_patient.get("/portal/").content.decode()
    as_patient.post(url, _answers([1] * 8 + [0]))
    home = as_patient.get("/portal/").content.decode()
    assert "Start the PHQ-9" not in home
    closed = as_patient.get(url, follow=True).content.decode()
    assert "We already have your answers" in closed
    resent = as_patient.post(url, _answers([1] * 8 + [0]), follow=True).content.decode()
    assert "Nothing new was stored" in resent
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_a_questionnaire_not_yet_due_has_no_form(
    as_patient: Client, patient: Patient, clinician: User
) -> None:
    later = QuestionnaireSchedule.objects.create(
        patient=patient, instrument="gad7", every_days=7,
        start=timezone.localdate() + timedelta(days=3), created_by=clinician,
    )  # fmt: skip
    response = as_patient.get(f"/portal/questionnaires/{later.pk}/", follow=True)
    assert "first due on" in response.content.decode()
    as_patient.post(f"/portal/questionnaires/{later.pk}/", _answers([1] * 7))
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_the_next_occurrence_is_a_new_questionnaire(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule, portal_user: User, time_machine: Any
) -> None:
    url = f"/portal/questionnaires/{weekly_phq9.pk}/"
    time_machine.move_to(SCHEDULE_START, tick=False)
    as_patient.post(url, _answers([1] * 8 + [0]))
    time_machine.move_to(SCHEDULE_START + timedelta(days=7), tick=False)
    as_patient.force_login(portal_user)  # the idle session has expired meanwhile
    as_patient.post(url, _answers([2] * 8 + [0]))
    assert Assessment.objects.count() == 2
    keys = set(Assessment.objects.values_list("idempotency_key", flat=True))
    assert keys == {f"portal-{weekly_phq9.pk}-2025-03-03", f"portal-{weekly_phq9.pk}-2025-03-10"}


def _at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together; each closes its connection."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            for _attempt in range(50):
                try:
                    results[i] = work(i)
                    break
                except OperationalError as exc:
                    # SQLite's in-memory test database (shared cache) refuses a second writer
                    # at once ("table is locked") instead of waiting; the client retries, as a
                    # browser or API client would. PostgreSQL never gets here.
                    if "locked" not in str(exc):
                        raise
                    results[i] = exc
                    time.sleep(0.02)
        except Exception as exc:  # reported by the assertion below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_one_questionnaire_store_one_and_raise_one_notice(
    weekly_phq9: QuestionnaireSchedule, portal_user: User
) -> None:
    due_on = status_of(weekly_phq9, as_of=timezone.localdate()).due_on
    assert due_on is not None

    def submit(i: int) -> int:
        schedule = QuestionnaireSchedule.objects.select_related("patient").get(pk=weekly_phq9.pk)
        done = submit_questionnaire(
            schedule=schedule, answers={"items": [2] * 8 + [1 + i % 2]}, due_on=due_on,
            by=Actor(user=portal_user),
        )  # fmt: skip
        return int(done.assessment.pk)

    results = _at_once(2, submit)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert Assessment.objects.count() == 1
    assert SafetyNotice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_api_retries_with_one_key_store_one(
    patient: Patient, clinician: User
) -> None:
    def record(i: int) -> int:
        stored = record_assessment(
            patient=Patient.objects.get(pk=patient.pk), instrument="phq9",
            answers={"items": [1] * 9}, administered_on=timezone.localdate(),
            by=Actor(user=clinician), source=Source.CLINICIAN, idempotency_key="retry-1",
        )  # fmt: skip
        return int(stored.pk)

    results = _at_once(4, record)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_a_voided_result_opens_its_questionnaire_again(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule, clinician: User
) -> None:
    url = f"/portal/questionnaires/{weekly_phq9.pk}/"
    as_patient.post(url, _answers([1] * 8 + [0]))
    void_assessment(
        assessment=Assessment.objects.get(), reason="sent by a relative", by=Actor(user=clinician)
    )
    assert "Start the PHQ-9" in as_patient.get("/portal/").content.decode()
    assert as_patient.get(url).status_code == 200
    as_patient.post(url, _answers([2] * 8 + [0]))
    assert Assessment.objects.get().answers == {"items": [2] * 8 + [0]}
    assert Assessment.all_objects.count() == 2
