"""The clinical-profile API carries the patient context: facts present (plain or dated), absent
facts, and medications not recorded / none / listed; the options API returns what the engine
says about them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from trdnav.accounts.models import User
from trdnav.clinical.models import ClinicalProfile
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db


def _url(patient: Patient, what: str = "clinical-profile") -> str:
    return f"/api/v1/patients/{patient.pk}/{what}"


def _patch(client: Client, patient: Patient, body: dict[str, Any]) -> Any:
    return client.patch(_url(patient), body, content_type="application/json")


def test_the_new_fields_are_accepted_and_returned(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    body = {
        "facts": [
            "psychotic_features",
            {"code": "myocardial_infarction", "on": "2024-10-10"},
            {"code": "pregnancy", "trimester": 2},
        ],
        "absent_facts": ["bipolar_i", "seizure_disorder"],
        "medications": ["sertraline", {"name": "fluoxetine", "stopped_on": "2024-11-01"}],
    }
    response = _patch(client, patient, body)
    assert response.status_code == 200
    out = response.json()
    assert {k: out[k] for k in body} == body
    assert client.get(_url(patient)).json() == out


def test_a_new_profile_reads_medications_as_not_recorded(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    out = client.get(_url(patient)).json()
    assert out["medications"] is None
    assert (out["facts"], out["absent_facts"]) == ([], [])


def test_null_medications_mean_not_recorded_and_an_empty_list_means_none(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    assert _patch(client, patient, {"medications": []}).json()["medications"] == []
    assert ClinicalProfile.objects.get().medications == []
    assert _patch(client, patient, {"medications": None}).json()["medications"] is None
    assert ClinicalProfile.objects.get().medications is None
    # A PATCH without the key leaves the list alone.
    _patch(client, patient, {"medications": ["lithium"]})
    assert _patch(client, patient, {"facts": []}).json()["medications"] == ["lithium"]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"facts": [{"code": "stroke", "on": "10/10/2024"}]}, "facts[0].on"),
        ({"facts": ["catatonia", {"code": "pregnancy", "trimester": 5}]}, "facts[1].trimester"),
        ({"facts": [{"code": "stroke", "when": "2024-01-01"}]}, "facts[0].when"),
        ({"absent_facts": ["catatonia", "flying"]}, "absent_facts[1]"),
        ({"facts": ["catatonia"], "absent_facts": ["catatonia"]}, "absent_facts[0]"),
        ({"medications": [{"name": "fluoxetine", "stopped_on": "x"}]}, "medications[0].stopped_on"),
        ({"medications": [{"drug": "fluoxetine"}]}, "medications[0].drug"),
        ({"facts": None}, "facts"),
        ({"absent_facts": "catatonia"}, "absent_facts"),
        ({"age": 40}, "age"),
    ],
    ids=[
        "a date not in ISO form",
        "a fifth trimester",
        "an unknown key in a fact",
        "an unknown absent code",
        "present and absent at once",
        "a stop date that is not a date",
        "an unknown key in a medication",
        "facts sent as null",
        "absent facts not a list",
        "an age (it comes from the date of birth)",
    ],
)
def test_wrong_input_is_refused_with_the_field_path_and_nothing_changes(
    client: Client, clinician: User, patient: Patient, body: dict[str, Any], path: str
) -> None:
    client.force_login(clinician)
    _patch(client, patient, {"facts": ["catatonia"], "medications": []})
    before = client.get(_url(patient)).json()
    response = _patch(client, patient, body)
    assert response.status_code == 422
    assert path in [error["field"] for error in response.json()["errors"]]
    assert client.get(_url(patient)).json() == before


def test_the_openapi_schema_documents_the_new_fields(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    schema = client.get("/api/v1/openapi.json").json()
    parts = schema["components"]["schemas"]
    into, out = parts["ClinicalProfileIn"]["properties"], parts["ClinicalProfileOut"]["properties"]
    assert {"facts", "absent_facts", "medications", "preferences", "history"} <= set(into)
    assert {"facts", "absent_facts", "medications"} <= set(out)
    fact = str(into["facts"])
    assert "trimester" in fact and "'on'" in fact
    assert "stopped_on" in str(into["medications"])
    assert "not recorded" in str(out["medications"])


def test_the_options_api_reports_unknowns_to_check_and_warnings_as_objects(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    _patch(client, patient, {"facts": ["catatonia"]})
    body = client.get(_url(patient, "options") + "?as_of=2026-11-30").json()
    assert body["patient"]["date_of_birth"] == patient.date_of_birth.isoformat()
    assert body["patient"]["medications"] is None
    assert body["to_check"], "nothing checked: the engine lists what to check"
    first = body["to_check"][0]
    assert {"fact", "options", "rules"} <= set(first)
    for warning in body["warnings"]:
        assert {"kind", "text", "severity", "source", "citation", "status"} <= set(warning)
    for option in body["options"]:
        assert isinstance(option["unknowns"], list)
        assert isinstance(option["interactions"], list)
    assert not any(o["status"] == "suitable" and o["unknowns"] for o in body["options"])


def test_the_options_api_body_is_exactly_the_engines_result(
    client: Client, clinician: User, patient: Patient
) -> None:
    from datetime import date

    from trdnav.clinical.services import options_for

    client.force_login(clinician)
    _patch(client, patient, {"facts": ["catatonia"], "medications": ["sertraline"]})
    body = client.get(_url(patient, "options") + "?as_of=2026-11-30").json()
    assert body == options_for(patient=patient, as_of=date(2026, 11, 30)).to_dict()
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert {"warnings", "to_check", "options"} <= set(schema["OptionsOut"]["properties"])
    assert {"unknowns", "interactions"} <= set(schema["OptionOut"]["properties"])


def test_an_as_of_before_the_date_of_birth_is_a_field_error_not_a_500(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.get(_url(patient, "options") + "?as_of=1970-01-01")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "date_of_birth"
