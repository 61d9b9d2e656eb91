"""Contract tests with recorded requests (tests/fixtures/cds/): discovery, the service with and
without prefetch, and its errors, each response checked against the CDS Hooks 2.0 rules."""

from __future__ import annotations

import copy
from typing import Any

from django.test import Client
from django.utils import timezone

from tests.cds.helpers import (
    BASE,
    SERVICE,
    SERVICE_URL,
    bearer,
    check_response,
    recorded,
    stub_fhir,
    token,
)
from trdnav.audit.models import AuditEvent
from trdnav.cds.cards import COURSES_NOT_READ
from trdnav.core.knowledge import load_therapies
from trdnav.core.recommend import OptionStatus, parse_patient, recommend
from trdnav.interop.condition import read_condition
from trdnav.interop.medication import read_medication_statement
from trdnav.patients.models import Patient

URL = f"/cds-services/{SERVICE}"


def _post(client: Client, body: Any, jwt_token: str | None = None) -> Any:
    headers = bearer(jwt_token or token()) if jwt_token != "" else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_discovery_lists_the_patient_view_service_with_its_prefetch_templates(
    client: Client, db: None
) -> None:
    response = client.get("/cds-services")
    assert response.status_code == 200
    (service,) = response.json()["services"]
    assert service["hook"] == "patient-view" and service["id"] == SERVICE
    assert service["title"] and service["description"]
    assert service["prefetch"] == {
        "patient": "Patient/{{context.patientId}}",
        "conditions": "Condition?patient={{context.patientId}}",
        "medications": "MedicationStatement?patient={{context.patientId}}",
        "scores": "Observation?patient={{context.patientId}}&category=survey",
    }


def test_with_prefetch_the_cards_show_safety_status_and_options(
    client: Client, matched: Patient
) -> None:
    response = _post(client, recorded("patient-view-prefetch.json"))
    assert response.status_code == 200, response.content
    body = response.json()
    check_response(body)
    cards = body["cards"]
    critical = [c for c in cards if c["indicator"] == "critical"]
    assert len(critical) == 1 and "PHQ-9" in critical[0]["summary"]
    status = next(c for c in cards if c["summary"].startswith("TRD criteria"))
    assert "TRD criteria met (2 failed adequate antidepressant trials)" in status["summary"]
    assert "Thase–Rush stage II" in status["summary"]
    assert "sertraline" in status["detail"] and "1 conditions" in status["detail"]
    # Courses are read only as history entries, which have no FHIR form (P-CDS2).
    assert COURSES_NOT_READ in status["detail"]
    options = [c for c in cards if c["summary"].startswith("Option ")]
    assert len(options) == 3
    for card in options:
        evidence = card["links"][0]["url"]
        assert evidence.startswith(f"{BASE}/guide/treatments/")
    page = f"{BASE}/patients/{matched.pk}/"
    assert all(any(link["url"] == page for link in c["links"]) for c in cards)
    event = AuditEvent.objects.get(object_type="cds_patient_view")
    assert event.patient_id == matched.pk and event.via == "cds"
    assert event.clinic == matched.clinic and event.actor is None
    assert "Alex" not in event.summary and "N-001" not in event.summary


def test_the_options_are_the_engines_top_ranked_never_a_contraindicated_one(
    client: Client, matched: Patient
) -> None:
    """The cards show what the engine ranks, in its order; the engine never ranks a
    contraindicated option (P-O2), and the service adds no rule of its own."""
    body = recorded("patient-view-prefetch.json")
    # Psychotic features in the current episode make some options contraindicated.
    episode = body["prefetch"]["conditions"]["entry"][0]["resource"]
    episode["extension"][0]["extension"].append({"url": "psychotic_features", "valueBoolean": True})
    episode["extension"][0]["extension"] = [
        e for e in episode["extension"][0]["extension"] if e["url"] != "severity"
    ] + [{"url": "severity", "valueString": "severe_with_psychosis"}]
    response = _post(client, body)
    assert response.status_code == 200, response.content
    shown = [
        c["links"][0]["url"].rstrip("/").rsplit("/", 1)[1]
        for c in response.json()["cards"]
        if c["summary"].startswith("Option ")
    ]
    history = {
        "episodes": [read_condition(episode)],
        "treatments": [
            read_medication_statement(e["resource"])
            for e in body["prefetch"]["medications"]["entry"]
        ],
    }
    knowledge = load_therapies()
    engine = recommend(
        parse_patient({"history": history, "date_of_birth": "1980-05-17"}, knowledge,
                      as_of=timezone.localdate()),
        knowledge, as_of=timezone.localdate(),
    )  # fmt: skip
    assert shown == [o.id for o in engine.ranked()[:3]]
    contraindicated = {o.id for o in engine.options if o.status is OptionStatus.CONTRAINDICATED}
    assert contraindicated, "the scenario must contraindicate something"
    assert not contraindicated & set(shown)


def test_an_unmatched_patient_still_gets_cards_and_the_call_is_audited(
    client: Client, north: Any
) -> None:
    response = _post(client, recorded("patient-view-prefetch.json"))
    assert response.status_code == 200
    cards = response.json()["cards"]
    urls = [link["url"] for c in cards for link in c.get("links", [])]
    assert cards and not [u for u in urls if "/patients/" in u]
    event = AuditEvent.objects.get(object_type="cds_patient_view")
    assert event.patient_id is None and "not matched" in event.summary


