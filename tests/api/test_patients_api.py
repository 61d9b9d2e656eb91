from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from trdnav.accounts.models import User
from trdnav.accounts.tokens import issue_token, revoke_token
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient

API = "/api/v1"
NEW = {
    "record_number": "N-300",
    "given_name": "Kim",
    "family_name": "Lee",
    "date_of_birth": "1988-09-09",
}


def _bearer(user: User) -> dict[str, Any]:
    _, raw = issue_token(user=user, name="test", by=Actor(user=user))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client: Client, url: str, body: dict[str, Any], **extra: Any) -> Any:
    return client.post(url, body, content_type="application/json", **extra)


def test_the_openapi_schema_is_served_and_names_the_directions(client: Client, db: None) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/patients" in schema["paths"]
    assert {"PatientIn", "PatientOut", "PatientPatchIn"} <= set(schema["components"]["schemas"])


def test_a_bearer_token_acts_with_its_owners_permissions(
    client: Client, clinician: User, patient: Patient, other_patient: Patient
) -> None:
    response = client.get(f"{API}/patients", **_bearer(clinician))
    assert response.status_code == 200
    assert [p["record_number"] for p in response.json()["items"]] == ["N-001"]
    event = AuditEvent.objects.get(object_type="patient_list")
    assert (event.actor_id, event.via) == (clinician.pk, "api")


def test_no_credentials_or_a_revoked_token_is_401(client: Client, clinician: User) -> None:
    assert client.get(f"{API}/patients").status_code == 401
    token, raw = issue_token(user=clinician, name="t", by=Actor(user=clinician))
    revoke_token(token=token, by=Actor(user=clinician))
    response = client.get(f"{API}/patients", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_creating_through_the_api_stores_and_audits(client: Client, clinician: User) -> None:
    response = _post(client, f"{API}/patients", NEW, **_bearer(clinician))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["record_number"], body["active"], body["sex"]) == ("N-300", True, "")
    assert AuditEvent.objects.filter(action=Action.CREATE, patient_id=body["id"]).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "date_of_birth": "1988-02-30"}, "date_of_birth"),
        ({**NEW, "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({**NEW, "sex": "robot"}, "sex"),
        ({**NEW, "email": "nope"}, "email"),
        ({**NEW, "record_number": ""}, "record_number"),
        ({**NEW, "shoe_size": 9}, "shoe_size"),
        ({k: v for k, v in NEW.items() if k != "family_name"}, "family_name"),
    ],
)
def test_bad_input_is_a_422_with_field_paths_and_stores_nothing(
    client: Client, clinician: User, body: dict[str, Any], field: str
) -> None:
    response = _post(client, f"{API}/patients", body, **_bearer(clinician))
    assert response.status_code == 422
    payload = response.json()
    assert payload["detail"] == "invalid input"
    assert [error["field"] for error in payload["errors"]] == [field]
    assert all(error["message"] for error in payload["errors"])
    assert not Patient.objects.exists()


def test_a_body_that_is_not_json_is_a_clear_error(client: Client, clinician: User) -> None:
    response = client.post(
        f"{API}/patients", "{not json", content_type="application/json", **_bearer(clinician)
    )
    assert response.status_code in (400, 422)
    assert not Patient.objects.exists()


def test_a_duplicate_record_number_is_a_field_error(
    client: Client, clinician: User, patient: Patient
) -> None:
    body = {**NEW, "record_number": patient.record_number}
    response = _post(client, f"{API}/patients", body, **_bearer(clinician))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "record_number"


def test_patch_changes_only_the_fields_sent(
    client: Client, clinician: User, patient: Patient
) -> None:
    response = client.patch(
        f"{API}/patients/{patient.pk}",
        {"email": "a@example.org"},
        content_type="application/json",
        **_bearer(clinician),
    )
    assert response.status_code == 200
    patient.refresh_from_db()
    assert (patient.email, patient.given_name) == ("a@example.org", "Alex")
    assert AuditEvent.objects.filter(action=Action.UPDATE, patient_id=patient.pk).exists()


def test_reading_one_patient_is_audited(client: Client, staff: User, patient: Patient) -> None:
    response = client.get(f"{API}/patients/{patient.pk}", **_bearer(staff))
    assert response.status_code == 200 and response.json()["id"] == patient.pk
    assert AuditEvent.objects.filter(action=Action.VIEW, patient_id=patient.pk).exists()


def test_a_session_needs_the_csrf_token_for_unsafe_methods(clinician: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(clinician)
    assert client.get(f"{API}/patients").status_code == 200
    refused = _post(client, f"{API}/patients", NEW)
    assert refused.status_code == 403
    assert not Patient.objects.exists()
    client.get("/accounts/tokens/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = _post(client, f"{API}/patients", NEW, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_me_reports_the_role_and_clinic(client: Client, staff: User) -> None:
    assert client.get(f"{API}/me", **_bearer(staff)).json() == {
        "username": "nurse-north",
        "clinic": "north",
        "role": "staff",
    }


def test_list_limits_are_validated(client: Client, clinician: User) -> None:
    response = client.get(f"{API}/patients", {"limit": 0}, **_bearer(clinician))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"
