"""The course capabilities: who documents, who plans, who may sign over a blocking check (staff
only where their clinic allows it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from tests.factories import make_member
from trdnav.accounts.context_processors import access
from trdnav.accounts.models import Clinic, Role, User, protocol_settings_problem
from trdnav.accounts.permissions import Capability, capabilities_of, has_capability

DOCUMENT, PLAN, OVERRIDE = (
    Capability.DOCUMENT_SESSIONS,
    Capability.PLAN_COURSES,
    Capability.OVERRIDE_SESSION_BLOCKS,
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.CLINIC_ADMIN, {DOCUMENT, PLAN, OVERRIDE}),
        (Role.CLINICIAN, {DOCUMENT, PLAN, OVERRIDE}),
        (Role.STAFF, {DOCUMENT}),
        (Role.PATIENT, set()),
    ],
)
def test_each_role_holds_its_course_capabilities(
    clinic: Clinic, role: Role, expected: set[Capability]
) -> None:
    user = make_member(clinic, role, f"{role.value}-x")
    assert {c for c in (DOCUMENT, PLAN, OVERRIDE) if has_capability(user, c)} == expected


@pytest.mark.django_db
def test_staff_may_override_only_where_the_clinic_allows(clinic: Clinic, staff: User) -> None:
    assert not has_capability(staff, OVERRIDE)
    clinic.staff_may_override_session_blocks = True
    clinic.save()
    nurse = User.objects.get(pk=staff.pk)
    assert has_capability(nurse, OVERRIDE)
    assert OVERRIDE in capabilities_of(nurse.membership)
    assert PLAN not in capabilities_of(nurse.membership)
    assert capabilities_of(None) == frozenset()


@pytest.mark.django_db
def test_the_navigation_context_shows_the_clinics_grant(clinic: Clinic, staff: User) -> None:
    clinic.staff_may_override_session_blocks = True
    clinic.save()
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=staff.pk)
    assert access(request)["can"].get(OVERRIDE.value) is True


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({}, ""),
        ({"rems_enabled": False, "rems_deadline_days": 3}, ""),
        ({"protocol_limits": {"esketamine_induction": {"predose_systolic_max": 130}}}, ""),
        ([], "must be a JSON object"),
        ({"rems": False}, "unknown setting 'rems'"),
        ({"rems_enabled": "no"}, "rems_enabled must be true or false"),
        ({"rems_deadline_days": 0}, "rems_deadline_days"),
        ({"protocol_limits": []}, "protocol_limits must be an object"),
        ({"protocol_limits": {"homeopathy": {}}}, "homeopathy"),
        ({"protocol_limits": {"esketamine_induction": {"dose_mg": 1}}}, "dose_mg"),
    ],
)
def test_clinic_protocol_settings_are_checked_in_the_admin_form(value: Any, problem: str) -> None:
    found = protocol_settings_problem(value)
    assert (found == "") if problem == "" else (problem in found), found
    if problem:
        with pytest.raises(ValidationError):
            Clinic(name="x", slug="x", protocol_settings=value).clean()
