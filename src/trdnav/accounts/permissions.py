"""Who may do what. One table maps each role to its capabilities (docs/access-control.md).

Every check starts from the user's membership: no membership (or an inactive user) means no
access to clinic data, whatever Django's ``is_staff`` or ``is_superuser`` flags say.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from trdnav.accounts.models import Membership, Role


class Capability(StrEnum):
    VIEW_PATIENTS = "view_patients"
    EDIT_PATIENTS = "edit_patients"
    RECORD_ASSESSMENTS = "record_assessments"
    EDIT_HISTORY = "edit_history"
    VIEW_AUDIT = "view_audit"
    # Patient portal (docs/portal.md): invitations and questionnaire schedules …
    MANAGE_PORTAL = "manage_portal"
    # … and the care team's side of messages and concern reports.
    PORTAL_INBOX = "portal_inbox"
    # Treatment courses (docs/courses.md): document and sign sessions, plan and end courses,
    # sign a session over a blocking protocol check with a written reason.
    DOCUMENT_SESSIONS = "document_sessions"
    PLAN_COURSES = "plan_courses"
    OVERRIDE_SESSION_BLOCKS = "override_session_blocks"
    # The clinic's own settings shown to its patients (the portal's crisis help): admin only.
    MANAGE_CLINIC = "manage_clinic"
    # Clinic outcome analytics (docs/analytics.md): aggregates over every clinician's patients.
    VIEW_ANALYTICS = "view_analytics"
    # Safety review (docs/clinical-policies.md, P-SR2): record what was done about a safety
    # item, reopen a review; and the clinic's safety settings (clinic administrators).
    REVIEW_SAFETY = "review_safety"
    SAFETY_SETTINGS = "safety_settings"


_CLINICAL = {
    Capability.VIEW_PATIENTS,
    Capability.EDIT_PATIENTS,
    Capability.RECORD_ASSESSMENTS,
    Capability.EDIT_HISTORY,
    Capability.MANAGE_PORTAL,
    Capability.PORTAL_INBOX,
    Capability.DOCUMENT_SESSIONS,
    Capability.PLAN_COURSES,
    Capability.OVERRIDE_SESSION_BLOCKS,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.CLINIC_ADMIN: frozenset(
        _CLINICAL
        | {
            Capability.VIEW_AUDIT,
            Capability.MANAGE_CLINIC,
            Capability.VIEW_ANALYTICS,
            Capability.REVIEW_SAFETY,
            Capability.SAFETY_SETTINGS,
        }
    ),
    Role.CLINICIAN: frozenset(_CLINICAL | {Capability.REVIEW_SAFETY}),
    Role.STAFF: frozenset(
        {
            Capability.VIEW_PATIENTS,
            Capability.RECORD_ASSESSMENTS,
            Capability.PORTAL_INBOX,
            Capability.DOCUMENT_SESSIONS,
        }
    ),
    # A patient reaches only their own record, in the portal, through
    # trdnav.patients.access.own_patient (and trdnav.portal.access for its rows).
    Role.PATIENT: frozenset(),
}


# Capabilities a role holds only where its clinic has switched them on: the Clinic field named.
CLINIC_GRANTED: dict[str, dict[Capability, str]] = {
    Role.STAFF: {Capability.OVERRIDE_SESSION_BLOCKS: "staff_may_override_session_blocks"},
}


def _allows(membership: Membership, capability: Capability) -> bool:
    if capability in ROLE_CAPABILITIES[membership.role]:
        return True
    setting = CLINIC_GRANTED.get(membership.role, {}).get(capability)
    return setting is not None and bool(getattr(membership.clinic, setting))


def capabilities_of(membership: Membership | None) -> frozenset[Capability]:
    """What the member may do: their role's capabilities and those their clinic grants."""
    if membership is None:
        return frozenset()
    granted = CLINIC_GRANTED.get(membership.role, {})
    extra = {c for c, setting in granted.items() if getattr(membership.clinic, setting)}
    return ROLE_CAPABILITIES[membership.role] | extra


def membership_of(user: Any) -> Membership | None:
    """The active user's membership, or None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    membership: Membership | None = getattr(user, "membership", None)
    return membership


def has_capability(user: Any, capability: Capability) -> bool:
    membership = membership_of(user)
    return membership is not None and _allows(membership, capability)


def require_capability(user: Any, capability: Capability) -> Membership:
    """The membership, or PermissionDenied when the user's role lacks ``capability``."""
    membership = membership_of(user)
    if membership is None or not _allows(membership, capability):
        raise PermissionDenied(f"your role does not allow {capability.value}")
    return membership


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def capability_required(capability: Capability) -> Callable[[ViewFunc], ViewFunc]:
    """View decorator: log in first, then 403 unless the role has ``capability``."""

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_capability(request.user, capability)
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorate
