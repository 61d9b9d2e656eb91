"""The services' own checks of who acts: the role's capability and the patient's clinic.

Pages and the API check the same things before calling a service; the services check again so
that no caller can skip them. An actor without a user (``Actor(user=None)``: the system, demo
data) is trusted, like every other service in the project.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from trdnav.accounts.permissions import Capability, has_capability, membership_of
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient


def require(by: Actor, capability: Capability, patient: Patient) -> None:
    """PermissionDenied when the role lacks ``capability``; Http404 when ``patient`` is not in
    the actor's clinic (its existence does not leak)."""
    if by.user is None:
        return
    membership = membership_of(by.user)
    if membership is None or membership.clinic_id != patient.clinic_id:
        raise Http404("no such patient")
    if not has_capability(by.user, capability):
        raise PermissionDenied(f"your role does not allow {capability.value}")


def may(by: Actor, capability: Capability) -> bool:
    return by.user is None or has_capability(by.user, capability)
