"""``trdnav fhir import FILE``: a Bundle stored as a whole, or not at all.

The Bundle (``transaction``, ``batch`` or ``collection``) is read entry by entry inside one
database transaction; every entry's problem is collected (``entry[3].item[linkId=item9].answer``)
and, when there is any, the transaction is rolled back: nothing is stored. What each entry
becomes:

- **Patient**: found in the clinic by its record number (the ``record-number`` identifier),
  or created (names, birth date, sex, e-mail); other entries refer to it by its ``fullUrl``
  or ``Patient/<its id in the Bundle>``. A reference to no Patient entry is read as the id of
  a patient of the clinic.
- **Condition**: an episode of the treatment history; **MedicationStatement**: a trial
  (``writing.store_medication_statement``); **QuestionnaireResponse**: a stored, scored
  assessment (``writing.store_response``); **Observation** with item answers: the same.
- What the application computes itself is left out and computed again: score Observations
  derived from a QuestionnaireResponse, TRD-status and stage Observations, Provenance;
  Questionnaires are definitions. Any other resource type is an error.

Re-importing the same file stores nothing new: patients by record number, episodes and trials
by their ids, responses and observations by their ``identifier`` or, without one, by the
entry's ``fullUrl`` (or the resource's id).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction

from trdnav.accounts.models import Clinic
from trdnav.audit.services import Actor
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.interop.base import OBSERVATION_CODES, RECORD_NUMBER, code_in, identifier_value
from trdnav.interop.patient import read_patient
from trdnav.interop.records import writing
from trdnav.interop.web.responses import FhirError
from trdnav.patients.models import Patient
from trdnav.patients.services import create_patient

BUNDLE_TYPES = ("transaction", "batch", "collection")
COMPUTED = ("Provenance", "Questionnaire")
ORDER = ("Patient", "Condition", "MedicationStatement", "QuestionnaireResponse", "Observation")


class ImportFailed(Exception):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} problem(s); nothing was stored")
        self.errors = errors


@dataclass
class Report:
    stored: dict[str, int] = field(default_factory=dict)  # new records per resource type
    unchanged: dict[str, int] = field(default_factory=dict)  # already there (re-import)
    skipped: dict[str, int] = field(default_factory=dict)  # computed by the application

    def count(self, table: dict[str, int], kind: str) -> None:
        table[kind] = table.get(kind, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {"stored": self.stored, "unchanged": self.unchanged, "skipped": self.skipped}


def _entries(bundle: Any) -> list[tuple[int, Mapping[str, Any], str]]:
    if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
        raise ImportFailed([FieldError("resourceType", "expected a Bundle")])
    if bundle.get("type") not in BUNDLE_TYPES:
        raise ImportFailed([FieldError("type", f"must be one of {', '.join(BUNDLE_TYPES)}")])
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise ImportFailed([FieldError("entry", "must be a list")])
    out = []
    for n, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping):
            raise ImportFailed([FieldError(f"entry[{n}].resource", "expected a resource")])
        out.append((n, resource, str(entry.get("fullUrl") or "")))
    return sorted(out, key=lambda e: _rank(e[1]))


def _rank(resource: Mapping[str, Any]) -> int:
    kind = resource.get("resourceType")
    return ORDER.index(kind) if kind in ORDER else len(ORDER)


class _Patients:
    """The Bundle's Patient entries, by every name other entries may use for them."""

    def __init__(self, clinic: Clinic, by: Actor) -> None:
        self.clinic, self.by = clinic, by
        self.known: dict[str, Patient] = {}

    def add(self, resource: Mapping[str, Any], full_url: str, report: Report) -> None:
        number = identifier_value(resource, RECORD_NUMBER)
        if not number:
            raise FhirError(422, f"an identifier of {RECORD_NUMBER}", "identifier")
        patient = Patient.objects.filter(clinic=self.clinic, record_number=number).first()
        if patient is None:
            patient = self._create(resource)
            report.count(report.stored, "Patient")
        else:
            report.count(report.unchanged, "Patient")
        for name in (full_url, f"Patient/{resource.get('id')}"):
            if name:
                self.known[name] = patient

    def _create(self, resource: Mapping[str, Any]) -> Patient:
        try:
            record = read_patient(resource)
        except (KeyError, ValueError, TypeError, AttributeError):
            raise FhirError(422, "name, birthDate (YYYY-MM-DD) are needed", "birthDate") from None
        data = {
            "record_number": record.record_number, "given_name": record.given_name,
            "family_name": record.family_name, "date_of_birth": record.date_of_birth,
            "sex": record.sex, "gender_identity": record.gender_identity,
            "email": record.email, "active": record.active,
        }  # fmt: skip
        try:
            return create_patient(clinic=self.clinic, data=data, by=self.by)
        except InvalidInput as exc:
            raise FhirError(422, "invalid", errors=exc.errors) from exc

    def of(self, resource: Mapping[str, Any]) -> Patient:
        ref = resource.get("subject")
        target = str(ref.get("reference", "")) if isinstance(ref, Mapping) else ""
        if target in self.known:
            return self.known[target]
        pk = target.removeprefix("Patient/")
        found = (
            Patient.objects.filter(clinic=self.clinic, pk=int(pk)).first()
            if pk.isdigit() and len(pk) < 19
            else None
        )
        if found is None:
            raise FhirError(
                422, "no Patient entry in the Bundle nor patient of the clinic", "subject"
            )
        return found


