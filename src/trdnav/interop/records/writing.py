"""What a FHIR client sends, stored through the apps' own services (docs/interop.md, "Create").

- **QuestionnaireResponse** → a stored assessment, through ``record_assessment``: the very
  service the clinic's form, the portal and the JSON API use, so the same answers give the same
  stored assessment (score snapshot, band, safety item, knowledge-base version). A response
  whose ``source`` is its own subject was answered by the patient: it is stored as entered by
  the patient and, like a portal questionnaire, a positive or unanswered safety item raises a
  safety notice for the care team (once).
- **Observation** → the same, when its ``code`` names an instrument and its components carry
  the item answers (a single rating: ``valueInteger``); the app keeps answers and computes
  totals itself, so a total alone is refused (422), and a total that disagrees with the core's
  is refused too.
- **MedicationStatement** → one antidepressant trial or augmentation added to the treatment
  history, through ``save_history`` (the whole document re-checked, under the row lock).

Every function raises ``FhirError`` (an OperationOutcome naming the element); nothing is stored
when it does. Idempotency: the resource's ``identifier`` (or ``If-None-Exist:
identifier=system|value``) becomes the assessment's idempotency key, so a retried create
returns what the first one stored (``created`` False) and a reused identifier with other
content is a 409.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from trdnav.assessments.models import Assessment, Source
from trdnav.assessments.services import REUSED_KEY, record_assessment
from trdnav.audit.services import Actor
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.instruments.definition import Definition, InputKind
from trdnav.core.instruments.registry import INSTRUMENT_CODES, get_instrument
from trdnav.history.document import revision
from trdnav.history.services import StaleRevision, locked_profile, save_history
from trdnav.interop.base import (
    CANONICAL,
    EPISODE_ID,
    ITEM_CODES,
    LOINC,
    OBSERVATION_CODES,
    TRIAL_EXTENSION,
    Resource,
    reference_id,
)
from trdnav.interop.bundle import score_resources
from trdnav.interop.condition import build_condition, read_condition
from trdnav.interop.export import stored_score
from trdnav.interop.medication import (
    DRUG_CODES,
    build_medication_statement,
    read_medication_statement,
)
from trdnav.interop.questionnaire import loinc_role
from trdnav.interop.response import answers_object, read_response
from trdnav.interop.sdc import on_item_path
from trdnav.interop.web.auth import scoped_patient
from trdnav.interop.web.responses import FhirError
from trdnav.patients.models import Patient
from trdnav.portal.models import SafetyNotice, SafetySource
from trdnav.portal.services.safety import raise_notice, triggers_guidance

ACCEPTED_STATUSES = ("completed", "amended")
_IDENTIFIER_QUERY = re.compile(r"^identifier=(.*)$")


@dataclass(frozen=True)
class Stored:
    """What a create stored (or found stored, ``created`` False) and its resources."""

    created: bool
    resources: list[Resource]
    location: str  # "Type/id" of the resource the client sent, as stored


# --- idempotency --------------------------------------------------------------------------


def _key_of(system: str, value: str) -> str:
    digest = hashlib.sha256(f"{system}|{value}".encode()).hexdigest()[:40]
    return f"fhir-{digest}"


def idempotency_key(resource: Mapping[str, Any], if_none_exist: str | None) -> str | None:
    """From ``If-None-Exist: identifier=system|value``, else the resource's identifier."""
    if if_none_exist:
        match = _IDENTIFIER_QUERY.match(if_none_exist.strip())
        if match is None or "|" not in match[1]:
            raise FhirError(400, "only identifier=system|value is supported", "If-None-Exist")
        system, _, value = match[1].partition("|")
        return _key_of(system, value)
    ident = resource.get("identifier")
    found = ident[0] if isinstance(ident, list) and ident else ident
    if isinstance(found, Mapping) and found.get("value"):
        return _key_of(str(found.get("system", "")), str(found["value"]))
    return None


# --- QuestionnaireResponse and Observation ------------------------------------------------


