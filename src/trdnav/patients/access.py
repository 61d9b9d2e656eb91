"""The one way to reach patient records: scoped to the user's clinic, and audited.

Staff roles see their clinic's patients (``get_patient_for``); anyone else, patients included,
sees nothing there: a patient reaches their own record only through the portal
(``own_patient``), never the clinician chart or the API (docs/access-control.md). A record
outside the user's scope is reported as missing (404), never as forbidden, so its existence does
not leak; the refusal is audited (trdnav.audit.refusals). Pages use these through
``trdnav.patients.pages.patient_view``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from trdnav.accounts.models import Role
from trdnav.accounts.permissions import Capability, has_capability, membership_of
from trdnav.audit.models import Action
from trdnav.audit.refusals import RefusedRead, RefusedRole, refusal_events
from trdnav.audit.services import Actor, audit_patient
from trdnav.patients.models import Patient

_MAX_ID = 2**63 - 1


def visible_patients(user: Any) -> QuerySet[Patient]:
    membership = membership_of(user)
    if membership is None:
        return Patient.objects.none()
    if has_capability(user, Capability.VIEW_PATIENTS):
        return Patient.objects.filter(clinic_id=membership.clinic_id)
    return Patient.objects.none()


def get_patient_for(*, by: Actor, pk: Any, object_type: str = "patient") -> Patient:
    """The patient if ``by.user`` may see it (a ``view`` event is recorded). Otherwise a
    refusal is recorded and raised: 403 for a role without clinical access (a patient, even for
    their own record), 404 for a record outside the clinic."""
    membership = membership_of(by.user)
    if membership is not None and membership.role == Role.PATIENT:
        pending = refusal_events(
            by, object_type=object_type, object_id=pk, summary="refused: patient role"
        )
        raise RefusedRole("patients use the portal", pending)
    try:
        wanted = int(pk)
        patient = visible_patients(by.user).get(pk=wanted) if 0 < wanted <= _MAX_ID else None
    except (Patient.DoesNotExist, TypeError, ValueError):
        patient = None
    if patient is None:
        raise RefusedRead("no such patient", _refused_read(by, pk, object_type))
    audit_patient(by, patient, Action.VIEW, object_type, patient)
    return patient


def own_patient(*, by: Actor, object_type: str = "portal") -> Patient:
    """The logged-in patient's own active record (a view is audited), else Http404."""
    membership = membership_of(by.user)
    if membership is None or membership.role != Role.PATIENT:
        raise Http404("the portal is for patients")
    patient = Patient.objects.filter(
        user=by.user, clinic_id=membership.clinic_id, active=True
    ).first()
    if patient is None:
        raise Http404("no patient record is linked to this login")
    audit_patient(by, patient, Action.VIEW, object_type, patient)
    return patient


def _refused_read(by: Actor, pk: Any, object_type: str) -> Any:
    """Audit a read of a record the user may not see; the owning clinic is told as well."""
    owner = None
    try:
        wanted = int(pk)
        if 0 < wanted <= _MAX_ID:
            owner = Patient.objects.filter(pk=wanted).values_list("clinic_id", flat=True).first()
    except (TypeError, ValueError):
        pass
    return refusal_events(
        by,
        object_type=object_type,
        object_id=pk,
        summary="refused: not in this clinic's records",
        owner_clinic_id=owner,
        patient_id=int(pk) if owner is not None else None,
    )
