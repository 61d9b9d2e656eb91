"""``/fhir/R4/``: metadata, authentication, read and search (paging, dates, codes), each
answer valid R4, every failure an OperationOutcome with the right status, every access audited
and scoped to the caller's clinic."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_member
from tests.interop.rest import get, make_world, post, token_for
from tests.interop.schema import schema_errors
from trdnav.accounts.models import Role, User
from trdnav.assessments.services import record_assessment
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor
from trdnav.interop import bulk_urls, bulk_views
from trdnav.interop.web.types import TYPES

BASE = "/fhir/R4"


def _json(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/fhir+json")
    return dict(json.loads(response.content))


def _issue(response: Any) -> tuple[str, str]:
    issue = _json(response)["issue"][0]
    return issue["code"], (issue.get("expression") or [""])[0]


def _phq9(patient: Any, day: date, items: list[int | None], by: User) -> None:
    record_assessment(
        patient=patient, instrument="phq9", answers={"items": items}, administered_on=day,
        by=Actor(user=by), source="clinician",
    )  # fmt: skip


@pytest.fixture
def world(db: None) -> Any:
    return make_world()


def test_metadata_says_what_is_routed_and_is_valid_r4(client: Client, world: Any) -> None:
    response = get(client, f"{BASE}/metadata", None)
    statement = _json(response)
    assert response.status_code == 200 and statement["fhirVersion"] == "4.0.1"
    # The official R4 schema's FHIRVersion enum stops at 4.0.0 (it was generated before the
    # 4.0.1 technical correction); everything else must validate.
    errors = schema_errors(statement)
    assert len(errors) == 1 and errors[0].startswith('fhirVersion: "4.0.1" is not one of')
    assert schema_errors({**statement, "fhirVersion": "4.0.0"}) == []
    served = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(served) == set(TYPES)
    creates = {t for t, r in served.items() if {"code": "create"} in r["interaction"]}
    assert creates == {"QuestionnaireResponse", "Observation", "MedicationStatement"}
    conditional = {t for t, r in served.items() if r["conditionalCreate"]}
    assert conditional == {"QuestionnaireResponse", "Observation"}
    assert {p["name"] for p in served["Observation"]["searchParam"]} >= {"patient", "date", "code"}
    # Every listed type answers a search: nothing is claimed that is not routed.
    for name in served:
        assert get(client, f"{BASE}/{name}?_count=1", world.tokens["clinician"]).status_code == 200


BULK_IG = "http://hl7.org/fhir/uv/bulkdata"


def test_metadata_lists_the_bulk_export_operations_as_the_bulk_data_ig_does(
    client: Client, world: Any
) -> None:
    statement = _json(get(client, f"{BASE}/metadata", None))
    rest = statement["rest"][0]
    assert statement["instantiates"] == [f"{BULK_IG}/CapabilityStatement/bulk-data"]
    assert [(o["name"], o["definition"]) for o in rest["operation"]] == [
        ("export", f"{BULK_IG}/OperationDefinition/export")
    ]
    by_type = {r["type"]: r.get("operation", []) for r in rest["resource"]}
    assert [(o["name"], o["definition"]) for o in by_type.pop("Patient")] == [
        ("export", f"{BULK_IG}/OperationDefinition/patient-export")
    ]
    assert not any(by_type.values())  # no Group export: it is not served


def test_every_export_operation_listed_is_routed_and_every_kick_off_is_listed(
    client: Client, world: Any
) -> None:
    kick_offs = {p.name for p in bulk_urls.urlpatterns if p.callback is bulk_views.kick_off}
    assert {op.url_name for op in bulk_urls.EXPORT_OPERATIONS} == kick_offs
    admin = world.tokens["clinic_admin"]
    for op in bulk_urls.EXPORT_OPERATIONS:
        url = reverse(f"fhir-bulk:{op.url_name}")
        level = f"/{op.resource_type}" if op.resource_type else ""
        assert url == f"{BASE}{level}/$export"
        assert op.resource_type is None or op.resource_type in TYPES
        started = get(client, url, admin, HTTP_PREFER="respond-async")
        assert started.status_code == 202, (url, started.content)


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer trd_unknown", "Basic dXNlcjpwYXNz", "Token trd_x"]
)
def test_no_valid_token_is_401_with_a_challenge(client: Client, world: Any, header: str) -> None:
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(f"{BASE}/Patient/{world.patient.pk}", **extra)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert _issue(response)[0] == "login"


def test_a_session_login_is_not_enough(client: Client, world: Any) -> None:
    client.force_login(world.users["clinician"])
    assert client.get(f"{BASE}/Patient/{world.patient.pk}").status_code == 401


def test_a_patients_token_and_a_revoked_token_do_not_authenticate(
    client: Client, world: Any
) -> None:
    from trdnav.accounts.tokens import revoke_token

    token = world.tokens["staff"]
    stored = world.users["staff"].api_tokens.get()
    revoke_token(token=stored, by=Actor(user=world.users["staff"]))
    assert get(client, f"{BASE}/Patient", token).status_code == 401
    patient_user = make_member(world.patient.clinic, Role.PATIENT, "pat")
    assert get(client, f"{BASE}/Patient", token_for(patient_user)).status_code == 401


def test_a_user_without_a_clinic_is_403(client: Client, world: Any) -> None:
    loner = User.objects.create_user(username="loner", password="x" * 12)
    response = get(client, f"{BASE}/Patient", token_for(loner))
    assert response.status_code == 403 and _issue(response)[0] == "forbidden"


def test_read_a_patient_valid_r4_and_audited(client: Client, world: Any) -> None:
    response = get(client, f"{BASE}/Patient/{world.patient.pk}", world.tokens["staff"])
    patient = _json(response)
    assert response.status_code == 200 and schema_errors(patient) == []
    assert patient["id"] == str(world.patient.pk)
    event = AuditEvent.objects.filter(action=Action.VIEW, patient_id=world.patient.pk).last()
    assert event is not None and event.via == "fhir" and event.object_type == "fhir_Patient"


def test_another_clinics_record_is_404_and_the_probe_is_audited(client: Client, world: Any) -> None:
    foreign = world.foreign.pk
    for url in (
        f"{BASE}/Patient/{foreign}",
        f"{BASE}/Observation/{foreign}-response-1-score",
        f"{BASE}/Observation?patient={foreign}",
    ):
        response = get(client, url, world.tokens["clinician"])
        assert response.status_code == 404, url
        assert _issue(response)[0] == "not-found"
        assert b"S-1" not in response.content
    refused = AuditEvent.objects.filter(action=Action.REFUSED, clinic=world.foreign.clinic)
    assert refused.count() == 3


@pytest.mark.parametrize(
    "url",
    [
        "/Unknown/1", "/Patient/999999", "/Patient/abc", "/Observation/1-nothing",
        "/Questionnaire/nope", "/Provenance",
    ],
)  # fmt: skip
def test_what_is_not_there_is_404(client: Client, world: Any, url: str) -> None:
    response = get(
        client, BASE + url.replace("/1-", f"/{world.patient.pk}-"), world.tokens["staff"]
    )
    assert response.status_code == 404 and _json(response)["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("delete", "/Patient/{pk}"), ("put", "/Patient/{pk}"), ("post", "/Patient"),
        ("post", "/Procedure"), ("post", "/metadata"), ("patch", "/Observation"),
    ],
)  # fmt: skip
def test_methods_not_served_are_405_with_allow(
    client: Client, world: Any, method: str, url: str
) -> None:
    target = BASE + url.format(pk=world.patient.pk)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens['clinician']}"}
    response = getattr(client, method)(
        target, "{}", content_type="application/fhir+json", **headers
    )
    assert response.status_code == 405 and "GET" in response["Allow"]
    assert _issue(response)[0] == "not-supported"


def test_search_pages_with_stable_next_links(client: Client, world: Any) -> None:
    clinician = world.users["clinician"]
    for day in range(1, 8):
        _phq9(world.patient, date(2026, 10, day), [1] * 9, clinician)
    _phq9(world.sibling, date(2026, 10, 3), [2] * 9, clinician)
    _phq9(world.foreign, date(2026, 10, 3), [3] * 9, world.users["south"])
    url: str | None = f"{BASE}/Observation?_count=3"
    seen: list[str] = []
    days: list[str] = []
    while url:
        bundle = _json(get(client, url, world.tokens["clinician"]))
        assert schema_errors(bundle) == [] and bundle["type"] == "searchset"
        assert bundle["total"] == 8
        seen += [e["resource"]["id"] for e in bundle.get("entry", [])]
        days += [e["resource"]["effectiveDateTime"] for e in bundle.get("entry", [])]
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        url = links.get("next", "").replace("http://testserver", "") or None
    assert len(seen) == len(set(seen)) == 8
    assert days == sorted(days)  # oldest first, then by id: a stable order
    assert not any(i.startswith(f"{world.foreign.pk}-") for i in seen)
    # The page's patients are named in the audit trail, not the search text.
    event = AuditEvent.objects.filter(object_type="fhir_search").last()
    assert event is not None and event.shown_patient_ids


def test_search_by_patient_date_and_code(client: Client, world: Any) -> None:
    clinician = world.users["clinician"]
    for day in (1, 15, 28):
        _phq9(world.patient, date(2026, 10, day), [1] * 9, clinician)
    _phq9(world.sibling, date(2026, 10, 15), [1] * 9, clinician)
    token, pk = world.tokens["clinician"], world.patient.pk

    def total(query: str) -> int:
        response = get(client, f"{BASE}/Observation?{query}", token)
        assert response.status_code == 200, response.content
        return int(_json(response)["total"])

    assert total(f"patient={pk}") == 3
    assert total(f"patient=Patient/{pk}&date=ge2026-10-15") == 2
    assert total(f"patient={pk}&date=gt2026-10-15") == 1
    assert total(f"patient={pk}&date=lt2026-10-15") == 1
    assert total(f"patient={pk}&date=le2026-10-15") == 2
    assert total(f"patient={pk}&date=2026-10-15") == 1
    assert total(f"patient={pk}&date=eq2026-10") == 3
    assert total(f"patient={pk}&date=ne2026-10-15") == 2
    assert total(f"patient={pk}&date=ge2026-10-10&date=le2026-10-20") == 1
    assert total(f"patient={pk}&code=http://loinc.org|44261-6") == 3
    assert total(f"patient={pk}&code=44261-6") == 3
    assert total(f"patient={pk}&code=http://loinc.org|70274-6") == 0
    assert total(f"patient={pk}&code=http://snomed.info/sct|44261-6") == 0
    assert total("date=2026-10-15") == 2
    assert total("_count=0") == 4
    assert total(f"patient={pk}&_id={pk}-response-1-score,x") in (0, 1)


@pytest.mark.parametrize(
    ("query", "element"),
    [
        ("date=2026-13-01", "date"), ("date=xx2026", "date"), ("_count=abc", "_count"),
        ("_count=201", "_count"), ("_offset=-1", "_offset"), ("name=Alex", "name"),
        ("code=a|", "code"), ("_format=xml", "_format"),
    ],
)  # fmt: skip
def test_a_bad_search_parameter_is_400_naming_it(
    client: Client, world: Any, query: str, element: str
) -> None:
    response = get(client, f"{BASE}/Observation?{query}", world.tokens["staff"])
    assert response.status_code == 400
    assert _issue(response) == ("invalid", element)


def test_every_type_searched_gives_valid_r4(client: Client, world: Any) -> None:
    from tests.personas import PERSONAS
    from trdnav.history.services import save_history

    clinician = world.users["clinician"]
    _phq9(world.patient, date(2026, 10, 1), [1] * 8 + [None], clinician)
    history = PERSONAS["dana"].history
    save_history(patient=world.patient, history=history, by=Actor(user=clinician),
                 as_of=date(2026, 11, 1))  # fmt: skip
    for name in TYPES:
        bundle = _json(get(client, f"{BASE}/{name}?_count=200", world.tokens["clinician"]))
        assert schema_errors(bundle) == [], name
        for entry in bundle.get("entry", []):
            read = get(client, entry["fullUrl"].replace("http://testserver", ""),
                       world.tokens["clinician"])  # fmt: skip
            assert read.status_code == 200 and _json(read) == entry["resource"], entry["fullUrl"]
    kinds = {name: _json(get(client, f"{BASE}/{name}", world.tokens["staff"]))["total"]
             for name in TYPES}  # fmt: skip
    assert kinds["Condition"] == len(history["episodes"])
    assert kinds["Questionnaire"] == 12 and kinds["Patient"] == 2


def test_patients_are_found_by_record_number(client: Client, world: Any) -> None:
    system = "https://trdnav.invalid/fhir/NamingSystem/record-number"
    cases = [
        (f"identifier={system}|N-2", ["N-2"]), ("identifier=N-1,N-2", ["N-1", "N-2"]),
        ("identifier=urn:other|N-1", []), ("identifier=S-1", []),
    ]  # fmt: skip
    for query, found in cases:
        bundle = _json(get(client, f"{BASE}/Patient?{query}", world.tokens["staff"]))
        numbers = [e["resource"]["identifier"][0]["value"] for e in bundle.get("entry", [])]
        assert sorted(numbers) == found, query
    response = get(client, f"{BASE}/Patient?identifier=x|", world.tokens["staff"])
    assert response.status_code == 400 and _issue(response) == ("invalid", "identifier")


def test_questionnaires_are_searched_by_url(client: Client, world: Any) -> None:
    url = "https://trdnav.invalid/fhir/Questionnaire/phq9"
    bundle = _json(get(client, f"{BASE}/Questionnaire?url={url}", world.tokens["staff"]))
    assert [e["resource"]["url"] for e in bundle["entry"]] == [url]
    assert get(client, f"{BASE}/Questionnaire/phq9", world.tokens["staff"]).status_code == 200


def test_json_is_accepted_as_the_content_type(client: Client, world: Any) -> None:
    from tests.interop.rest import phq9_response

    body = phq9_response(world.patient.pk, [0] * 9)
    response = post(client, f"{BASE}/QuestionnaireResponse", body, world.tokens["staff"],
                    content_type="application/json")  # fmt: skip
    assert response.status_code == 201
