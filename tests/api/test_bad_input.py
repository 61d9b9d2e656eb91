"""Bad input is a clear 4xx, never a 500: each cause the security probe found (null lists,
huge offsets, NUL bytes and lone surrogates, deep nesting and huge integers, null patient
fields), the size and plausibility limits, and 401 for calls without credentials. Runs on
SQLite and on PostgreSQL (``DATABASE_URL``); the NUL cases were 500s on PostgreSQL only."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client

from tests.personas import PERSONAS
from trdnav.accounts.models import User
from trdnav.accounts.tokens import issue_token
from trdnav.assessments.models import Assessment
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.core.limits import MAX_JSON_DEPTH, MAX_LIST_ITEMS, MAX_OFFSET
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db
API = "/api/v1"
BEN = PERSONAS["ben"].history


@pytest.fixture
def bearer(clinician: User) -> dict[str, Any]:
    _, raw = issue_token(user=clinician, name="t", by=Actor(user=clinician))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _send(client: Client, method: str, url: str, body: Any, auth: dict[str, Any]) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.generic(method, url, data, content_type="application/json", **auth)


def _fields(response: Any) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json().get("errors", [])}


# Medications are the exception: null there means "not recorded" (unknown to the engine).
@pytest.mark.parametrize("field", ["facts", "absent_facts", "preferences"])
def test_a_null_list_in_the_profile_patch_is_refused_naming_the_field(
    client: Client, bearer: dict[str, Any], patient: Patient, field: str
) -> None:
    url = f"{API}/patients/{patient.pk}/clinical-profile"
    response = _send(client, "PATCH", url, {field: None}, bearer)
    assert response.status_code == 422
    assert field in _fields(response)


def test_a_huge_medication_list_is_refused(
    client: Client, bearer: dict[str, Any], patient: Patient
) -> None:
    url = f"{API}/patients/{patient.pk}/clinical-profile"
    body = {"medications": [f"drug{i}" for i in range(MAX_LIST_ITEMS + 1)]}
    response = _send(client, "PATCH", url, body, bearer)
    assert response.status_code == 422
    assert "medications" in _fields(response)
    assert not ClinicalProfile.objects.exists()


@pytest.mark.parametrize("offset", [2**63, 2**64, MAX_OFFSET + 1, 10**30])
@pytest.mark.parametrize("what", ["patients", "patients/{pk}/assessments"])
def test_an_offset_beyond_the_limit_is_422_not_a_database_overflow(
    client: Client, bearer: dict[str, Any], patient: Patient, offset: int, what: str
) -> None:
    url = f"{API}/{what.format(pk=patient.pk)}?offset={offset}"
    response = client.get(url, **bearer)
    assert response.status_code == 422
    assert "offset" in _fields(response)
    at_limit = client.get(f"{API}/{what.format(pk=patient.pk)}?offset={MAX_OFFSET}", **bearer)
    assert at_limit.status_code == 200


@pytest.mark.parametrize("query", ["q=a%00b", "instrument=phq%009", "q=%00", "limit=5&q=x%00"])
def test_a_nul_character_in_a_query_string_is_400(
    client: Client, bearer: dict[str, Any], patient: Patient, query: str
) -> None:
    base = "patients" if query.startswith(("q", "limit")) else f"patients/{patient.pk}/assessments"
    response = client.get(f"{API}/{base}?{query}", **bearer)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "query"


def test_a_nul_character_in_a_page_address_is_400(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    assert client.get("/patients/?q=ab%00c").status_code == 400
    assert client.get("/portal/invitation/abc%00def/").status_code == 400


@pytest.mark.parametrize(
    ("field", "value"),
    [("given_name", "a\u0000b"), ("gender_identity", "x\u0000"), ("family_name", "\ud800")],
)
def test_a_nul_or_lone_surrogate_in_a_new_patient_is_422_and_nothing_is_stored(
    client: Client, bearer: dict[str, Any], field: str, value: str
) -> None:
    body = {
        "record_number": "U-1",
        "given_name": "Ann",
        "family_name": "Fox",
        "date_of_birth": "1970-01-01",
        field: value,
    }
    # json.dumps escapes both (\\u0000, \\ud800), as a client library would send them.
    response = _send(client, "POST", f"{API}/patients", body, bearer)
    assert response.status_code == 422
    assert field in _fields(response)
    assert not Patient.objects.filter(record_number="U-1").exists()


def test_a_nul_in_an_idempotency_key_is_422(
    client: Client, bearer: dict[str, Any], patient: Patient
) -> None:
    body = {
        "instrument": "phq9",
        "answers": {"items": [1] * 9},
        "administered_on": "2025-01-01",
        "idempotency_key": "k\u0000",
    }
    response = _send(client, "POST", f"{API}/patients/{patient.pk}/assessments", body, bearer)
    assert response.status_code == 422
    assert "idempotency_key" in _fields(response)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("episodes", 0, "id"), "cur\u0000rent"),
        (("treatments", 0, "notes"), "\ud800"),
        (("treatments", 1, "notes"), "a\u0000"),
    ],
)
def test_a_nul_or_lone_surrogate_anywhere_in_a_history_is_422_with_its_path(
    client: Client, bearer: dict[str, Any], patient: Patient, path: tuple[Any, ...], value: str
) -> None:
    history = copy.deepcopy(BEN)
    target: Any = history
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    response = _send(client, "PUT", f"{API}/patients/{patient.pk}/history", history, bearer)
    assert response.status_code == 422
    assert f"{path[0]}[{path[1]}].{path[2]}" in _fields(response)
    assert not ClinicalProfile.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        '{"episodes": ' + "[" * 1000 + "]" * 1000 + "}",
        '{"episodes": [' + "9" * 5000 + "]}",
        '{"episodes": NaN}',
        '{"episodes": 1e999}',
    ],
    ids=["nested-1000", "integer-5000-digits", "nan", "infinity"],
)
def test_deep_nesting_huge_numbers_and_nan_in_an_api_body_are_refused(
    client: Client, bearer: dict[str, Any], patient: Patient, body: str
) -> None:
    response = _send(client, "PUT", f"{API}/patients/{patient.pk}/history", body, bearer)
    assert response.status_code == 422
    assert response.json()["detail"] == "invalid input"
    assert "body" in _fields(response)


def test_an_unparsable_body_is_a_documented_json_400(
    client: Client, bearer: dict[str, Any], patient: Patient
) -> None:
    response = _send(client, "PUT", f"{API}/patients/{patient.pk}/history", "{nope", bearer)
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    schema = client.get(f"{API}/openapi.json").json()
    put = schema["paths"]["/api/v1/patients/{patient_id}/history"]["put"]
    assert "400" in put["responses"]


def test_a_body_over_the_upload_limit_is_a_json_400(
    client: Client, bearer: dict[str, Any], patient: Patient
) -> None:
    big = json.dumps({"medications": ["x" * 1000] * 3000})  # about 3 MB
    url = f"{API}/patients/{patient.pk}/clinical-profile"
    response = _send(client, "PATCH", url, big, bearer)
    assert response.status_code == 400
    assert response.json() == {"detail": "request body too large"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "x" * 1_000_000}, "treatments[0].id"),
        ({"doses": [{"from": "2025-03-01", "mg_per_day": 1e300}]}, "mg_per_day"),
        ({"improvement_pct": -1e300}, "treatments[0].improvement_pct"),
        ({"notes": "n" * 5001}, "treatments[0].notes"),
        ({"start": "0001-01-01"}, "treatments[0].start"),
    ],
    ids=["huge-id", "huge-dose", "huge-worsening", "long-notes", "year-1"],
)
def test_implausible_history_values_are_refused_with_their_path(
    client: Client, bearer: dict[str, Any], patient: Patient, change: dict[str, Any], field: str
) -> None:
    history = copy.deepcopy(BEN)
    history["treatments"][0].update(change)
    response = _send(client, "PUT", f"{API}/patients/{patient.pk}/history", history, bearer)
    assert response.status_code == 422
    assert any(field in name for name in _fields(response)), _fields(response)


@pytest.mark.parametrize("field", ["sex", "gender_identity", "email", "given_name", "active"])
def test_a_null_patient_field_is_refused_naming_that_field(
    client: Client, bearer: dict[str, Any], patient: Patient, field: str
) -> None:
    response = _send(client, "PATCH", f"{API}/patients/{patient.pk}", {field: None}, bearer)
    assert response.status_code == 422
    assert list(_fields(response)) == [field]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "patients"),
        ("PATCH", "patients/{pk}"),
        ("PUT", "patients/{pk}/history"),
        ("POST", "patients/{pk}/assessments"),
        ("PATCH", "patients/{pk}/clinical-profile"),
    ],
)
def test_unsafe_calls_without_credentials_are_401_not_a_csrf_403(
    client: Client, patient: Patient, method: str, path: str
) -> None:
    response = _send(client, method, f"{API}/{path.format(pk=patient.pk)}", {}, {})
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_logged_in_session_still_needs_the_csrf_token_for_unsafe_calls(
    clinician: User, patient: Patient
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(clinician)
    response = _send(client, "PATCH", f"{API}/patients/{patient.pk}", {"email": ""}, {})
    assert response.status_code == 403


def test_the_html_history_import_refuses_deep_nesting_and_huge_integers_with_a_field_error(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    url = f"/patients/{patient.pk}/history/import/"
    deep = '{"episodes": ' + "[" * 1000 + "]" * 1000 + "}"
    huge = '{"episodes": [' + "9" * 5000 + "]}"
    nul = json.dumps({**BEN, "episodes": [{**BEN["episodes"][0], "id": "a\u0000"}]})
    for text, fragment in (
        (deep, f"more than {MAX_JSON_DEPTH} levels"),
        (huge, "longer than"),
        (nul, "NUL"),
    ):
        response = client.post(url, {"history": text, "revision": ""})
        assert response.status_code == 400
        assert fragment in str(response.context["form"].errors["history"])
    assert not ClinicalProfile.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"active": 0}, "active"),
        ({"active": "yes"}, "active"),
        ({"date_of_birth": 0}, "date_of_birth"),
        ({"date_of_birth": "1970-1-1"}, "date_of_birth"),
        ({"date_of_birth": "1000-01-01"}, "date_of_birth"),
    ],
)
def test_lax_booleans_and_dates_are_refused(
    client: Client, bearer: dict[str, Any], patient: Patient, body: dict[str, Any], field: str
) -> None:
    response = _send(client, "PATCH", f"{API}/patients/{patient.pk}", body, bearer)
    assert response.status_code == 422
    assert field in _fields(response)


def test_a_timestamp_is_not_a_date_in_a_query(
    client: Client, bearer: dict[str, Any], patient: Patient
) -> None:
    response = client.get(f"{API}/patients/{patient.pk}/options?as_of=0", **bearer)
    assert response.status_code == 422
    assert "as_of" in _fields(response)