def _subject(actor: Actor, resource: Mapping[str, Any]) -> Patient:
    patient_id = reference_id(resource.get("subject"), "Patient")
    if patient_id is None:
        raise FhirError(422, "a reference to the Patient (Patient/<id>) is required", "subject")
    return scoped_patient(actor, patient_id, f"fhir_{resource['resourceType']}"[:40], "subject")


def _day(resource: Mapping[str, Any], element: str) -> date:
    value = resource.get(element)
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise FhirError(422, "a date (YYYY-MM-DD, or a dateTime) is required", element) from None


def _answer_paths(
    definition: Definition, errors: Sequence[FieldError], on_item: Any
) -> list[FieldError]:
    out = []
    for error in errors:
        field = error.field
        if field == "administered_on":
            out.append(FieldError("authored", error.message))
        elif field in ("answers", "answers.input"):
            out.append(FieldError("item", error.message))
        elif field.startswith("answers."):
            out.append(
                on_item(definition, FieldError(field.removeprefix("answers."), error.message))
            )
        else:
            out.append(error)
    return out


def _record(
    *,
    patient: Patient,
    definition: Definition,
    answers: Mapping[str, Any],
    day: date,
    by: Actor,
    source: str,
    key: str | None,
    on_item: Any,
    date_element: str,
) -> tuple[Assessment, bool]:
    """``record_assessment``; (the assessment, whether it is new). Errors as FhirError."""
    earlier = (
        key is not None and Assessment.objects.filter(patient=patient, idempotency_key=key).exists()
    )
    try:
        stored = record_assessment(
            patient=patient, instrument=definition.code, answers=answers, administered_on=day,
            by=by, source=source, idempotency_key=key,
        )  # fmt: skip
    except InvalidInput as exc:
        if any(e.field == "idempotency_key" and e.message == REUSED_KEY for e in exc.errors):
            raise FhirError(
                409, "this identifier was already used for other answers", "identifier"
            ) from exc
        errors = _answer_paths(definition, exc.errors, on_item)
        errors = [
            FieldError(date_element, e.message) if e.field == "authored" else e for e in errors
        ]
        raise FhirError(422, "invalid", errors=errors) from exc
    return stored, not earlier


def _notify(patient: Patient, stored: Assessment, by: Actor) -> None:
    """A patient-answered form whose safety item needs review raises one safety notice."""
    if stored.source != Source.PATIENT or not triggers_guidance(stored.safety):
        return
    reference = str(stored.pk)
    if SafetyNotice.objects.filter(patient=patient, source=SafetySource.QUESTIONNAIRE,
                                   reference=reference).exists():  # fmt: skip
        return
    name = get_instrument(stored.instrument).abbreviation
    raise_notice(
        patient=patient, source=SafetySource.QUESTIONNAIRE, reference=reference, by=by,
        detail=f"{name}: suicidality item {stored.safety} (FHIR QuestionnaireResponse)",
    )  # fmt: skip


def _answered_by_patient(resource: Mapping[str, Any], patient: Patient) -> bool:
    return reference_id(resource.get("source"), "Patient") == str(patient.pk)


@transaction.atomic
def store_response(
    actor: Actor,
    resource: Mapping[str, Any],
    *,
    if_none_exist: str | None = None,
    patient: Patient | None = None,
    key: str | None = None,
) -> Stored:
    """``patient``: already resolved (an import); else the ``subject``, scoped to the caller.
    ``key``: the idempotency key when the resource carries no identifier (an import)."""
    read = read_response(resource)
    if isinstance(read, list):
        raise FhirError(422, "invalid", errors=read)
    if resource.get("status") not in ACCEPTED_STATUSES:
        raise FhirError(422, f"status must be one of {', '.join(ACCEPTED_STATUSES)}", "status")
    patient = patient or _subject(actor, resource)
    day = _day(resource, "authored")
    definition = get_instrument(read.instrument).definition
    source = Source.PATIENT if _answered_by_patient(resource, patient) else Source.CLINICIAN
    stored, created = _record(
        patient=patient, definition=definition, answers=read.answers, day=day, by=actor,
        source=source, key=idempotency_key(resource, if_none_exist) or key, on_item=on_item_path,
        date_element="authored",
    )  # fmt: skip
    _notify(patient, stored, actor)
    resources = score_resources(stored_score(stored), patient_id=str(patient.pk))
    return Stored(created, resources, f"QuestionnaireResponse/{resources[0]['id']}")


