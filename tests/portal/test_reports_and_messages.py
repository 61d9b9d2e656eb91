"""Concern reports, safety notices, messages and the care team's tasks, through the pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from trdnav.accounts.models import Clinic, User
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient
from trdnav.portal.models import ConcernReport, Message, SafetyNotice, SafetySource, Thread
from trdnav.portal.services.safety import acknowledge_notice, raise_notice
from trdnav.portal.services.tasks import open_tasks

pytestmark = pytest.mark.django_db


def report(**changes: str) -> dict[str, str]:
    data = {
        "kind": "side_effect",
        "what": "headaches",
        "severity": "moderate",
        "since": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "details": "after each session",
        "self_harm_thoughts": "no",
    }
    data.update(changes)
    return data


@pytest.fixture
def as_patient(client: Client, patient_user: User) -> Client:
    client.force_login(patient_user)
    return client


@pytest.fixture
def as_clinician(clinician: User) -> Client:
    other = Client()
    other.force_login(clinician)
    return other


def test_a_side_effect_report_lands_on_the_dashboard_and_the_patient_sees_when_it_was_read(
    as_patient: Client, as_clinician: Client, patient: Patient
) -> None:
    assert as_patient.post("/portal/reports/", report()).status_code == 302
    saved = ConcernReport.objects.get()
    dashboard = as_clinician.get("/dashboard/")
    assert b"headaches" in dashboard.content
    assert b"Not read yet" in as_patient.get("/portal/reports/").content
    response = as_clinician.post(
        f"/portal/care/reports/{saved.pk}/acknowledge/", {"next": "dashboard"}
    )
    assert response["Location"] == "/dashboard/"
    saved.refresh_from_db()
    assert saved.acknowledged_at is not None
    assert b"Read on" in as_patient.get("/portal/reports/").content
    assert AuditEvent.objects.filter(object_type="concern_report", summary="acknowledged").exists()


def test_a_report_with_thoughts_of_self_harm_shows_crisis_guidance_and_flags_the_dashboard(
    as_patient: Client, as_clinician: Client
) -> None:
    response = as_patient.post("/portal/reports/", report(self_harm_thoughts="yes"))
    assert response["Location"] == "/portal/help-now/"
    page = as_patient.get("/portal/help-now/").content.decode()
    assert "call your local emergency number" in page
    assert "not monitored in real time" in page
    notice = SafetyNotice.objects.get()
    assert notice.source == "report"
    dashboard = as_clinician.get("/dashboard/").content.decode()
    assert "Safety: suicidality answers and self-harm reports to review" in dashboard
    report_id = int(notice.reference)
    # The older acknowledge action now leads to the review, which asks what was done.
    response = as_clinician.post(f"/portal/care/safety/{notice.pk}/acknowledge/")
    review_url = f"/safety/patients/{notice.patient_id}/report/{report_id}/review/"
    assert response["Location"] == f"{review_url}?next=inbox"
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    done = as_clinician.post(
        review_url, {"actions": ["phone_call"], "done_at": now, "mark_high_risk": "no"}
    )
    assert done.status_code == 302
    assert open_tasks(user=as_clinician_user(as_clinician)).safety == []
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None


def as_clinician_user(client: Client) -> User:
    return User.objects.get(pk=client.session["_auth_user_id"])


def test_an_incomplete_report_stores_nothing_and_says_what_is_missing(as_patient: Client) -> None:
    response = as_patient.post("/portal/reports/", report(what="", self_harm_thoughts=""))
    assert response.status_code == 400
    assert b"Please choose an answer" in response.content
    assert not ConcernReport.objects.exists()


def test_a_report_dated_in_the_future_is_refused(as_patient: Client) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert as_patient.post("/portal/reports/", report(since=tomorrow)).status_code == 400
    assert not ConcernReport.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"since": "1900-01-01"}, "since"), ({"details": "x" * 5001}, "details")],
)
def test_a_report_from_before_birth_or_with_huge_details_is_refused(
    as_patient: Client, changes: dict[str, str], field: str
) -> None:
    response = as_patient.post("/portal/reports/", report(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ConcernReport.objects.exists()


def test_the_limits_are_told_before_sending(as_patient: Client) -> None:
    page = as_patient.get("/portal/reports/").content.decode()
    assert "Up to 5000 characters" in page and 'maxlength="5000"' in page
    messages = as_patient.get("/portal/messages/").content.decode()
    assert "Up to 5000 characters" in messages and 'maxlength="5000"' in messages


def test_a_message_thread_goes_both_ways_is_marked_read_and_audited(
    as_patient: Client, as_clinician: Client, patient: Patient
) -> None:
    response = as_patient.post(
        "/portal/messages/", {"subject": "Dose", "body": "Can I take it at night?"}
    )
    thread = Thread.objects.get()
    assert response["Location"] == f"/portal/messages/{thread.pk}/"
    assert b"Dose" in as_clinician.get("/portal/care/").content
    as_clinician.post(f"/portal/care/messages/{thread.pk}/", {"body": "Yes, that is fine."})
    assert Message.objects.filter(from_patient=True, read_at__isnull=False).count() == 1
    home = as_patient.get("/portal/").content.decode()
    assert "1 unread message" in home
    page = as_patient.get(f"/portal/messages/{thread.pk}/").content.decode()
    assert "Yes, that is fine." in page
    assert Message.objects.filter(read_at__isnull=True).count() == 0
    kinds = set(
        AuditEvent.objects.filter(patient_id=patient.pk).values_list("object_type", flat=True)
    )
    assert {"portal_message", "portal_thread"} <= kinds
    assert not AuditEvent.objects.filter(summary__icontains="night").exists()


def test_an_empty_message_is_refused(as_patient: Client) -> None:
    assert as_patient.post("/portal/messages/", {"subject": "x", "body": "   "}).status_code == 400
    assert not Thread.objects.exists()


def test_every_portal_page_shows_the_crisis_guidance_in_its_footer(as_patient: Client) -> None:
    for url in ("/portal/", "/portal/progress/", "/portal/reports/", "/portal/messages/",
                "/portal/visit/", "/portal/treatments/", "/portal/treatments/ect/"):  # fmt: skip
        page = as_patient.get(url).content.decode()
        assert "Need help now?" in page, url
        assert "not monitored in real time" in page, url


def test_the_clinic_can_set_its_own_crisis_text_and_numbers(
    as_patient: Client, clinic: Clinic
) -> None:
    from trdnav.portal.models import CrisisGuidance

    CrisisGuidance.objects.create(
        clinic=clinic, text="Call the North duty team.", phone_numbers="Duty team: 0100 000 000"
    )
    page = as_patient.get("/portal/").content.decode()
    assert "Call the North duty team." in page
    assert 'href="tel:0100000000"' in page
    assert "not monitored in real time" in page


def test_the_site_admin_edits_a_clinics_crisis_guidance(clinic: Clinic) -> None:
    from trdnav.portal.models import CrisisGuidance

    admin_user = User.objects.create_superuser(username="root", password="x" * 12)
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/admin/portal/crisisguidance/add/",
        {"clinic": clinic.pk, "text": "Call the duty team.", "phone_numbers": "Duty: 0100"},
    )
    assert response.status_code == 302
    assert CrisisGuidance.objects.get().numbers() == [("Duty", "0100")]


def test_the_task_panel_costs_the_same_queries_however_many_tasks(
    clinician: User, clinic: Clinic, django_assert_num_queries: Any
) -> None:
    from tests.factories import make_patient

    now = timezone.now()
    for number in range(30):
        someone = make_patient(clinic, f"T-{number:03d}")
        concern = ConcernReport.objects.create(
            patient=someone, kind="concern", what="w", severity="mild",
            since=timezone.localdate(), self_harm_thoughts=True, created_at=now,
        )  # fmt: skip
        SafetyNotice.objects.create(
            patient=someone, source="report", detail="d", created_at=now,
            reference=str(concern.pk),
        )  # fmt: skip
        thread = Thread.objects.create(
            patient=someone, subject="s", created_at=now, last_message_at=now
        )
        Message.objects.create(thread=thread, from_patient=True, body="b", sent_at=now)
    clinician = User.objects.select_related("membership").get(pk=clinician.pk)
    # The clinic's patients, then the safety state (latest safety answers, open notices,
    # reviews, the reports they name), then the reports and the threads.
    with django_assert_num_queries(7):
        tasks = open_tasks(user=clinician)
    assert (len(tasks.safety), len(tasks.reports), len(tasks.threads)) == (30, 30, 30)


def test_the_patients_portal_panel_lists_safety_items_and_reviews_them_from_there(
    as_patient: Client, as_clinician: Client, patient: Patient
) -> None:
    as_patient.post("/portal/reports/", report(self_harm_thoughts="yes"))
    notice = SafetyNotice.objects.get()
    panel = as_clinician.get(f"/portal/care/patients/{patient.pk}/").content.decode()
    section = panel.split('id="safety"')[1].split("</section>")[0]
    review_url = f"/safety/patients/{patient.pk}/report/{notice.reference}/review/"
    assert "self-harm question of a concern report" in section
    assert f"{review_url}?next=panel" in section
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = as_clinician.post(
        review_url,
        {"actions": ["safety_plan"], "done_at": now, "mark_high_risk": "no", "next": "panel"},
    )
    assert response["Location"] == f"/portal/care/patients/{patient.pk}/"
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None
    panel = as_clinician.get(f"/portal/care/patients/{patient.pk}/").content.decode()
    section = panel.split('id="safety"')[1].split("</section>")[0]
    assert "Reviewed by dr-north: safety plan made or reviewed" in section


def test_a_report_acknowledged_on_the_panel_returns_to_the_panel(
    as_patient: Client, as_clinician: Client, patient: Patient
) -> None:
    as_patient.post("/portal/reports/", report())
    saved = ConcernReport.objects.get()
    response = as_clinician.post(f"/portal/care/reports/{saved.pk}/acknowledge/", {"next": "panel"})
    assert response["Location"] == f"/portal/care/patients/{patient.pk}/"


def test_staff_see_safety_items_on_the_panel_but_cannot_review_them(
    as_patient: Client, patient: Patient, staff: User
) -> None:
    as_patient.post("/portal/reports/", report(self_harm_thoughts="yes"))
    nurse = Client()
    nurse.force_login(staff)
    panel = nurse.get(f"/portal/care/patients/{patient.pk}/").content.decode()
    section = panel.split('id="safety"')[1].split("</section>")[0]
    assert "A clinician reviews it." in section
    assert "/review/" not in section
    notice = SafetyNotice.objects.get()
    assert nurse.post(f"/portal/care/safety/{notice.pk}/acknowledge/").status_code == 403
    review_url = f"/safety/patients/{patient.pk}/report/{notice.reference}/review/"
    assert nurse.get(review_url).status_code == 403


@pytest.mark.parametrize("side", ["patient", "care team"])
def test_a_reply_too_long_is_refused_with_a_field_error_and_stores_nothing(
    as_patient: Client, as_clinician: Client, patient: Patient, side: str
) -> None:
    now = timezone.now()
    thread = Thread.objects.create(
        patient=patient, subject="Dose", created_at=now, last_message_at=now
    )
    client, url = (
        (as_patient, f"/portal/messages/{thread.pk}/")
        if side == "patient"
        else (as_clinician, f"/portal/care/messages/{thread.pk}/")
    )
    response = client.post(url, {"body": "x" * 5001})
    assert response.status_code == 400
    assert "up to 5000 characters" in response.content.decode()
    assert not Message.objects.exists()


def test_a_second_acknowledgement_keeps_the_first_time_and_actor_and_audits_nothing_more(
    patient: Patient, clinician: User, clinic_admin: User
) -> None:
    notice = raise_notice(
        patient=patient, source=SafetySource.REPORT, detail="thoughts of self-harm",
        reference="r1", by=Actor(user=None),
    )  # fmt: skip
    first = acknowledge_notice(notice=notice, by=Actor(user=clinician))
    when = first.acknowledged_at
    assert when is not None
    reloaded = SafetyNotice.objects.get(pk=notice.pk)
    again = acknowledge_notice(notice=reloaded, by=Actor(user=clinic_admin))
    stored = SafetyNotice.objects.get(pk=notice.pk)
    assert again.acknowledged_at == stored.acknowledged_at == when
    assert again.acknowledged_by == stored.acknowledged_by == clinician
    events = AuditEvent.objects.filter(object_type="safety_notice", summary="acknowledged")
    assert [event.actor for event in events] == [clinician]
