"""After an edit, the next page says what it changed (policy P-CH5): history trials added and
removed, the clinical profile, an assessment; and nothing is said when the edit is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.services import update_clinical_profile
from trdnav.history import document as hd
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db

HISTORY = {
    "episodes": [{"id": "e1", "start": "2023-01-10", "end": None, "severity": "moderate"}],
    "treatments": [
        {
            "id": "sertraline",
            "episode": "e1",
            "kind": "antidepressant",
            "drug": "sertraline",
            "role": "monotherapy",
            "start": "2023-02-01",
            "end": "2023-06-01",
            "doses": [{"from": "2023-02-01", "mg_per_day": 150}],
            "adherence_pct": 90,
            "outcome": "non_response",
        }
    ],
}


def _said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _revision(patient: Patient) -> str:
    return hd.revision(ClinicalProfile.objects.get(patient=patient).history)


@pytest.fixture
def one_failed(patient: Patient, clinician: User) -> Patient:
    update_clinical_profile(
        patient=patient, data={"history": HISTORY}, by=Actor(user=clinician),
        as_of=timezone.localdate(),
    )  # fmt: skip
    return patient


def _add_failed_mirtazapine(client: Client, patient: Patient) -> Any:
    form = {
        "episode": "e1",
        "drug": "mirtazapine",
        "role": "monotherapy",
        "start": "2024-01-01",
        "end": "2024-04-01",
        "adherence_pct": "90",
        "improvement_pct": "10",
        "revision": _revision(patient),
        "doses-TOTAL_FORMS": "1",
        "doses-INITIAL_FORMS": "0",
        "doses-MIN_NUM_FORMS": "0",
        "doses-MAX_NUM_FORMS": "60",
        "doses-0-from_date": "2024-01-01",
        "doses-0-mg_per_day": "30",
    }
    return client.post(f"/patients/{patient.pk}/history/treatments/new/antidepressant/", form)


def test_adding_a_second_failed_trial_says_trd_is_now_met_and_the_stage_moved(
    client: Client, clinician: User, one_failed: Patient
) -> None:
    client.force_login(clinician)
    response = _add_failed_mirtazapine(client, one_failed)
    assert response.status_code == 302, response.context["form"].errors
    (said,) = _said(response)
    assert said.startswith("TRD status: now met (2 failed adequate trials)")
    assert "Thase–Rush I → II" in said


def test_removing_it_again_says_trd_is_no_longer_met(
    client: Client, clinician: User, one_failed: Patient
) -> None:
    client.force_login(clinician)
    _add_failed_mirtazapine(client, one_failed)
    client.get(f"/patients/{one_failed.pk}/history/")  # the first message is read
    url = f"/patients/{one_failed.pk}/history/treatments/1/remove/"
    response = client.post(url, {"revision": _revision(one_failed)})
    assert response.status_code == 302
    (said,) = _said(response)
    assert said.startswith("TRD status: now not met (1 failed adequate trial)")
    assert "Thase–Rush II → I" in said


def test_a_refused_edit_says_nothing_about_changes(
    client: Client, clinician: User, one_failed: Patient
) -> None:
    client.force_login(clinician)
    stale = {"start": "2024-01-10", "severity": "moderate", "revision": "stale"}
    response = client.post(f"/patients/{one_failed.pk}/history/episodes/new/", stale)
    assert response.status_code == 400
    assert _said(response) == []


def test_a_profile_edit_that_moves_nothing_says_so(
    client: Client, clinician: User, one_failed: Patient
) -> None:
    client.force_login(clinician)
    response = client.post(f"/patients/{one_failed.pk}/clinical/", {"fact__catatonia": "present"})
    assert response.status_code == 302
    assert _said(response) == ["No change to TRD status or stages."]


def test_an_assessment_says_its_score_and_that_stages_did_not_move(
    client: Client, clinician: User, one_failed: Patient
) -> None:
    client.force_login(clinician)
    items = {f"item_{n}": "1" for n in range(1, 10)}
    data = {"administered_on": timezone.localdate().isoformat(), **items}
    response = client.post(f"/patients/{one_failed.pk}/assessments/new/phq9/", data)
    assert response.status_code == 302
    (said,) = _said(response)
    assert said.startswith("Recorded PHQ-9") and said.endswith("No change to TRD status or stages.")