def _computed(resource: Mapping[str, Any]) -> bool:
    kind = resource.get("resourceType")
    if kind in COMPUTED:
        return True
    if kind == "Observation":
        own = code_in(resource.get("code"), OBSERVATION_CODES) or ""
        return bool(resource.get("derivedFrom")) or own.startswith("trd-")
    return False


def _store_one(
    resource: Mapping[str, Any], full_url: str, patients: _Patients, by: Actor
) -> writing.Stored:
    kind = resource.get("resourceType")
    if kind not in ORDER:
        raise FhirError(422, f"{kind} cannot be imported; see docs/interop.md", "resourceType")
    patient = patients.of(resource)
    # Without an identifier, the entry's own name makes a re-import find what it stored.
    name = full_url or str(resource.get("id") or "")
    key = writing.idempotency_key({"identifier": {"system": "import", "value": name}}, None)
    key = key if name else None
    if kind == "MedicationStatement":
        return writing.store_medication_statement(by, resource, patient=patient)
    if kind == "QuestionnaireResponse":
        return writing.store_response(by, resource, patient=patient, key=key)
    return writing.store_observation(by, resource, patient=patient, key=key)


def import_bundle(bundle: Any, *, clinic: Clinic, by: Actor) -> Report:
    """Store the Bundle's records in ``clinic``; ``ImportFailed`` (every problem, each naming
    its entry) and nothing stored when any entry is wrong."""
    report = Report()
    errors: list[FieldError] = []
    with transaction.atomic():
        patients = _Patients(clinic, by)
        entries = [e for e in _entries(bundle) if not _skipped(e[1], report)]
        for n, resource, full_url in entries:
            if resource.get("resourceType") == "Patient":
                errors += _guarded(n, partial(patients.add, resource, full_url, report))
        errors += _conditions(entries, patients, by, report)
        for n, resource, full_url in entries:
            if resource.get("resourceType") not in ("Patient", "Condition"):
                store = partial(_store_counted, resource, full_url, patients, by, report)
                errors += _guarded(n, store)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportFailed(errors)
    return report


def _store_counted(
    resource: Mapping[str, Any], full_url: str, patients: _Patients, by: Actor, report: Report
) -> None:
    _count(_store_one(resource, full_url, patients, by), str(resource["resourceType"]), report)


def _skipped(resource: Mapping[str, Any], report: Report) -> bool:
    if _computed(resource):
        report.count(report.skipped, str(resource.get("resourceType")))
        return True
    return False


def _count(stored: writing.Stored, kind: str, report: Report) -> None:
    report.count(report.stored if stored.created else report.unchanged, kind)


def _guarded(n: int, work: Callable[[], object]) -> list[FieldError]:
    """Run one entry's work in a savepoint; its problems named under ``entry[n]``."""
    try:
        with transaction.atomic():
            work()
    except FhirError as error:
        return [FieldError(_at(n, e.field), e.message) for e in error.errors]
    return []


def _conditions(
    entries: list[tuple[int, Mapping[str, Any], str]], patients: _Patients, by: Actor,
    report: Report,
) -> list[FieldError]:  # fmt: skip
    """Each patient's Conditions in one history save (the episodes are checked together)."""
    errors: list[FieldError] = []
    groups: dict[int, list[tuple[int, Mapping[str, Any]]]] = {}
    for n, resource, _ in entries:
        if resource.get("resourceType") != "Condition":
            continue
        try:
            patient = patients.of(resource)
        except FhirError as error:
            errors += [FieldError(_at(n, e.field), e.message) for e in error.errors]
            continue
        groups.setdefault(patient.pk, []).append((n, resource))
    for group in groups.values():
        first = group[0][0]
        patient = patients.of(group[0][1])

        resources = [r for _, r in group]
        errors += _guarded(first, partial(_store_conditions, resources, patient, by, report))
    return errors


def _store_conditions(
    resources: list[Mapping[str, Any]], patient: Patient, by: Actor, report: Report
) -> None:
    for stored in writing.store_conditions(by, resources, patient=patient):
        _count(stored, "Condition", report)


def _at(n: int, field_path: str) -> str:
    return f"entry[{n}].resource" + (f".{field_path}" if field_path else "")
