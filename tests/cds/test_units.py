"""The pieces: the issuer configuration, summaries, request checks, the FHIR reader."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.cds.helpers import key_set, recorded, stub_fhir
from trdnav.cds.cards import SUMMARY_LIMIT, summary
from trdnav.cds.clinical import clinical_input, latest_by_instrument
from trdnav.cds.hook_request import parse_hook_request
from trdnav.cds.issuers import parse_issuers
from trdnav.cds.prefetch import FhirReader
from trdnav.core.errors import InvalidInput

GOOD = {"iss": "https://ehr.example.org", "clinic": "north", "jwks": {"keys": []}}


def test_no_issuers_configured_means_none() -> None:
    assert parse_issuers("") == {}


def test_an_issuer_entry_is_read() -> None:
    entry = {**GOOD, "jwks": key_set(), "algorithms": ["ES384"],
             "patient_identifier_system": "urn:oid:1.2"}  # fmt: skip
    (issuer,) = parse_issuers(json.dumps([entry])).values()
    assert issuer.algorithms == ("ES384",) and issuer.patient_identifier_system == "urn:oid:1.2"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{", "not valid JSON"),
        ("{}", "JSON list"),
        ("[1]", "[0]: must be an object"),
        (json.dumps([{**GOOD, "extra": 1}]), "unknown keys"),
        (json.dumps([{**GOOD, "iss": ""}]), "iss must be"),
        (json.dumps([{**GOOD, "clinic": None}]), "clinic must be"),
        (json.dumps([{**GOOD, "jwks_url": "https://x/j"}]), "exactly one of"),
        (json.dumps([{k: v for k, v in GOOD.items() if k != "jwks"}]), "exactly one of"),
        (json.dumps([{**GOOD, "jwks": None, "jwks_url": "ftp://x"}]), "http(s) URL"),
        (json.dumps([{**GOOD, "jwks": {"k": 1}}]), "JWK Set"),
        (json.dumps([{**GOOD, "algorithms": ["HS256"]}]), "algorithms must be"),
        (json.dumps([GOOD, GOOD]), "listed twice"),
    ],
)
def test_a_bad_issuer_configuration_stops_start_up(raw: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"TRDNAV_CDS_ISSUERS") as caught:
        parse_issuers(raw)
    assert message in str(caught.value)


def test_summaries_stay_under_140_characters() -> None:
    assert summary("short  text") == "short text"
    long = summary("word " * 60)
    assert len(long) <= SUMMARY_LIMIT < 140 and long.endswith("…")


def test_a_request_body_must_be_an_object() -> None:
    with pytest.raises(InvalidInput, match="body"):
        parse_hook_request([])
    body = recorded("patient-view-prefetch.json")
    with pytest.raises(InvalidInput) as caught:
        parse_hook_request({**body, "prefetch": [], "surprise": 1,
                            "context": {"userId": "Device/1", "patientId": "a/b"}})  # fmt: skip
    assert {e.field for e in caught.value.errors} == {
        "prefetch", "surprise", "context.userId", "context.patientId"
    }  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        parse_hook_request({**body, "context": "x", "fhirServer": "nope",
                            "fhirAuthorization": "x"})  # fmt: skip
    assert {e.field for e in caught.value.errors} == {
        "context", "fhirServer", "fhirAuthorization"
    }  # fmt: skip


def test_resources_outside_the_profile_are_skipped_and_counted() -> None:
    prefetch = recorded("patient-view-prefetch.json")["prefetch"]
    odd_score = {"resourceType": "Observation", "status": "final",
                 "code": {"coding": [{"system": "https://trdnav.invalid/fhir/CodeSystem/observation",
                                      "code": "nosuch-total"}]}}  # fmt: skip
    resources: dict[str, Any] = {
        "conditions": [e["resource"] for e in prefetch["conditions"]["entry"]],
        "medications": [{"resourceType": "MedicationStatement", "status": "active"}],
        "scores": [odd_score, *(e["resource"] for e in prefetch["scores"]["entry"])],
    }
    data = clinical_input({"birthDate": "1980"}, resources)
    assert data.date_of_birth is None
    assert data.skipped == {"conditions": 1, "medications": 1, "scores": 1}
    assert data.history is not None and data.history["treatments"] == []
    assert [s.instrument for s in latest_by_instrument(data.scores * 2)] == ["phq9"]


def test_the_reader_never_sends_the_token_to_another_host() -> None:
    elsewhere = {"relation": "next", "url": "https://elsewhere.example.org/fhir/x"}
    page1 = {"resourceType": "Bundle", "type": "searchset", "entry": [], "link": [elsewhere]}
    with stub_fhir({"Condition": page1}) as fhir:
        reader = FhirReader(fhir.url, "secret")
        assert reader.search("Condition?patient=1", "conditions") == []
    assert len(fhir.seen) == 1


def test_the_reader_follows_next_links_on_the_same_server() -> None:
    entry = {"resource": {"resourceType": "Condition", "id": "c"}}
    with stub_fhir({}) as fhir:
        fhir.resources["Condition"] = {
            "resourceType": "Bundle", "type": "searchset", "entry": [entry],
            "link": [{"relation": "next", "url": f"{fhir.url}/Condition?page=2"}],
        }  # fmt: skip
        found = FhirReader(fhir.url, "secret").search("Condition?patient=1", "conditions")
    assert len(found) == 10  # MAX_PAGES pages, then it stops


def test_production_refuses_a_plain_http_fhir_server() -> None:
    body = recorded("patient-view-no-prefetch.json")
    assert parse_hook_request(body).fhir_server == "http://127.0.0.1:1/fhir"
    with pytest.raises(InvalidInput) as caught:
        parse_hook_request(body, https_only=True)
    assert [e.field for e in caught.value.errors] == ["fhirServer"]
    secure = {**body, "fhirServer": "https://ehr.example.org/fhir/"}
    assert parse_hook_request(secure, https_only=True).fhir_server == "https://ehr.example.org/fhir"
