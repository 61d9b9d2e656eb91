"""The portal's access helpers for rows: a patient's own rows (``owned_by``) and a clinic's
(``clinic_rows``). Portal pages load the patient itself with
``trdnav.patients.pages.patient_view``: a patient login reaches only its own record
(``own=True``), a care-team member a patient of their own clinic when their role holds the
capability. Anything else is reported as missing (404), so another patient's records — or their
existence — never leak.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from trdnav.accounts.models import Role
from trdnav.accounts.permissions import Capability, membership_of, require_capability
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient

M = TypeVar("M", bound=Model)


def is_portal_patient(user: Any) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Role.PATIENT


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
