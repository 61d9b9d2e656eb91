from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.test import Client, override_settings

from tests.factories import make_patient
from trdnav.accounts.models import User
from trdnav.assessments.services import record_assessment
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.dashboard.services import dashboard_rows
from trdnav.patients.models import Patient


def test_it_lists_the_clinics_active_patients_only(
    client: Client, clinician: User, patient: Patient, other_patient: Patient
) -> None:
    make_patient(patient.clinic, "N-050", active=False)
    client.force_login(clinician)
    rows = client.get("/dashboard/").context["rows"]
    assert [row.patient.record_number for row in rows] == ["N-001"]
    assert AuditEvent.objects.filter(object_type="dashboard", actor=clinician).exists()


def test_the_home_page_sends_each_role_where_it_belongs(
    client: Client, staff: User, patient_user: User, patient: Patient
) -> None:
    client.force_login(staff)
    assert client.get("/")["Location"] == "/dashboard/"
    client.force_login(patient_user)
    assert client.get("/")["Location"] == "/portal/"


def _assess(patient: Patient, day: date, items: Sequence[int | None], code: str = "phq9") -> None:
    record_assessment(
        patient=patient,
        instrument=code,
        answers={"items": items},
        administered_on=day,
        by=Actor(user=None),
        source="clinician",
    )


AS_OF = date(2025, 3, 1)
CALM = [0, 1, 0, 1, 0, 1, 0, 0, 0]


def _reasons(user: User) -> dict[str, list[str]]:
    rows = dashboard_rows(user=user, as_of=AS_OF)
    return {row.patient.record_number: [str(r) for r in row.reasons] for row in rows}


def test_it_sorts_safety_then_worsening_then_overdue_then_the_rest(
    clinician: User, patient: Patient
) -> None:
    clinic = patient.clinic
    fine, overdue = make_patient(clinic, "N-002"), make_patient(clinic, "N-003")
    worse, unknown = make_patient(clinic, "N-004"), make_patient(clinic, "N-005")
    positive = make_patient(clinic, "N-006")
    _assess(fine, date(2025, 2, 20), CALM)
    _assess(overdue, date(2025, 1, 1), CALM)
    _assess(worse, date(2025, 2, 1), CALM)
    _assess(worse, date(2025, 2, 15), [2, 2, 1, 1, 1, 1, 1, 1, 0])
    _assess(unknown, date(2025, 2, 20), [*CALM[:8], None])
    _assess(positive, date(2025, 2, 20), [*CALM[:8], 1])
    rows = dashboard_rows(user=clinician, as_of=AS_OF)
    order = [row.patient.record_number for row in rows]
    assert order == ["N-006", "N-005", "N-004", "N-001", "N-003", "N-002"]
    reasons = _reasons(clinician)
    assert reasons["N-006"] == ["PHQ-9 safety item positive (2025-02-20)"]
    assert reasons["N-005"] == ["PHQ-9 safety item unanswered (2025-02-20)"]
    assert "rose 7 points (3 → 10)" in reasons["N-004"][0]
    assert reasons["N-001"] == ["no measures recorded"]
    assert reasons["N-003"] == ["measures overdue (last 2025-01-01, 59 days ago)"]
    assert reasons["N-002"] == []


def test_a_high_priority_safety_item_comes_before_a_plain_positive_one(
    clinician: User, patient: Patient
) -> None:
    other = make_patient(patient.clinic, "A-000", family_name="Aaron")
    _assess(other, date(2025, 2, 20), [*CALM[:8], 1])
    _assess(patient, date(2025, 2, 20), [*CALM[:8], 3])
    order = [row.patient.record_number for row in dashboard_rows(user=clinician, as_of=AS_OF)]
    assert order == ["N-001", "A-000"]
    assert "high priority" in _reasons(clinician)["N-001"][0]


def test_a_later_negative_answer_to_the_same_instrument_clears_the_flag(
    clinician: User, patient: Patient
) -> None:
    _assess(patient, date(2025, 2, 1), [*CALM[:8], 2])
    _assess(patient, date(2025, 2, 20), CALM)
    assert _reasons(clinician)["N-001"] == []


def test_a_positive_item_stays_flagged_when_another_instrument_comes_later(
    clinician: User, patient: Patient
) -> None:
    _assess(patient, date(2025, 2, 1), [*CALM[:8], 2])
    _assess(patient, date(2025, 2, 20), [0] * 7, code="gad7")
    assert "PHQ-9 safety item positive" in _reasons(clinician)["N-001"][0]


def test_measures_are_not_overdue_on_exactly_the_due_days_limit_but_are_a_day_later(
    clinician: User, patient: Patient
) -> None:
    due_days: int = settings.TRDNAV_MEASURES_DUE_DAYS
    _assess(patient, AS_OF - timedelta(days=due_days), CALM)
    late = make_patient(patient.clinic, "N-002")
    last = AS_OF - timedelta(days=due_days + 1)
    _assess(late, last, CALM)
    reasons = _reasons(clinician)
    assert reasons["N-001"] == []
    assert reasons["N-002"] == [f"measures overdue (last {last:%Y-%m-%d}, {due_days + 1} days ago)"]


