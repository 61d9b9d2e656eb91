"""The patient's questionnaire form: generated from the definition, nothing partial stored,
resumable from the session, safe to submit twice; safety answers show crisis guidance."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.portal.conftest import SCHEDULE_START
from trdnav.accounts.models import User
from trdnav.patients.models import Patient
from trdnav.portal.models import QuestionnaireSchedule, SafetyNotice

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_patient(client: Client, portal_user: User) -> Client:
    client.force_login(portal_user)
    return client


def answers(values: list[int], key: str = "k1", action: str = "send") -> dict[str, str]:
    data = {f"item{number}": str(value) for number, value in enumerate(values, start=1)}
    return {**data, "idempotency_key": key, "action": action}


def test_the_form_has_a_fieldset_with_a_legend_and_labelled_radios_per_item(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule
) -> None:
    page = as_patient.get(f"/portal/questionnaires/{weekly_phq9.pk}/").content.decode()
    assert page.count("<fieldset") == 9
    assert page.count("<legend>") == 9
    assert page.count('type="radio"') == 36
    assert "Thoughts of being better off dead or of self-harm" in page
    assert "Over the last 2 weeks" in page
    # No key in the page: the server keys a submission by the schedule's occurrence, so a
    # page shown again (Back, reload) cannot start a second submission.
    assert 'name="idempotency_key"' not in page


def test_a_partly_answered_form_stores_nothing_and_keeps_the_answers_for_later(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule
) -> None:
    url = f"/portal/questionnaires/{weekly_phq9.pk}/"
    response = as_patient.post(url, answers([1, 2, 1]))
    assert response.status_code == 400
    assert response.content.decode().count("Please choose an answer") == 6
    assert not SafetyNotice.objects.exists()
    again = as_patient.get(url).content.decode()
    assert again.count("checked") == 3


def test_keep_for_later_saves_a_draft_in_the_session_only(
    as_patient: Client, weekly_phq9: QuestionnaireSchedule
) -> None:
    url = f"/portal/questionnaires/{weekly_phq9.pk}/"
    response = as_patient.post(url, answers([3, 3], key="draft-key", action="draft"))
    assert response["Location"] == "/portal/"
    assert "Continue the PHQ-9" in as_patient.get("/portal/").content.decode()
    resumed = as_patient.get(url).content.decode()
    assert resumed.count("checked") == 2


def test_another_patients_schedule_is_not_found(as_patient: Client, other_patient: Patient) -> None:
    foreign = QuestionnaireSchedule.objects.create(
        patient=other_patient, instrument="phq9", every_days=7, start=SCHEDULE_START
    )
    assert as_patient.get(f"/portal/questionnaires/{foreign.pk}/").status_code == 404
    assert (
        as_patient.post(f"/portal/questionnaires/{foreign.pk}/", answers([0] * 9)).status_code
        == 404
    )
