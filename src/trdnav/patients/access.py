"""The one way to reach patient records: scoped to the user's clinic, and audited.

Staff roles see their clinic's patients; a patient user sees only their own record; anyone
else sees nothing. A record outside that scope is reported as missing (404), never as
forbidden, so its existence does not leak.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from trdnav.accounts.models import Role
from trdnav.accounts.permissions import Capability, has_capability, membership_of
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, record_event
from trdnav.patients.models import Patient


def visible_patients(user: Any) -> QuerySet[Patient]:
    membership = membership_of(user)
    if membership is None:
        return Patient.objects.none()
    if membership.role == Role.PATIENT:
        return Patient.objects.filter(clinic_id=membership.clinic_id, user=user)
    if has_capability(user, Capability.VIEW_PATIENTS):
        return Patient.objects.filter(clinic_id=membership.clinic_id)
    return Patient.objects.none()


def get_patient_for(*, by: Actor, pk: Any, object_type: str = "patient") -> Patient:
    """The patient if ``by.user`` may see it (a ``view`` event is recorded), else Http404."""
    try:
        patient = visible_patients(by.user).get(pk=int(pk))
    except (Patient.DoesNotExist, TypeError, ValueError):
        raise Http404("no such patient") from None
    record_event(
        by=by,
        action=Action.VIEW,
        object_type=object_type,
        object_id=patient.pk,
        patient_id=patient.pk,
    )
    return patient
