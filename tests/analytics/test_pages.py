"""The Outcomes page and the API endpoint: clinic administrators only, their clinic only,
suppressed cells hidden, audited, and a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from tests.analytics.cohort import add_course, hand_cohort
from tests.factories import PASSWORD
from trdnav.accounts.models import Clinic, User
from trdnav.accounts.tokens import issue_token
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User) -> Client:
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def _bearer(user: User) -> dict[str, Any]:
    _, raw = issue_token(user=user, name="test", by=Actor(user=user))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@override_settings(TRDNAV_ANALYTICS_MIN_CELL=1)
def test_the_page_shows_the_clinics_numbers_and_records_an_audit_event(
    client: Client, clinic: Clinic, clinic_admin: User, clinician: User
) -> None:
    hand_cohort(clinic, clinician)
    page = _login(client, clinic_admin).get("/analytics/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "67% (2/3)" in text  # ECT response, by hand in test_report.py
    assert 'id="outcomes-data"' in text and "<script>" not in text.replace(" ", "")
    assert AuditEvent.objects.filter(object_type="outcome_report", actor=clinic_admin).exists()


def test_small_groups_are_hidden_on_the_page(
    client: Client, clinic: Clinic, clinic_admin: User, clinician: User
) -> None:
    hand_cohort(clinic, clinician)  # five patients; rTMS counts one
    text = _login(client, clinic_admin).get("/analytics/").content.decode()
    assert "hidden: too few patients to show" in text
    assert "67% (2/3)" not in text  # ECT hidden with rTMS (complementary suppression)


def test_a_period_ending_before_it_starts_is_refused_by_name(
    client: Client, clinic_admin: User
) -> None:
    page = _login(client, clinic_admin).get("/analytics/?since=2026-02-01&until=2026-01-01")
    assert page.status_code == 200
    assert "the end date must not be before the start date" in page.content.decode()


def test_the_page_reads_the_report_in_a_constant_number_of_queries(
    client: Client, clinic: Clinic, clinic_admin: User, clinician: User
) -> None:
    _login(client, clinic_admin)
    hand_cohort(clinic, clinician)
    with CaptureQueriesContext(connection) as small:
        client.get("/analytics/")
    for n in range(6, 30):
        add_course(clinic, f"Q-{n}", therapy="cbt", scores=[20, 12, 8], status="completed",
                   stage="II", by=clinician)  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        client.get("/analytics/")
    assert len(small.captured_queries) == len(large.captured_queries)


@override_settings(TRDNAV_ANALYTICS_MIN_CELL=1)
def test_the_api_returns_the_report_of_the_callers_clinic_only(
    client: Client, clinic: Clinic, other_clinic: Clinic, clinic_admin: User, clinician: User
) -> None:
    hand_cohort(clinic, clinician)
    add_course(other_clinic, "S-1", therapy="ect", scores=[20, 5], status="completed",
               stage="I", by=None)  # fmt: skip
    answer = client.get("/api/v1/analytics/outcomes", **_bearer(clinic_admin))
    assert answer.status_code == 200
    body = answer.json()
    overall = next(c for c in body["cells"] if c["dimension"] == "all")
    assert overall["patients"] == 5
    ect = next(c for c in body["cells"] if c["dimension"] == "therapy" and c["key"] == "ect")
    assert ect["response"]["count"] == 2 and ect["median_days_to_response"] == 14
    assert AuditEvent.objects.filter(object_type="outcome_report", via="api").exists()


def test_the_api_refuses_a_bad_period_and_a_clinician(
    client: Client, clinic_admin: User, clinician: User
) -> None:
    bad = client.get(
        "/api/v1/analytics/outcomes?since=2026-02-01&until=2026-01-01", **_bearer(clinic_admin)
    )
    assert bad.status_code == 422 and "until" in bad.content.decode()
    bad = client.get("/api/v1/analytics/outcomes?since=yesterday", **_bearer(clinic_admin))
    assert bad.status_code == 422
    assert client.get("/api/v1/analytics/outcomes", **_bearer(clinician)).status_code == 403
