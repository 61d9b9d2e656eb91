"""The portal's access helpers: every portal view loads its patient through one of these.

A patient login reaches only its own record; a care-team member reaches a patient of their
own clinic when their role holds the capability. Anything else is reported as missing (404),
so another patient's records — or their existence — never leak.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from trdnav.accounts.models import Role
from trdnav.accounts.permissions import Capability, membership_of, require_capability
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, record_event
from trdnav.patients.access import get_patient_for
from trdnav.patients.models import Patient

M = TypeVar("M", bound=Model)


def is_portal_patient(user: Any) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Role.PATIENT


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
    record_event(
        by=by, action=Action.VIEW, object_type=object_type, object_id=patient.pk,
        patient_id=patient.pk,
    )  # fmt: skip
    return patient


def care_team_patient(*, by: Actor, pk: Any, capability: Capability, object_type: str) -> Patient:
    """A patient of the member's clinic when their role holds ``capability`` (403 otherwise);
    a patient outside the clinic is 404. Records a view."""
    require_capability(by.user, capability)
    return get_patient_for(by=by, pk=pk, object_type=object_type)


def owned_by(queryset: QuerySet[M], *, patient: Patient, pk: Any) -> M:
    """``queryset``'s row ``pk`` if it belongs to ``patient``, else Http404."""
    try:
        found = queryset.filter(patient=patient, pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404("not found")
    return found


def clinic_rows(queryset: QuerySet[M], *, by: Actor, capability: Capability) -> QuerySet[M]:
    """``queryset`` narrowed to the member's clinic (403 when the role lacks ``capability``)."""
    membership = require_capability(by.user, capability)
    return queryset.filter(patient__clinic_id=membership.clinic_id)
