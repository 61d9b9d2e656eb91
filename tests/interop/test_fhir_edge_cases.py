"""The less common paths of the FHIR create and import: each refusal names its element and
stores nothing; what may be left out is filled in as documented (P-IR3 to P-IR6)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.interop.rest import get, make_world, phq9_response, post
from trdnav.assessments.models import Assessment
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.core.errors import FieldError
from trdnav.history.services import save_history
from trdnav.interop.base import CANONICAL, ITEM_CODES, LOINC, RECORD_NUMBER
from trdnav.interop.condition import build_condition
from trdnav.interop.medication import DRUG_CODES
from trdnav.interop.records.importing import ImportFailed, import_bundle
from trdnav.interop.records.writing import _statement_path
from trdnav.patients.models import Patient
from trdnav.portal.models import SafetyNotice

MS = "/fhir/R4/MedicationStatement"
KINDS = f"{CANONICAL}/CodeSystem/treatment-kind"
TWO_CLOSED = {
    "episodes": [
        {"id": "a", "start": "2020-01-01", "end": "2020-06-01"},
        {"id": "b", "start": "2024-01-01", "end": "2024-06-01"},
    ],
    "current_episode": "a",
}


@pytest.fixture
def world(db: None) -> Any:
    return make_world()


def _issues(response: Any) -> list[tuple[int, str]]:
    issues = response.json()["issue"]
    return [(response.status_code, (i.get("expression") or [""])[0]) for i in issues]


def _statement(pk: int, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "MedicationStatement",
        "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": DRUG_CODES, "code": "sertraline"}]},
        "subject": {"reference": f"Patient/{pk}"},
        "effectivePeriod": {"start": "2024-02-01", "end": "2024-05-01"},
        "dosage": [
            {
                "timing": {"repeat": {"boundsPeriod": {"start": "2024-02-01"}}},
                "doseAndRate": [{"doseQuantity": {"value": 100}}],
            }
        ],
        **extra,
    }


def _stored_history(patient: Patient) -> dict[str, Any]:
    return dict(ClinicalProfile.objects.get(patient=patient).history or {})


def _history(patient: Patient, history: dict[str, Any]) -> None:
    save_history(patient=patient, history=history, by=Actor(user=None), as_of=date(2026, 1, 1))


def test_a_trial_without_identifier_gets_an_id_and_its_episode_by_reference(
    client: Client, world: Any
) -> None:
    _history(world.patient, TWO_CLOSED)
    reason = [{"reference": f"Condition/{world.patient.pk}-episode-b"}]
    response = post(client, MS, _statement(world.patient.pk, reasonReference=reason),
                     world.tokens["clinician"])  # fmt: skip
    assert response.status_code == 201, response.content
    trial = _stored_history(world.patient)["treatments"][0]
    assert (trial["id"], trial["episode"]) == ("t1", "b")


def test_a_trial_of_another_kind_is_refused(client: Client, world: Any) -> None:
    _history(world.patient, TWO_CLOSED)
    body = _statement(world.patient.pk, category={"coding": [{"system": KINDS, "code": "ect"}]})
    assert _issues(post(client, MS, body, world.tokens["clinician"])) == [(422, "category")]
    header = {"HTTP_IF_NONE_EXIST": "identifier=a|b"}
    response = post(client, MS, _statement(world.patient.pk), world.tokens["clinician"], **header)
    assert _issues(response) == [(400, "If-None-Exist")]


def test_history_errors_map_to_the_statement_elements() -> None:
    assert _statement_path(FieldError("treatments[2].doses[1].from", "m"), 2) == FieldError(
        "dosage[1].timing.repeat.boundsPeriod.start", "m"
    )
    assert _statement_path(FieldError("treatments[1].start", "m"), 2) is None
    assert _statement_path(FieldError("treatments[2]", "m"), 2) == FieldError(
        "MedicationStatement", "m"
    )
    assert _statement_path(FieldError("treatments[2].adherence_pct", "m"), 2) == FieldError(
        f"extension[url={CANONICAL}/StructureDefinition/treatment-trial]"
        ".extension[url=adherence_pct]",
        "m",
    )


def test_observation_components_are_read_by_own_item_code_and_others_ignored(
    client: Client, world: Any
) -> None:
    components: list[dict[str, Any]] = [
        {"code": {"coding": [{"system": ITEM_CODES, "code": f"phq9.item{n}"}]}, "valueInteger": 1}
        for n in range(1, 10)
    ]
    components.append(
        {"code": {"coding": [{"system": LOINC, "code": "0000-0"}]}, "valueInteger": 3}
    )
    components.append({"code": {"text": "no coding"}})
    body = {
        "resourceType": "Observation", "status": "final",
        "code": {"coding": ["not a coding", {"system": LOINC, "code": "44261-6"}]},
        "subject": {"reference": f"Patient/{world.patient.pk}"},
        "effectiveDateTime": "2026-11-03", "component": components,
    }  # fmt: skip
    response = post(client, "/fhir/R4/Observation", body, world.tokens["staff"])
    assert response.status_code == 201, response.content
    missing = dict(body, component=[{"code": components[0]["code"]}])
    assert _issues(post(client, "/fhir/R4/Observation", missing, world.tokens["staff"])) == [
        (422, "component[0]")
    ]


def test_a_patient_answered_retry_raises_its_notice_once(client: Client, world: Any) -> None:
    body = phq9_response(world.patient.pk, [1] * 8 + [3], identifier="x", source_patient=True)
    for _ in range(2):
        assert (
            post(client, "/fhir/R4/QuestionnaireResponse", body, world.tokens["staff"]).status_code
            < 300
        )
    assert SafetyNotice.objects.filter(patient=world.patient).count() == 1
    calm = phq9_response(world.patient.pk, [0] * 9, identifier="y", source_patient=True)
    assert (
        post(client, "/fhir/R4/QuestionnaireResponse", calm, world.tokens["staff"]).status_code
        < 300
    )
    assert SafetyNotice.objects.filter(patient=world.patient).count() == 1


def test_routes_reverse_with_their_converters(client: Client, world: Any) -> None:
    url = reverse("fhir:instance", args=["Patient", str(world.patient.pk)])
    assert get(client, url, world.tokens["staff"]).status_code == 200


# --- import -------------------------------------------------------------------------------


def _bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": r} for r in resources]}  # fmt: skip


def _import(world: Any, bundle: Any) -> list[str]:
    try:
        import_bundle(bundle, clinic=world.patient.clinic, by=Actor(user=None, via="cli"))
    except ImportFailed as failed:
        return [e.field for e in failed.errors]
    return []


def _patient(**fields: Any) -> dict[str, Any]:
    return {
        "resourceType": "Patient", "id": "p",
        "identifier": [{"system": RECORD_NUMBER, "value": "NEW-1"}],
        "name": [{"family": "New", "given": ["Nia"]}], "birthDate": "1990-01-01", **fields,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("bundle", "fields"),
    [
        ({"resourceType": "Bundle", "type": "collection", "entry": {}}, ["entry"]),
        (_bundle(_patient(identifier=[])), ["entry[0].resource.identifier"]),
        (_bundle(_patient(birthDate="someday")), ["entry[0].resource.birthDate"]),
        (_bundle(_patient(gender="robot")), ["entry[0].resource.sex"]),
        (_bundle({"resourceType": "Condition", "subject": {"reference": "Patient/999999"}}),
         ["entry[0].resource.subject"]),
        (_bundle({"resourceType": "QuestionnaireResponse", "subject": {"reference": "Patient/x"}}),
         ["entry[0].resource.subject"]),
    ],
)  # fmt: skip
def test_import_names_each_bad_entry(world: Any, bundle: Any, fields: list[str]) -> None:
    assert _import(world, bundle) == fields
    assert not Patient.objects.filter(record_number="NEW-1").exists()


def test_import_refers_to_clinic_patients_by_id_and_stores_observations(world: Any) -> None:
    pk = world.patient.pk
    episode = build_condition({"id": "e9", "start": "2025-01-01"}, patient_id=str(pk))
    observation = {
        "resourceType": "Observation", "status": "final",
        "identifier": [{"system": "urn:x", "value": "o1"}],
        "code": {"coding": [{"system": f"{CANONICAL}/CodeSystem/observation",
                             "code": "cgi_s-total"}]},
        "subject": {"reference": f"Patient/{pk}"}, "effectiveDateTime": "2026-01-02",
        "valueInteger": 3,
    }  # fmt: skip
    assert _import(world, _bundle(episode, observation)) == []
    assert Assessment.objects.get(patient=world.patient).total == 3
    history = _stored_history(world.patient)
    assert history["episodes"] == [{"id": "e9", "start": "2025-01-01"}]
    # The same episode again is unchanged; another with that id, or none, is refused.
    assert _import(world, _bundle(episode)) == []
    changed = build_condition({"id": "e9", "start": "2025-02-01"}, patient_id=str(pk))
    assert _import(world, _bundle(changed)) == ["entry[0].resource.identifier"]
    nameless = dict(episode, identifier=[])
    assert _import(world, _bundle(nameless)) == ["entry[0].resource.identifier"]
    overlapping = build_condition({"id": "e10", "start": "2025-03-01"}, patient_id=str(pk))
    assert _import(world, _bundle(overlapping)) == ["entry[0].resource"]
    # Another clinic's patient is no patient of this clinic.
    foreign = dict(observation, subject={"reference": f"Patient/{world.foreign.pk}"})
    assert _import(world, _bundle(foreign)) == ["entry[0].resource.subject"]


def test_a_token_post_needs_no_csrf_token(world: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    body = phq9_response(world.patient.pk, [0] * 9)
    assert (
        post(strict, "/fhir/R4/QuestionnaireResponse", body, world.tokens["staff"]).status_code
        == 201
    )
