"""The shared helpers of patient pages and services: ``errors_onto`` and ``audit_patient``.
(``patient_view`` is exercised by every patient page in the authorisation matrix.)"""

from __future__ import annotations

from django import forms

from trdnav.accounts.models import Clinic, User
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.patients.models import Patient
from trdnav.patients.pages import errors_onto, with_path


class _Form(forms.Form):
    body = forms.CharField()


def _bound() -> _Form:
    form = _Form({"body": "text"})
    assert form.is_valid()
    return form


def test_a_named_field_gets_its_error_and_anything_else_goes_above_the_form() -> None:
    form = _bound()
    errors_onto(form, InvalidInput([FieldError("body", "too long"), FieldError("user", "taken")]))
    assert form.errors["body"] == ["too long"]
    assert form.non_field_errors() == ["taken"]


def test_place_chooses_the_field_and_the_words() -> None:
    form = _bound()
    errors_onto(form, [FieldError("episodes[0].start", "after today")], place=with_path("body"))
    assert form.errors["body"] == ["episodes[0].start: after today"]
    other = _bound()
    errors_onto(other, [FieldError("x", "odd")], place=lambda e: ("nowhere", e.message))
    assert other.non_field_errors() == ["odd"]  # a field the form lacks: above the form


def test_audit_patient_records_the_patient_and_the_row_acted_on(
    clinic: Clinic, clinician: User, patient: Patient
) -> None:
    actor = Actor(user=clinician, clinic=clinic)
    audit_patient(actor, patient, Action.UPDATE, "patient", patient, summary="changed: x")
    audit_patient(actor, patient.pk, Action.VIEW, "portal_thread_list")
    first, second = AuditEvent.objects.order_by("pk")
    assert (first.patient_id, first.object_type, first.object_id, first.summary) == (
        patient.pk,
        "patient",
        str(patient.pk),
        "changed: x",
    )
    assert (second.patient_id, second.action, second.object_id) == (patient.pk, Action.VIEW, "")
