"""Patient use cases. Each validates fully before writing and records an audit event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from trdnav.accounts.models import Clinic, Role, User
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.patients.models import Patient

EDITABLE_FIELDS = (
    "record_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "gender_identity",
    "email",
    "active",
)
DUPLICATE_RECORD = "a patient with this record number already exists in this clinic"


def _unknown_fields(data: Mapping[str, Any]) -> list[FieldError]:
    allowed = ", ".join(EDITABLE_FIELDS)
    return [
        FieldError(name, f"unknown field; allowed fields: {allowed}")
        for name in data
        if name not in EDITABLE_FIELDS
    ]


def _as_invalid_input(error: ValidationError) -> InvalidInput:
    errors: list[FieldError] = []
    for field, messages in error.message_dict.items():
        name = "record" if field == NON_FIELD_ERRORS else field
        errors.extend(FieldError(name, str(message)) for message in messages)
    return InvalidInput(errors)


def _validate(patient: Patient) -> None:
    """Model validation plus the per-clinic uniqueness of the record number."""
    errors: list[FieldError] = []
    try:
        patient.full_clean(exclude=["clinic", "user"], validate_constraints=False)
    except ValidationError as exc:
        errors.extend(_as_invalid_input(exc).errors)
    duplicate = Patient.objects.filter(
        clinic_id=patient.clinic_id, record_number=patient.record_number
    ).exclude(pk=patient.pk)
    if patient.record_number and duplicate.exists():
        errors.append(FieldError("record_number", DUPLICATE_RECORD))
    if errors:
        raise InvalidInput(errors)


def _save(patient: Patient) -> None:
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError:  # a concurrent insert won the race for the record number
        raise InvalidInput.single("record_number", DUPLICATE_RECORD) from None


def _apply(patient: Patient, data: Mapping[str, Any]) -> list[str]:
    """Copy the given fields; returns the names of those that changed."""
    unknown = _unknown_fields(data)
    if unknown:
        raise InvalidInput(unknown)
    nulls = [FieldError(name, "cannot be null") for name, value in data.items() if value is None]
    if nulls:
        raise InvalidInput(nulls)
    changed = []
    for name, value in data.items():
        clean = value.strip() if isinstance(value, str) else value
        if getattr(patient, name) != clean:
            setattr(patient, name, clean)
            changed.append(name)
    return changed


@transaction.atomic
def create_patient(*, clinic: Clinic, data: Mapping[str, Any], by: Actor) -> Patient:
    patient = Patient(clinic=clinic)
    _apply(patient, data)
    _validate(patient)
    _save(patient)
    audit_patient(by, patient, Action.CREATE, "patient", patient)
    return patient


@transaction.atomic
def update_patient(*, patient: Patient, data: Mapping[str, Any], by: Actor) -> Patient:
    """Change the given fields only; the audit summary names fields, never their values."""
    changed = _apply(patient, data)
    _validate(patient)
    if changed:
        _save(patient)
        audit_patient(
            by, patient, Action.UPDATE, "patient", patient,
            summary="changed: " + ", ".join(sorted(changed)),
        )  # fmt: skip
    return patient


@transaction.atomic
def link_patient_login(*, patient: Patient, user: User, by: Actor) -> Patient:
    """Give a patient's own login access to their record (and to no other)."""
    membership = getattr(user, "membership", None)
    if membership is None or membership.role != Role.PATIENT:
        raise InvalidInput.single("user", "only a login with the patient role can be linked")
    if membership.clinic_id != patient.clinic_id:
        raise InvalidInput.single("user", "the login belongs to another clinic")
    if Patient.objects.filter(user=user).exclude(pk=patient.pk).exists():
        raise InvalidInput.single("user", "this login is already linked to another record")
    patient.user = user
    patient.save(update_fields=["user", "updated_at"])
    audit_patient(by, patient, Action.UPDATE, "patient", patient, summary="linked a patient login")
    return patient