def instrument_of_code(concept: Any) -> Definition:
    """The instrument an Observation's ``code`` names: this app's ``<instrument>-total``, or
    an instrument's verified LOINC total code."""
    codings = concept.get("coding", []) if isinstance(concept, Mapping) else []
    for c in codings if isinstance(codings, list) else []:
        if not isinstance(c, Mapping):
            continue
        code = str(c.get("code", ""))
        own = code.removesuffix("-total")
        if c.get("system") == OBSERVATION_CODES and code != own and own in INSTRUMENT_CODES:
            return get_instrument(code.removesuffix("-total")).definition
        if c.get("system") == LOINC:
            for known in INSTRUMENT_CODES:
                definition = get_instrument(known).definition
                if loinc_role(definition, "total") == code:
                    return definition
    totals = ", ".join(f"{OBSERVATION_CODES}|{c}-total" for c in INSTRUMENT_CODES)
    raise FhirError(
        422,
        "the code names no instrument this application scores; known: "
        + totals
        + " (or the instrument's LOINC total code)",
        "code",
    )


def _item_key(codings: Any, by_code: Mapping[str, str], by_loinc: Mapping[str, str]) -> str | None:
    """The item a component answers: by this app's item code, or the item's LOINC code."""
    for c in codings if isinstance(codings, list) else []:
        if not isinstance(c, Mapping):
            continue
        code = str(c.get("code"))
        if c.get("system") == ITEM_CODES and code in by_code:
            return by_code[code]
        if c.get("system") == LOINC and code in by_loinc:
            return by_loinc[code]
    return None


def _observation_answers(definition: Definition, resource: Mapping[str, Any]) -> dict[str, Any]:
    items = (*definition.items, *definition.extra_items)
    by_code = {f"{definition.code}.{item.key}": item.key for item in items}
    by_loinc = {item.loinc: item.key for item in items if item.loinc}
    values: dict[str, Any] = {}
    components = resource.get("component") or []
    for n, component in enumerate(components if isinstance(components, list) else []):
        codings = (
            component.get("code", {}).get("coding", []) if isinstance(component, Mapping) else []
        )
        key = _item_key(codings, by_code, by_loinc)
        if key is None:
            continue  # the safety verdict and other computed components are the core's to give
        value = component.get("valueInteger", component.get("valueBoolean"))
        if value is None and "dataAbsentReason" not in component:
            raise FhirError(
                422, "expected valueInteger, valueBoolean or dataAbsentReason", f"component[{n}]"
            )
        values[key] = value
    if not values and definition.input_kind is InputKind.SCORE:
        values[definition.items[0].key] = resource.get("valueInteger")
    if not any(v is not None for v in values.values()):
        raise FhirError(
            422,
            "the item answers are needed (one component per item, coded as in the "
            "instrument's Observation); the app stores answers and computes the total. "
            "Or send the QuestionnaireResponse.",
            "component",
        )
    return answers_object(definition, values)


def _component_path(definition: Definition, error: FieldError) -> FieldError:
    mapped = on_item_path(definition, error)
    match = re.match(r"^item\[linkId=([^\]]+)\]\.answer$", mapped.field)
    if match:
        return FieldError(f"component[code={definition.code}.{match[1]}]", error.message)
    return mapped


@transaction.atomic
def store_observation(
    actor: Actor,
    resource: Mapping[str, Any],
    *,
    if_none_exist: str | None = None,
    patient: Patient | None = None,
    key: str | None = None,
) -> Stored:
    definition = instrument_of_code(resource.get("code"))
    answers = _observation_answers(definition, resource)
    patient = patient or _subject(actor, resource)
    day = _day(resource, "effectiveDateTime")
    stored, created = _record(
        patient=patient, definition=definition, answers=answers, day=day, by=actor,
        source=Source.CLINICIAN, key=idempotency_key(resource, if_none_exist) or key,
        on_item=_component_path, date_element="effectiveDateTime",
    )  # fmt: skip
    sent = resource.get("valueInteger")
    if (
        created
        and definition.input_kind is not InputKind.SCORE
        and sent is not None
        and sent != stored.total
    ):
        raise FhirError(
            422, f"the item answers give a total of {stored.total}, not {sent}", "valueInteger"
        )
    resources = score_resources(stored_score(stored), patient_id=str(patient.pk))
    return Stored(created, resources, f"Observation/{resources[1]['id']}")


