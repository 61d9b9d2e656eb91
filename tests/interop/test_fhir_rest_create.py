"""Creating through ``/fhir/R4/``: a QuestionnaireResponse becomes the same stored assessment
the clinic's form and the portal produce, answered with its scored Observation; an Observation
with item answers likewise; a MedicationStatement becomes a trial of the treatment history.
Nothing is stored on any error; retries are idempotent."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.interop.rest import get, make_world, phq9_response, post
from tests.interop.schema import schema_errors
from tests.interop.test_sdc_questionnaires import answers
from tests.personas import PERSONAS
from trdnav.accounts.models import Role
from trdnav.assessments.models import Assessment, Source
from trdnav.assessments.services import record_assessment
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.core.instruments.registry import INSTRUMENT_CODES, get_instrument
from trdnav.history.services import save_history
from trdnav.interop.base import CANONICAL, LOINC, OBSERVATION_CODES
from trdnav.interop.medication import DRUG_CODES
from trdnav.interop.records.writing import store_response
from trdnav.interop.response import build_response
from trdnav.portal.models import QuestionnaireSchedule, SafetyNotice
from trdnav.portal.services.questionnaires import submit_questionnaire

SCORED = [c for c in INSTRUMENT_CODES if c != "cssrs_screen"]
QR = "/fhir/R4/QuestionnaireResponse"
OBS = "/fhir/R4/Observation"
MS = "/fhir/R4/MedicationStatement"
START = "2026-01-05"
# What makes two stored assessments "the same": everything but row ids, times and keys.
SAME = (
    "instrument", "answers", "result", "valid", "total", "severity", "safety",
    "safety_priority", "knowledge_version", "administered_on", "source",
)  # fmt: skip


def _history(patient: Any) -> dict[str, Any]:
    return dict(ClinicalProfile.objects.get(patient=patient).history or {})


def _body(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/fhir+json")
    return dict(json.loads(response.content))


def _issues(response: Any) -> list[tuple[str, str]]:
    return [(i["code"], (i.get("expression") or [""])[0]) for i in _body(response)["issue"]]


def _resources(response: Any) -> dict[str, dict[str, Any]]:
    return {e["resource"]["resourceType"]: e["resource"] for e in _body(response)["entry"]}


def _same(a: Assessment, b: Assessment) -> dict[str, tuple[Any, Any]]:
    return {f: (getattr(a, f), getattr(b, f)) for f in SAME if getattr(a, f) != getattr(b, f)}


@pytest.fixture
def world(db: None) -> Any:
    return make_world()


# --- QuestionnaireResponse ------------------------------------------------------------------


def test_a_phq9_response_gives_an_observation_with_total_band_and_safety(
    client: Client, world: Any
) -> None:
    body = phq9_response(world.patient.pk, [2, 2, 2, 2, 1, 1, 1, 1, 1])
    response = post(client, QR, body, world.tokens["staff"])
    assert response.status_code == 201, response.content
    bundle = _body(response)
    assert schema_errors(bundle) == []
    found = _resources(response)
    observation = found["Observation"]
    assert observation["valueInteger"] == 13
    assert observation["interpretation"][0]["coding"][0]["code"] == "moderate"
    safety = [
        c for c in observation["component"] if c["code"]["coding"][0]["code"] == "safety-item"
    ]
    assert safety[0]["valueCodeableConcept"]["coding"][0]["code"] == "positive"
    assert {"code": "44261-6", "system": LOINC} in observation["code"]["coding"]
    response_id = found["QuestionnaireResponse"]["id"]
    assert observation["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{response_id}"}]
    assert response["Location"].endswith(f"/QuestionnaireResponse/{response_id}")
    stored = Assessment.objects.get()
    assert (stored.total, stored.safety, stored.source) == (13, "positive", Source.CLINICIAN)
    assert stored.needs_safety_review
    # The stored response reads back as the same resource.
    again = get(client, f"{QR}/{response_id}", world.tokens["staff"])
    assert _body(again) == found["QuestionnaireResponse"]
    event = AuditEvent.objects.filter(action=Action.CREATE, object_type="assessment").get()
    assert event.via == "fhir" and event.patient_id == world.patient.pk


def test_the_same_answers_through_the_portal_and_fhir_give_the_same_assessment(
    client: Client, world: Any
) -> None:
    items = [3, 2, 1, 0, 1, 2, 3, 0, 1]
    portal_user = world.users["clinician"].__class__.objects.create_user(
        username="pat-n", password="x" * 12
    )
    from trdnav.accounts.models import Membership

    Membership.objects.create(user=portal_user, clinic=world.patient.clinic, role=Role.PATIENT)
    world.sibling.user = portal_user
    world.sibling.save()
    schedule = QuestionnaireSchedule.objects.create(
        patient=world.sibling, instrument="phq9", every_days=7, start=date(2026, 1, 1)
    )
    portal = submit_questionnaire(
        schedule=schedule, answers={"items": items}, due_on=timezone.localdate(),
        by=Actor(user=portal_user, clinic=world.patient.clinic, via="page"),
    ).assessment  # fmt: skip
    body = phq9_response(world.patient.pk, items, authored=timezone.localdate(),
                         source_patient=True)  # fmt: skip
    assert post(client, QR, body, world.tokens["clinician"]).status_code == 201
    through_fhir = Assessment.objects.get(patient=world.patient)
    assert _same(portal, through_fhir) == {}
    # Item 9 positive: the portal raised a safety notice, and so does the patient-answered form
    assert SafetyNotice.objects.filter(patient=world.sibling).count() == 1
    assert SafetyNotice.objects.filter(patient=world.patient).count() == 1


@settings(
    max_examples=30, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(
    items=st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=9, max_size=9).filter(
        lambda xs: any(x is not None for x in xs)
    ),
    days_ago=st.integers(0, 400),
)
@pytest.mark.django_db
def test_any_answers_through_fhir_equal_the_clinic_form(
    client: Client, items: list[int | None], days_ago: int
) -> None:
    from tests.factories import make_clinic, make_member, make_patient
    from tests.interop.rest import token_for

    n = Assessment.objects.count()
    clinic = make_clinic(f"c{n}")
    doc = make_member(clinic, Role.CLINICIAN, f"doc{n}")
    one, two = make_patient(clinic, f"A{n}"), make_patient(clinic, f"B{n}")
    day = timezone.localdate() - timedelta(days=days_ago)
    form = record_assessment(
        patient=one, instrument="phq9", answers={"items": items}, administered_on=day,
        by=Actor(user=doc), source=Source.CLINICIAN,
    )  # fmt: skip
    body = phq9_response(two.pk, items, authored=day)
    response = post(client, QR, body, token_for(doc))
    assert response.status_code == 201, response.content
    assert _same(form, Assessment.objects.get(patient=two)) == {}
    observation = _resources(response)["Observation"]
    assert observation.get("valueInteger") == form.total
    assert schema_errors(observation) == []


def test_an_incomplete_form_is_stored_and_its_unanswered_safety_item_flagged(
    client: Client, world: Any
) -> None:
    body = phq9_response(world.patient.pk, [1] * 8 + [None])
    response = post(client, QR, body, world.tokens["staff"])
    assert response.status_code == 201
    observation = _resources(response)["Observation"]
    assert "valueInteger" not in observation and observation["dataAbsentReason"]
    stored = Assessment.objects.get()
    assert (stored.valid, stored.safety) == (False, "unknown") and stored.needs_safety_review


@pytest.mark.parametrize(
    ("change", "element"),
    [
        (lambda r: r["item"][8]["answer"][0]["valueCoding"].update(code="LA9999-9"),
         "item[linkId=item9].answer"),
        (lambda r: r["item"].append({"linkId": "item99", "answer": []}), "item[linkId=item99]"),
        (lambda r: r["item"].append(dict(r["item"][0])), "item[linkId=item1]"),
        (lambda r: r.update(questionnaire=f"{CANONICAL}/Questionnaire/nope"), "questionnaire"),
        (lambda r: r.update(status="in-progress"), "status"),
        (lambda r: r.pop("subject"), "subject"),
        (lambda r: r.pop("authored"), "authored"),
        (lambda r: r.update(authored="2999-01-01"), "authored"),
        (lambda r: r.update(authored="1900-01-01"), "authored"),
        (lambda r: r.update(item=[]), "item"),
    ],
)  # fmt: skip
def test_a_bad_response_is_422_naming_the_element_and_nothing_is_stored(
    client: Client, world: Any, change: Any, element: str
) -> None:
    body = phq9_response(world.patient.pk, [1] * 9)
    change(body)
    response = post(client, QR, body, world.tokens["staff"])
    assert response.status_code == 422, response.content
    assert ("invalid", element) in _issues(response)
    assert not Assessment.objects.exists()


def test_another_clinics_patient_is_404_and_nothing_is_stored(client: Client, world: Any) -> None:
    response = post(client, QR, phq9_response(world.foreign.pk, [1] * 9), world.tokens["staff"])
    assert response.status_code == 404 and _issues(response) == [("not-found", "subject")]
    assert not Assessment.objects.exists()
    assert AuditEvent.objects.filter(action=Action.REFUSED, clinic=world.foreign.clinic).exists()


@pytest.mark.parametrize(
    ("body", "kind", "status"),
    [
        ("{not json", "application/fhir+json", 400),
        ("[]", "application/fhir+json", 400),
        ('{"resourceType": "Patient"}', "application/fhir+json", 400),
        ('{"resourceType": "QuestionnaireResponse"}', "text/plain", 415),
        ('{"a": ' * 200 + "1" + "}" * 200, "application/fhir+json", 400),
    ],
)
def test_a_body_that_is_not_one_resource_is_refused(
    client: Client, world: Any, body: str, kind: str, status: int
) -> None:
    response = post(client, QR, body, world.tokens["staff"], content_type=kind)
    assert response.status_code == status
    assert _body(response)["resourceType"] == "OperationOutcome"


def test_a_retry_with_the_same_identifier_stores_once(client: Client, world: Any) -> None:
    body = phq9_response(world.patient.pk, [1] * 9, identifier="form-1")
    first = post(client, QR, body, world.tokens["staff"])
    second = post(client, QR, body, world.tokens["staff"])
    assert (first.status_code, second.status_code) == (201, 200)
    assert _body(first)["entry"][1]["resource"] == _body(second)["entry"][1]["resource"]
    assert Assessment.objects.count() == 1
    other = phq9_response(world.patient.pk, [2] * 9, identifier="form-1")
    conflict = post(client, QR, other, world.tokens["staff"])
    assert conflict.status_code == 409 and _issues(conflict) == [("conflict", "identifier")]
    assert Assessment.objects.count() == 1


def test_if_none_exist_makes_the_create_conditional(client: Client, world: Any) -> None:
    body = phq9_response(world.patient.pk, [0] * 9)
    header = {"HTTP_IF_NONE_EXIST": "identifier=urn:example|42"}
    assert post(client, QR, body, world.tokens["staff"], **header).status_code == 201
    assert post(client, QR, body, world.tokens["staff"], **header).status_code == 200
    assert Assessment.objects.count() == 1
    bad = post(client, QR, body, world.tokens["staff"], HTTP_IF_NONE_EXIST="patient=1")
    assert bad.status_code == 400 and _issues(bad) == [("invalid", "If-None-Exist")]


# --- Observation ----------------------------------------------------------------------------


def _phq9_observation(patient_id: int, items: list[int], **extra: Any) -> dict[str, Any]:
    definition = get_instrument("phq9").definition
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "44261-6"}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": "2026-11-03",
        "component": [
            {"code": {"coding": [{"system": LOINC, "code": item.loinc}]}, "valueInteger": value}
            for item, value in zip(definition.items, items, strict=True)
        ],
        **extra,
    }


def test_an_observation_with_item_answers_is_scored_and_stored(client: Client, world: Any) -> None:
    body = _phq9_observation(world.patient.pk, [1] * 9, valueInteger=9)
    response = post(client, OBS, body, world.tokens["staff"])
    assert response.status_code == 201, response.content
    assert _resources(response)["Observation"]["valueInteger"] == 9
    assert "/Observation/" in response["Location"]
    form = record_assessment(
        patient=world.sibling, instrument="phq9", answers={"items": [1] * 9},
        administered_on=date(2026, 11, 3), by=Actor(user=None), source=Source.CLINICIAN,
    )  # fmt: skip
    assert _same(form, Assessment.objects.get(patient=world.patient)) == {}


def test_a_single_rating_observation_is_stored(client: Client, world: Any) -> None:
    body = {
        "resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": OBSERVATION_CODES, "code": "cgi_s-total"}]},
        "subject": {"reference": f"Patient/{world.patient.pk}"},
        "effectiveDateTime": "2026-11-03", "valueInteger": 4,
    }  # fmt: skip
    response = post(client, OBS, body, world.tokens["clinician"])
    assert response.status_code == 201, response.content
    assert Assessment.objects.get().answers == {"score": 4}


@pytest.mark.parametrize(
    ("body", "element"),
    [
        ({"code": {"coding": [{"system": LOINC, "code": "8867-4"}]}}, "code"),
        ({"code": {"text": "mood"}}, "code"),
        ({"component": []}, "component"),
        ({"valueInteger": 20}, "valueInteger"),
        ({"effectiveDateTime": "soon"}, "effectiveDateTime"),
    ],
)
def test_an_observation_the_app_cannot_store_is_422(
    client: Client, world: Any, body: dict[str, Any], element: str
) -> None:
    response = post(client, OBS, _phq9_observation(world.patient.pk, [1] * 9, **body),
                    world.tokens["staff"])  # fmt: skip
    assert response.status_code == 422, response.content
    assert _issues(response)[0] == ("invalid", element)
    assert not Assessment.objects.exists()


def test_a_bad_item_value_names_the_component(client: Client, world: Any) -> None:
    response = post(client, OBS, _phq9_observation(world.patient.pk, [1] * 8 + [7]),
                    world.tokens["staff"])  # fmt: skip
    assert response.status_code == 422
    assert _issues(response) == [("invalid", "component[code=phq9.item9]")]


# --- MedicationStatement --------------------------------------------------------------------


def _statement(patient_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "MedicationStatement",
        "identifier": [{"system": f"{CANONICAL}/NamingSystem/treatment", "value": "fhir-1"}],
        "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": DRUG_CODES, "code": "sertraline"}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectivePeriod": {"start": "2026-01-05", "end": "2026-03-30"},
        "dosage": [
            {
                "sequence": 1,
                "timing": {"repeat": {"boundsPeriod": {"start": "2026-01-05"}}},
                "doseAndRate": [{"doseQuantity": {"value": 100, "unit": "mg/d"}}],
            }
        ],
        **extra,
    }


def _with_history(world: Any) -> dict[str, Any]:
    history = {"episodes": [{"id": "e1", "start": "2025-12-01"}]}
    save_history(patient=world.patient, history=history, by=Actor(user=None),
                 as_of=date(2026, 11, 1))  # fmt: skip
    return history


def test_a_medication_statement_adds_a_trial_to_the_history(client: Client, world: Any) -> None:
    _with_history(world)
    trial = f"{CANONICAL}/StructureDefinition/treatment-trial"
    adherence = [{"url": "adherence_pct", "valueInteger": 90}]
    body = _statement(world.patient.pk, extension=[{"url": trial, "extension": adherence}])
    response = post(client, MS, body, world.tokens["clinician"])
    assert response.status_code == 201, response.content
    trial = _history(world.patient)["treatments"][0]
    assert trial["drug"] == "sertraline" and trial["episode"] == "e1"
    assert trial["adherence_pct"] == 90 and trial["doses"] == [
        {"from": "2026-01-05", "mg_per_day": 100}
    ]
    assert schema_errors(_resources(response)["MedicationStatement"]) == []
    again = post(client, MS, body, world.tokens["clinician"])
    assert again.status_code == 200
    assert len(_history(world.patient)["treatments"]) == 1
    changed = _statement(world.patient.pk, effectivePeriod={"start": "2026-01-06"})
    assert post(client, MS, changed, world.tokens["clinician"]).status_code == 409
    searched = _body(get(client, f"{MS}?patient={world.patient.pk}", world.tokens["staff"]))
    assert searched["total"] == 1


def test_staff_may_not_change_the_history(client: Client, world: Any) -> None:
    _with_history(world)
    response = post(client, MS, _statement(world.patient.pk), world.tokens["staff"])
    assert response.status_code == 403
    assert "treatments" not in _history(world.patient)


@pytest.mark.parametrize(
    ("extra", "element"),
    [
        ({"dosage": [{"doseAndRate": []}]}, "dosage"),
        ({"medicationCodeableConcept": {"text": "a pill"}}, "medicationCodeableConcept"),
        ({"medicationCodeableConcept": {"coding": [{"system": DRUG_CODES, "code": "nope"}]}},
         "medicationCodeableConcept"),
        ({"effectivePeriod": {"start": "2026-01-05", "end": "2025-01-01"}}, "effectivePeriod.end"),
        ({"reasonReference": [{"reference": "Condition/x-episode-zz"}]}, "reasonReference"),
        ({"dosage": [{"sequence": 1, "timing": {"repeat": {"boundsPeriod": {"start": START}}},
                      "doseAndRate": [{"doseQuantity": {"value": -5}}]}]},
         "dosage[0].doseAndRate[0].doseQuantity.value"),
    ],
)  # fmt: skip
def test_a_bad_trial_is_422_naming_the_element_and_the_history_is_unchanged(
    client: Client, world: Any, extra: dict[str, Any], element: str
) -> None:
    history = _with_history(world)
    response = post(client, MS, _statement(world.patient.pk, **extra), world.tokens["clinician"])
    assert response.status_code == 422, response.content
    assert _issues(response)[0] == ("invalid", element)
    assert _history(world.patient) == history


def test_a_trial_needs_a_history_with_an_episode(client: Client, world: Any) -> None:
    response = post(client, MS, _statement(world.patient.pk), world.tokens["clinician"])
    assert response.status_code == 422 and _issues(response) == [("invalid", "reasonReference")]


def test_a_persona_history_trial_round_trips_through_the_api(client: Client, world: Any) -> None:
    history = PERSONAS["dana"].history
    save_history(patient=world.patient, history=history, by=Actor(user=None),
                 as_of=date(2026, 11, 1))  # fmt: skip
    bundle = _body(
        get(client, f"{MS}?patient={world.patient.pk}&_count=200", world.tokens["staff"])
    )
    first = bundle["entry"][0]["resource"]
    # Sent back as it came out, it is the same trial: nothing new is stored.
    assert post(client, MS, first, world.tokens["clinician"]).status_code == 200
    assert _history(world.patient) == history


@pytest.mark.parametrize("code", SCORED)
@settings(
    max_examples=8, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(data=st.data(), complete=st.booleans())
@pytest.mark.django_db
def test_every_instrument_stored_through_fhir_equals_the_clinic_form(
    code: str, data: st.DataObject, complete: bool
) -> None:
    from tests.factories import make_clinic, make_member, make_patient

    given_answers = data.draw(answers(code, complete=complete))
    values = given_answers.get("items", [given_answers.get("score")])
    if all(v is None for v in values):
        return  # an empty form is refused by both (tested above)
    n = Assessment.objects.count()
    clinic = make_clinic(f"i{n}")
    doc = make_member(clinic, Role.CLINICIAN, f"i-doc{n}")
    one, two = make_patient(clinic, f"F{n}"), make_patient(clinic, f"Q{n}")
    day = date(2026, 6, 1)
    by = Actor(user=doc, clinic=clinic, via="fhir")
    form = record_assessment(
        patient=one, instrument=code, answers=given_answers, administered_on=day, by=by,
        source=Source.CLINICIAN,
    )  # fmt: skip
    response = build_response(code, given_answers, response_id="x", patient_id=str(two.pk),
                              authored=day)  # fmt: skip
    stored = store_response(by, response)
    assert stored.created and _same(form, Assessment.objects.get(patient=two)) == {}
    assert all(schema_errors(r) == [] for r in stored.resources)
