"""The safety-review pages, the settings page, and one state on every surface (P-SR1)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_patient
from tests.safety.conftest import CALM, clinic_phq9, now_field, review_post
from trdnav.accounts.models import Clinic, User
from trdnav.assessments.models import Assessment
from trdnav.audit.models import AuditEvent
from trdnav.clinical.services import profile_of
from trdnav.dashboard.services import dashboard_rows
from trdnav.patients.models import Patient
from trdnav.portal.services.tasks import open_tasks
from trdnav.safety.models import ClinicSafetySettings, SafetyReview


def _url(patient: Patient, assessment: Assessment) -> str:
    return f"/safety/patients/{patient.pk}/answer/{assessment.pk}/review/"


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_dashboard_names_each_review_button_by_what_it_reviews(
    as_clinician: Client, patient: Patient, positive: Assessment
) -> None:
    page = as_clinician.get("/dashboard/").content.decode()
    assert "Review safety answer from 2 Nov 2026 (PHQ-9 item 9)" in page
    assert ">Acknowledge<" not in page


def test_reviewing_from_the_dashboard_says_what_was_done_and_returns_there(
    as_clinician: Client, patient: Patient, positive: Assessment
) -> None:
    form = as_clinician.get(_url(patient, positive) + "?next=dashboard")
    assert form.status_code == 200
    assert "Mark high suicide risk for treatment options?" in form.content.decode()
    response = as_clinician.post(_url(patient, positive), review_post(next="dashboard"))
    assert response["Location"] == "/dashboard/"
    page = as_clinician.get("/dashboard/").content.decode()
    assert "Reviewed: safety answer from 2 Nov 2026 (PHQ-9 item 9)." in page
    assert "phone call with the patient, structured risk assessment (e.g. C-SSRS)" in page
    assert "To undo, use Reopen" in page
    assert 'data-state="reviewed"' in page


def test_a_form_sent_twice_stores_one_review_and_says_so(
    as_clinician: Client, patient: Patient, positive: Assessment
) -> None:
    as_clinician.post(_url(patient, positive), review_post())
    second = as_clinician.post(_url(patient, positive), review_post(), follow=True)
    assert SafetyReview.objects.count() == 1
    assert "was already reviewed by dr-north" in second.content.decode()


def test_a_review_without_what_was_done_or_in_the_future_is_refused_with_field_errors(
    as_clinician: Client, patient: Patient, positive: Assessment
) -> None:
    later = now_field(timezone.now() + timedelta(hours=3))
    response = as_clinician.post(_url(patient, positive), review_post(actions=[], done_at=later))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what was done: choose at least one." in page
    missing_answer = as_clinician.post(
        _url(patient, positive), {"actions": ["phone_call"], "done_at": now_field()}
    )
    assert "Answer yes or no." in missing_answer.content.decode()
    future = as_clinician.post(_url(patient, positive), review_post(done_at=later))
    assert "must not be in the future" in future.content.decode()
    assert not SafetyReview.objects.exists()


def test_saying_yes_marks_high_suicide_risk_and_the_question_is_not_asked_again(
    as_clinician: Client, patient: Patient, positive: Assessment
) -> None:
    as_clinician.post(_url(patient, positive), review_post(mark_high_risk="yes"), follow=True)
    assert "high_suicide_risk" in profile_of(patient).facts
    later = clinic_phq9(patient, [*CALM[:8], 1], day=positive.administered_on + timedelta(days=1))
    page = as_clinician.get(_url(patient, later)).content.decode()
    assert "already marked in the clinical profile" in page
    assert "Mark high suicide risk" not in page


def test_reopen_from_the_chart_makes_the_item_open_again(
    as_clinician: Client, patient: Patient, positive: Assessment
) -> None:
    as_clinician.post(_url(patient, positive), review_post(next="chart"))
    review = SafetyReview.objects.get()
    chart = as_clinician.get(f"/patients/{patient.pk}/").content.decode()
    assert "Reopen safety answer from 2 Nov 2026 (PHQ-9 item 9)" in chart
    response = as_clinician.post(
        f"/safety/patients/{patient.pk}/reviews/{review.pk}/reopen/", {"next": "chart"}
    )
    assert response["Location"] == f"/patients/{patient.pk}/"
    chart = as_clinician.get(f"/patients/{patient.pk}/").content.decode()
    assert "Reopened: the safety answer from 2 Nov 2026 (PHQ-9 item 9) is open again" in chart
    assert 'data-state="open"' in chart


def test_staff_and_patients_cannot_review_and_other_clinics_get_404(
    patient: Patient, positive: Assessment, staff: User, patient_user: User, other_clinic: Clinic
) -> None:
    assert _login(staff).get(_url(patient, positive)).status_code == 403
    assert _login(staff).post(_url(patient, positive), review_post()).status_code == 403
    assert _login(patient_user).get(_url(patient, positive)).status_code == 403
    from tests.factories import make_member
    from trdnav.accounts.models import Role

    outsider = make_member(other_clinic, Role.CLINICIAN, "dr-away")
    assert _login(outsider).get(_url(patient, positive)).status_code == 404
    assert not SafetyReview.objects.exists()


def test_an_item_that_is_not_open_or_not_a_kind_is_404(
    as_clinician: Client, patient: Patient
) -> None:
    calm = clinic_phq9(patient, CALM)
    assert as_clinician.get(_url(patient, calm)).status_code == 404
    bad_kind = f"/safety/patients/{patient.pk}/email/{calm.pk}/review/"
    assert as_clinician.get(bad_kind).status_code == 404


def test_the_clinic_admin_chooses_the_worsening_rule_and_the_dashboard_follows(
    clinic_admin: User, clinician: User, patient: Patient
) -> None:
    admin = _login(clinic_admin)
    assert _login(clinician).get("/safety/settings/").status_code == 403
    assert admin.get("/safety/settings/").status_code == 200
    bad = admin.post("/safety/settings/", {"worsening_rule": "whatever"})
    assert bad.status_code == 400
    response = admin.post("/safety/settings/", {"worsening_rule": "any_band"})
    assert response.status_code == 302
    assert ClinicSafetySettings.objects.get().worsening_rule == "any_band"
    assert AuditEvent.objects.filter(object_type="safety_settings", action="update").exists()


def test_madrs_six_to_seven_needs_no_attention_by_default_but_does_under_any_band(
    clinician: User, clinic_admin: User, patient: Patient
) -> None:
    day = timezone.localdate() - timedelta(days=3)
    clinic_phq9(patient, [1, 1, 1, 1, 1, 1, 0, 0, 0, 0], day=day, code="madrs")
    clinic_phq9(patient, [1, 1, 1, 1, 1, 1, 1, 0, 0, 0], day=day + timedelta(days=1), code="madrs")
    [row] = dashboard_rows(user=clinician)
    assert not row.needs_attention
    _login(clinic_admin).post("/safety/settings/", {"worsening_rule": "any_band"})
    [row] = dashboard_rows(user=clinician)
    assert "MADRS moved from" in str(row.reasons[0])


def test_the_dashboard_searches_and_filters_and_shows_stage_treatment_and_sparkline(
    as_clinician: Client, patient: Patient, positive: Assessment
) -> None:
    quiet = make_patient(patient.clinic, "Q-100", family_name="Quiet", given_name="Quinn")
    clinic_phq9(quiet, CALM, day=timezone.localdate())
    clinic_phq9(quiet, [*CALM[:8], 0], day=timezone.localdate() - timedelta(days=7))
    page = as_clinician.get("/dashboard/").content.decode()
    assert '<svg class="sparkline"' in page and "PHQ-9 totals, oldest to newest: 3, 3" in page
    assert "2 patients." in page
    found = as_clinician.get("/dashboard/?q=q-100").content.decode()
    assert 'data-record="Q-100"' in found and f'data-record="{patient.record_number}"' not in found
    assert "1 of 2 patients match." in found
    safety = as_clinician.get("/dashboard/?show=safety").content.decode()
    assert 'data-record="Q-100"' not in safety
    assert f'data-record="{patient.record_number}"' in safety
    none = as_clinician.get("/dashboard/?treatment=course&show=nonsense").content.decode()
    assert "No patient matches these filters." in none


ITEM9 = st.integers(min_value=1, max_value=3)
NUMBERS = itertools.count()
OTHERS = st.lists(st.integers(min_value=0, max_value=3), min_size=8, max_size=8)


@settings(
    max_examples=5, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(others=OTHERS, item9=ITEM9)
def test_a_positive_item9_is_open_on_every_surface_until_reviewed(
    clinician: User, clinic: Clinic, others: list[int], item9: int
) -> None:
    # Examples share the test's database transaction: each gets a new patient.
    someone = make_patient(clinic, f"H-{next(NUMBERS):04d}")
    answer = clinic_phq9(someone, [*others, item9], day=timezone.localdate())
    client = _login(clinician)
    key = f'data-safety-item="answer-{answer.pk}" data-state="open"'
    surfaces = (f"/patients/{someone.pk}/", f"/portal/care/patients/{someone.pk}/", "/dashboard/")

    def open_everywhere() -> bool:
        rows = {r.patient.pk: r for r in dashboard_rows(user=clinician)}
        tasks = open_tasks(user=clinician).safety
        pages = [client.get(url).content.decode() for url in (*surfaces, "/portal/care/")]
        return (
            bool(rows[someone.pk].open_safety)
            and any(row.item.reference == answer.pk for row in tasks)
            and all(key in page for page in pages)
        )

    assert open_everywhere()
    client.post(_url(someone, answer), review_post())
    rows = {r.patient.pk: r for r in dashboard_rows(user=clinician)}
    assert not rows[someone.pk].open_safety
    assert not any(row.item.reference == answer.pk for row in open_tasks(user=clinician).safety)
    for url in surfaces[:2]:
        assert f'data-safety-item="answer-{answer.pk}" data-state="reviewed"' in (
            client.get(url).content.decode()
        )