# --- MedicationStatement ------------------------------------------------------------------

# The history document's field (after ``treatments[n].``) → the MedicationStatement element.
_TRIAL_ELEMENTS = {
    "drug": "medicationCodeableConcept",
    "agent": "medicationCodeableConcept",
    "start": "effectivePeriod.start",
    "end": "effectivePeriod.end",
    "episode": "reasonReference",
    "kind": "category",
    "notes": "note",
    "id": "identifier",
    "doses": "dosage",
}
_TREATMENT_PATH = re.compile(r"^treatments\[(\d+)\](?:\.(.*))?$")
_DOSE_PATH = re.compile(r"^doses\[(\d+)\](?:\.(\w+))?$")


def _statement_path(error: FieldError, index: int) -> FieldError | None:
    """A history error on the new trial as the MedicationStatement's element (None: elsewhere)."""
    match = _TREATMENT_PATH.match(error.field)
    if match is None or int(match[1]) != index:
        return None
    rest = match[2] or ""
    dose = _DOSE_PATH.match(rest)
    if dose is not None:
        where = f"dosage[{dose[1]}]"
        if dose[2] == "mg_per_day":
            where += ".doseAndRate[0].doseQuantity.value"
        elif dose[2] == "from":
            where += ".timing.repeat.boundsPeriod.start"
        return FieldError(where, error.message)
    head = rest.split(".", 1)[0].split("[", 1)[0]
    element = _TRIAL_ELEMENTS.get(head, f"extension[url={TRIAL_EXTENSION}].extension[url={head}]")
    return FieldError(element if rest else "MedicationStatement", error.message)


def _episode_of(
    document: Mapping[str, Any], treatment: dict[str, Any], resource: Mapping[str, Any]
) -> str:
    if treatment.get("episode"):
        return str(treatment["episode"])
    reasons = resource.get("reasonReference") or []
    ref = reasons[0] if isinstance(reasons, list) and reasons else None
    episodes = [str(e.get("id")) for e in document.get("episodes", [])]
    target = reference_id(ref, "Condition") if isinstance(ref, Mapping) else None
    for episode in episodes:
        if target is not None and target.endswith(f"-episode-{episode}"):
            return episode
    if target is not None:
        raise FhirError(422, "not one of the patient's episodes (Conditions)", "reasonReference")
    open_ones = [str(e["id"]) for e in document.get("episodes", []) if not e.get("end")]
    current = document.get("current_episode") or (open_ones[0] if len(open_ones) == 1 else None)
    if current is None:  # pragma: no cover - a stored history always has a current episode
        raise FhirError(422, "name the episode: a reference to its Condition", "reasonReference")
    return str(current)


def _new_treatment(resource: Mapping[str, Any], document: Mapping[str, Any]) -> dict[str, Any]:
    if not resource.get("category"):  # an antidepressant trial unless it says otherwise
        kinds = f"{CANONICAL}/CodeSystem/treatment-kind"
        resource = {
            **resource,
            "category": {"coding": [{"system": kinds, "code": "antidepressant"}]},
        }
    try:
        treatment = read_medication_statement(resource)
    except (KeyError, IndexError, TypeError, AttributeError):
        raise FhirError(
            422,
            "each dosage needs timing.repeat.boundsPeriod.start and doseAndRate[0].doseQuantity",
            "dosage",
        ) from None
    treatment["kind"] = treatment.get("kind") or "antidepressant"
    if treatment["kind"] not in ("antidepressant", "augmentation"):
        raise FhirError(422, "category must be antidepressant or augmentation", "category")
    drug_field = "drug" if treatment["kind"] == "antidepressant" else "agent"
    if not treatment.get(drug_field):
        raise FhirError(
            422, f"a code of {DRUG_CODES} naming the {drug_field}", "medicationCodeableConcept"
        )
    treatment["episode"] = _episode_of(document, treatment, resource)
    taken = {str(t.get("id")) for t in document.get("treatments", [])}
    if not treatment.get("id"):
        n = len(taken) + 1
        while f"t{n}" in taken:
            n += 1
        treatment["id"] = f"t{n}"
    return {k: v for k, v in treatment.items() if v is not None}