def test_another_clinics_record_with_the_same_number_is_not_matched(
    client: Client, north: Any
) -> None:
    from tests.factories import make_clinic, make_patient

    make_patient(make_clinic("south"), "N-001")
    response = _post(client, recorded("patient-view-prefetch.json"))
    assert response.status_code == 200
    assert AuditEvent.objects.get(object_type="cds_patient_view").patient_id is None


def test_without_prefetch_the_service_reads_the_fhir_server_with_the_bearer_token(
    client: Client, matched: Patient
) -> None:
    with stub_fhir(recorded("fhir-server.json")) as fhir:
        body = recorded("patient-view-no-prefetch.json")
        body["fhirServer"] = fhir.url
        response = _post(client, body)
    assert response.status_code == 200, response.content
    check_response(response.json())
    read = {path.split("?")[0] for path, _ in fhir.seen}
    searched = {"/fhir/Condition", "/fhir/MedicationStatement", "/fhir/Observation"}
    assert read == {"/fhir/Patient/ehr-4711", *searched}
    assert {auth for _, auth in fhir.seen} == {"Bearer opaque-ehr-token"}
    with_prefetch = _post(client, recorded("patient-view-prefetch.json")).json()["cards"]
    assert [c["summary"] for c in response.json()["cards"]] == [c["summary"] for c in with_prefetch]


def test_partial_prefetch_reads_only_the_missing_keys(client: Client, matched: Patient) -> None:
    body = recorded("patient-view-prefetch.json")
    del body["prefetch"]["scores"]
    auth = recorded("patient-view-no-prefetch.json")
    with stub_fhir(recorded("fhir-server.json")) as fhir:
        body |= {"fhirServer": fhir.url, "fhirAuthorization": auth["fhirAuthorization"]}
        response = _post(client, body)
    assert response.status_code == 200
    assert [path.split("?")[0] for path, _ in fhir.seen] == ["/fhir/Observation"]
    assert any(c["indicator"] == "critical" for c in response.json()["cards"])


def test_missing_prefetch_without_a_fhir_server_is_412(client: Client, matched: Patient) -> None:
    body = recorded("patient-view-prefetch.json")
    del body["prefetch"]["medications"]
    response = _post(client, body)
    assert response.status_code == 412
    assert set(response.json()["missing"]) == {"medications"}
    assert not AuditEvent.objects.filter(object_type="cds_patient_view").exists()


def test_a_failing_fhir_server_is_412_naming_the_keys(client: Client, matched: Patient) -> None:
    with stub_fhir(recorded("fhir-server.json"), status=503) as fhir:
        body = recorded("patient-view-no-prefetch.json")
        body["fhirServer"] = fhir.url
        response = _post(client, body)
    assert response.status_code == 412
    assert set(response.json()["missing"]) == {"patient", "conditions", "medications", "scores"}
    assert "Alex" not in response.content.decode()


def test_an_unreachable_fhir_server_is_412(client: Client, matched: Patient) -> None:
    response = _post(client, recorded("patient-view-no-prefetch.json"))  # port 1: refused
    assert response.status_code == 412


def test_null_prefetch_means_no_data(client: Client, matched: Patient) -> None:
    body = recorded("patient-view-prefetch.json")
    body["prefetch"] |= {"conditions": None, "medications": None, "scores": None}
    response = _post(client, body)
    assert response.status_code == 200
    (card,) = response.json()["cards"]
    assert card["summary"].startswith("No treatment history")


def test_a_null_patient_is_412(client: Client, matched: Patient) -> None:
    body = recorded("patient-view-prefetch.json")
    body["prefetch"]["patient"] = None
    assert _post(client, body).status_code == 412


def test_malformed_context_is_400_naming_each_field(client: Client, north: Any) -> None:
    response = _post(client, recorded("patient-view-malformed.json"))
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {
        "hookInstance",
        "context.userId",
        "context.patientId",
        "fhirServer",
        "fhirAuthorization.expires_in",
        "fhirAuthorization.scope",
        "fhirAuthorization.subject",
        "fhirAuthorization.token_type",
    }


def test_malformed_prefetch_is_400(client: Client, north: Any) -> None:
    body = recorded("patient-view-prefetch.json")
    bad = copy.deepcopy(body)
    bad["prefetch"]["conditions"] = {"resourceType": "Condition"}
    bad["prefetch"]["other"] = {}
    response = _post(client, bad)
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"prefetch.other"}
    del bad["prefetch"]["other"]
    response = _post(client, bad)
    assert [e["field"] for e in response.json()["errors"]] == ["prefetch.conditions"]


def test_bad_json_and_a_wrong_hook_are_400(client: Client, north: Any) -> None:
    response = client.post(URL, "{not json", content_type="application/json",
                           headers=bearer(token()))  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"
    body = recorded("patient-view-prefetch.json") | {"hook": "order-sign"}
    response = _post(client, body)
    assert [e["field"] for e in response.json()["errors"]] == ["hook"]


def test_an_unknown_service_is_404_and_get_is_405(client: Client, north: Any) -> None:
    response = client.post("/cds-services/other", {}, content_type="application/json")
    assert response.status_code == 404
    assert client.get(URL).status_code == 405


def test_the_audience_is_the_endpoint_called(client: Client, matched: Patient) -> None:
    assert SERVICE_URL.endswith(URL)
    response = _post(client, recorded("patient-view-prefetch.json"), token(f"{BASE}/cds-services"))
    assert response.status_code == 401