@override_settings(TRDNAV_MEASURES_DUE_DAYS=60)
def test_the_overdue_period_is_a_setting(clinician: User, patient: Patient) -> None:
    _assess(patient, date(2025, 1, 1), CALM)
    assert _reasons(clinician)["N-001"] == []


def test_the_dashboard_costs_the_same_queries_for_many_patients(
    client: Client, clinician: User, patient: Patient, django_assert_max_num_queries: Any
) -> None:
    for number in range(2, 40):
        extra = make_patient(patient.clinic, f"N-{number:03d}")
        _assess(extra, date(2025, 2, 1), CALM)
        _assess(extra, date(2025, 2, 8), [*CALM[:8], 1])
    client.force_login(clinician)
    # Each is one query for the whole list, never one per patient: session, user, membership;
    # the patients (with their last measured date and the clinic's worsening rule, P-SR6);
    # each instrument's recent results (the latest safety answers, the worsening check and the
    # sparklines share them); open portal notices and safety reviews (the one safety state,
    # trdnav.safety.state, which the portal card reuses instead of reading notices itself);
    # open treatment courses (checkpoint alerts, rating reminders, "current treatment"); the
    # clinical profiles with their latest stage; the clinic's name; the audit hash chain
    # (three statements); the portal card's reports and threads; the session save, with
    # savepoints on PostgreSQL (20 there, 18 on SQLite).
    with django_assert_max_num_queries(20):
        response = client.get("/dashboard/")
    assert response.status_code == 200
    assert response.content.decode().count("safety item positive") == 38


def _many(patient: Patient, count: int) -> None:
    """``count`` more patients (N-002…), those with a number divisible by 3 with a positive
    safety item."""
    for number in range(2, count + 2):
        extra = make_patient(patient.clinic, f"N-{number:03d}")
        _assess(extra, date(2025, 2, 1), CALM)
        _assess(extra, date(2025, 2, 8), [*CALM[:8], 1] if number % 3 == 0 else CALM)


def test_the_dashboard_pages_its_rows_most_urgent_first(
    client: Client, clinician: User, patient: Patient
) -> None:
    _many(patient, 119)  # 120 patients: three pages of 50, 50 and 20
    client.force_login(clinician)
    first = client.get("/dashboard/")
    rows = first.context["rows"]
    assert len(rows) == 50
    # The 40 open safety items come before everyone else, so page 1 starts with them all.
    assert all(row.open_safety for row in rows[:40]) and not rows[40].open_safety
    html = first.content.decode()
    assert "Showing 1–50 of 120." in html
    assert 'aria-label="Dashboard pages"' in html and "Page 1 of 3" in html
    assert 'href="?page=2"' in html and 'rel="prev"' not in html
    # The portal card and the attention count speak of the whole clinic, not the page.
    assert len(first.context["open_safety"]) == 40
    last = client.get("/dashboard/?page=3")
    assert len(last.context["rows"]) == 20
    assert "Showing 101–120 of 120." in last.content.decode()
    assert len(last.context["open_safety"]) == 40
    assert last.context["needing_attention"] == first.context["needing_attention"]
    shown = {
        row.patient.pk
        for n in (1, 2, 3)
        for row in client.get(f"/dashboard/?page={n}").context["rows"]
    }
    assert len(shown) == 120
    # Only the page's patients are recorded as shown.
    event = AuditEvent.objects.filter(object_type="dashboard").latest("pk")
    assert len(event.shown_patient_ids.split(",")) == 20


def test_bad_page_numbers_are_clamped_to_the_nearest_page(
    client: Client, clinician: User, patient: Patient
) -> None:
    _many(patient, 59)  # 60 patients: two pages
    client.force_login(clinician)
    for raw, expected in [
        ("0", 1),
        ("-1", 1),
        ("abc", 1),
        ("", 1),
        ("2", 2),
        ("3", 2),
        ("99999999999999999999", 2),
    ]:
        response = client.get(f"/dashboard/?page={raw}")
        assert response.status_code == 200
        assert response.context["page"].number == expected, raw


def test_the_page_links_keep_the_search_and_filters(
    client: Client, clinician: User, patient: Patient
) -> None:
    _many(patient, 119)
    client.force_login(clinician)
    response = client.get("/dashboard/?q=N-&show=safety&page=1")
    assert response.context["page"].count == 40  # every third of N-002…N-120
    html = response.content.decode()
    assert "40 of 120 patients match." in html and "Showing 1–40 of 40." in html
    assert "Page 1 of" not in html  # one page: no page links
    response = client.get("/dashboard/?q=N-&page=2")
    html = response.content.decode()
    assert 'href="?q=N-&amp;page=1"' in html and 'href="?q=N-&amp;page=3"' in html


def test_the_dashboard_costs_the_same_queries_on_any_page(
    client: Client, clinician: User, patient: Patient, django_assert_max_num_queries: Any
) -> None:
    _many(patient, 119)
    client.force_login(clinician)
    for number in (1, 2, 3):
        # The same 20 as one page (see the test above).
        with django_assert_max_num_queries(20):
            response = client.get(f"/dashboard/?page={number}")
        assert response.status_code == 200