@transaction.atomic
def store_medication_statement(
    actor: Actor, resource: Mapping[str, Any], *, patient: Patient | None = None
) -> Stored:
    """Add the trial to the treatment history (or find it there: same identifier, same trial)."""
    patient = patient or _subject(actor, resource)
    profile = locked_profile(patient)
    document = dict(profile.history or {})
    if not document.get("episodes"):
        raise FhirError(
            422, "the patient has no treatment history with an episode yet", "reasonReference"
        )
    treatment = _new_treatment(resource, document)
    treatments = list(document.get("treatments", []))
    same = next((t for t in treatments if str(t.get("id")) == treatment["id"]), None)
    pid = str(patient.pk)
    if same is not None:
        if dict(same) != treatment:
            raise FhirError(409, "this treatment id is already a different trial", "identifier")
        built = build_medication_statement(same, patient_id=pid)
        return Stored(False, [built], f"MedicationStatement/{built['id']}")
    index = len(treatments)
    new_document = {**document, "treatments": [*treatments, treatment]}
    try:
        save_history(
            patient=patient, history=new_document, by=actor, as_of=timezone.localdate(),
            summary=f"added treatment {treatment['id']} ({treatment['kind']}) via FHIR",
            expected_revision=revision(profile.history),
        )  # fmt: skip
    except StaleRevision as exc:  # pragma: no cover - the row is locked above
        raise FhirError(409, "the history changed meanwhile; send it again", "subject") from exc
    except InvalidInput as exc:
        mapped = [_statement_path(e, index) for e in exc.errors]
        errors = [m for m in mapped if m is not None] or [
            FieldError("MedicationStatement", e.message) for e in exc.errors
        ]
        raise FhirError(422, "invalid", errors=errors) from exc
    built = build_medication_statement(treatment, patient_id=pid)
    return Stored(True, [built], f"MedicationStatement/{built['id']}")


# --- Condition (import only) ----------------------------------------------------------------


@transaction.atomic
def store_conditions(
    actor: Actor, resources: Sequence[Mapping[str, Any]], *, patient: Patient
) -> list[Stored]:
    """Add the episodes to the treatment history in one save (the document must stay valid as
    a whole: one open episode, no overlaps), or find them there, the same."""
    episodes_in = []
    for resource in resources:
        episode = {k: v for k, v in read_condition(resource).items() if v is not None}
        if not episode.get("id"):
            raise FhirError(422, f"an identifier of {EPISODE_ID} naming the episode",
                            "identifier")  # fmt: skip
        episodes_in.append(episode)
    profile = locked_profile(patient)
    document = dict(profile.history or {"episodes": []})
    episodes = list(document.get("episodes", []))
    pid = str(patient.pk)
    out, added = [], []
    for episode in episodes_in:
        same = next((e for e in episodes if str(e.get("id")) == str(episode["id"])), None)
        if same is not None and dict(same) != episode:
            raise FhirError(409, "this episode id is already a different episode",
                            "identifier")  # fmt: skip
        if same is None:
            added.append(episode)
        out.append(Stored(same is None, [build_condition(episode, patient_id=pid)], ""))
    if not added:
        return out
    new_document = {**document, "episodes": [*episodes, *added]}
    try:
        save_history(
            patient=patient, history=new_document, by=actor, as_of=timezone.localdate(),
            summary=f"added {len(added)} episode(s) via FHIR import",
            expected_revision=revision(profile.history),
        )  # fmt: skip
    except InvalidInput as exc:
        raise FhirError(422, "invalid", errors=[
            FieldError("", f"treatment history, {e.field}: {e.message}") for e in exc.errors
        ]) from exc  # fmt: skip
    return out
