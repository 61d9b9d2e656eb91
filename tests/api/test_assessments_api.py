from __future__ import annotations

from typing import Any

from django.test import Client

from trdnav.accounts.models import User
from trdnav.assessments.models import Assessment
from trdnav.audit.models import AuditEvent
from trdnav.patients.models import Patient

API = "/api/v1"
PHQ9 = {"instrument": "phq9", "answers": {"items": [2] * 9}, "administered_on": "2025-02-01"}


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_posting_item_answers_returns_the_stored_scored_result(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = _post(client, f"{API}/patients/{patient.pk}/assessments", PHQ9)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total"], body["severity"], body["safety"]) == (
        18,
        "moderately_severe",
        "positive",
    )
    assert body["result"]["knowledge_version"] == body["knowledge_version"]
    assert Assessment.objects.get().pk == body["id"]
    event = AuditEvent.objects.get(object_type="assessment", action="create")
    assert event.via == "api"


def test_wrong_answers_get_json_field_paths_and_store_nothing(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    body = {**PHQ9, "answers": {"items": [0, 0, 0, 0, 0, 0, 0, 0, "x"]}}
    response = _post(client, f"{API}/patients/{patient.pk}/assessments", body)
    assert response.status_code == 422
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == ["answers.items[8]"]
    assert not Assessment.objects.exists()


def test_an_unknown_instrument_or_a_bad_date_is_422_with_the_field(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    url = f"{API}/patients/{patient.pk}/assessments"
    unknown = _post(client, url, {**PHQ9, "instrument": "bdi2"}).json()
    assert unknown["errors"][0]["field"] == "instrument"
    bad_date = _post(client, url, {**PHQ9, "administered_on": "yesterday"}).json()
    assert bad_date["errors"][0]["field"] == "administered_on"
    extra = _post(client, url, {**PHQ9, "total": 3}).json()
    assert extra["errors"][0]["field"] == "total"
    assert not Assessment.objects.exists()


def test_a_retried_post_with_the_same_idempotency_key_stores_once(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    url = f"{API}/patients/{patient.pk}/assessments"
    first = _post(client, url, {**PHQ9, "idempotency_key": "abc"}).json()
    second = _post(client, url, {**PHQ9, "idempotency_key": "abc"}).json()
    assert first["id"] == second["id"]
    assert Assessment.objects.count() == 1


def test_the_list_is_newest_first_and_filters_by_instrument(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    url = f"{API}/patients/{patient.pk}/assessments"
    _post(client, url, PHQ9)
    _post(client, url, {**PHQ9, "administered_on": "2025-02-08"})
    _post(
        client,
        url,
        {"instrument": "cgi_s", "answers": {"score": 4}, "administered_on": "2025-02-09"},
    )
    listed = client.get(url).json()
    assert [item["administered_on"] for item in listed["items"]] == [
        "2025-02-09",
        "2025-02-08",
        "2025-02-01",
    ]
    assert client.get(url, {"instrument": "phq9"}).json()["count"] == 2


def test_another_clinics_patient_is_404_and_nothing_is_stored(
    client: Client, clinician: User, other_patient: Patient
) -> None:
    client.force_login(clinician)
    response = _post(client, f"{API}/patients/{other_patient.pk}/assessments", PHQ9)
    assert response.status_code == 404
    assert not Assessment.objects.exists()
