"""A patient never reaches a clinician page, the audit page or the API tokens page, not even for
their own record (issue: "patients never reach clinician pages or the API tokens page, even for
their own record"). The routes come from the URL configuration itself, so a clinician page
added later is covered without editing this test."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date

import pytest
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from trdnav.accounts.models import Clinic, Role, User
from trdnav.assessments.services import record_assessment
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db

#: Clinician and staff areas. The portal's own pages (portal/, except portal/care/), log-in,
#: log-out, the second-factor pages and the public instrument pages are the patient's to use.
CLINICIAN_AREAS = (
    "patients/", "dashboard/", "audit/", "accounts/tokens/", "portal/care/", "courses/",
)  # fmt: skip


def _routes(patterns: Sequence[object], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def clinician_routes() -> list[str]:
    routes = {route for route in _routes(get_resolver().url_patterns)}
    return sorted(route for route in routes if route.startswith(CLINICIAN_AREAS))


def _fill(route: str, ids: dict[str, int | str]) -> str:
    def value(match: re.Match[str]) -> str:
        return str(ids.get(match.group(2), ids["pk"]))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def test_the_walk_finds_the_clinician_pages() -> None:
    routes = clinician_routes()
    assert "patients/<int:pk>/" in routes and "accounts/tokens/" in routes
    assert "patients/<int:pk>/assessments/<int:assessment_id>/void/" in routes
    assert len(routes) >= 30


@pytest.mark.parametrize("route", clinician_routes())
def test_a_patient_is_refused_every_clinician_page_even_for_their_own_record(
    client: Client, clinic: Clinic, patient: Patient, patient_user: User, route: str
) -> None:
    assessment = record_assessment(
        patient=patient,
        instrument="phq9",
        answers={"items": [1] * 9},
        administered_on=date(2025, 1, 1),
        by=Actor(user=patient_user, clinic=clinic),
        source="patient",
    )
    ids: dict[str, int | str] = {
        "pk": patient.pk,
        "assessment_id": assessment.pk,
        "index": 0,
        "code": "phq9",
        "kind": "antidepressant",
    }
    assert patient_user.membership.role == Role.PATIENT
    client.force_login(patient_user)
    url = _fill(route, ids)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404, 405), (method, url, response.status_code)
        assert b"N-001" not in response.content
