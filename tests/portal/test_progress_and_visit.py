"""Plain words for a trend, and the visit page: questions and the printable summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.audit.models import AuditEvent
from trdnav.patients.models import Patient
from trdnav.portal.completions import ScorePoint
from trdnav.portal.models import ConcernReport, VisitQuestion
from trdnav.portal.services.progress import plain_sentence

DAY = date(2025, 3, 3)


def point(total: int, days: int = 0) -> ScorePoint:
    return ScorePoint(DAY + timedelta(days=days), "phq9", total, "patient")


@pytest.mark.parametrize(
    ("first", "latest", "sentence"),
    [
        (21, 12, "Your PHQ-9 score went from 21 to 12, a 43% improvement."),
        (10, 5, "Your PHQ-9 score went from 10 to 5, a 50% improvement."),
        (8, 7, "Your PHQ-9 score went from 8 to 7, a 13% improvement."),  # 12.5 rounds up
        (
            10,
            14,
            "Your PHQ-9 score went from 10 to 14, 40% higher. Lower scores mean fewer symptoms.",
        ),
        (0, 3, "Your PHQ-9 score went from 0 to 3. Lower scores mean fewer symptoms."),
        (9, 9, "Your PHQ-9 score stayed at 9."),
    ],
)
def test_a_trend_is_put_in_plain_words(first: int, latest: int, sentence: str) -> None:
    assert plain_sentence("PHQ-9", point(first), point(latest, days=42)) == sentence


def test_a_single_score_is_stated_as_it_is() -> None:
    only = point(15)
    assert plain_sentence("PHQ-9", only, only) == "Your PHQ-9 score was 15."


@pytest.fixture
def as_patient(client: Client, patient_user: User) -> Client:
    client.force_login(patient_user)
    return client


@pytest.mark.django_db
def test_questions_are_kept_for_the_visit_and_marked_asked_not_deleted(
    as_patient: Client, patient: Patient
) -> None:
    assert as_patient.post("/portal/visit/", {"text": "Can I drive after TMS?"}).status_code == 302
    question = VisitQuestion.objects.get()
    assert "Can I drive after TMS?" in as_patient.get("/portal/visit/summary/").content.decode()
    as_patient.post(f"/portal/visit/questions/{question.pk}/done/")
    question.refresh_from_db()
    assert question.done_at is not None
    assert "Can I drive after TMS?" not in as_patient.get("/portal/visit/summary/").content.decode()
    assert as_patient.post("/portal/visit/", {"text": "  "}).status_code == 400


@pytest.mark.django_db
def test_the_summary_lists_reports_since_the_chosen_day_and_is_audited_as_an_export(
    as_patient: Client, patient: Patient
) -> None:
    now = timezone.now()
    for days_ago, what in ((40, "old rash"), (5, "dizziness")):
        ConcernReport.objects.create(
            patient=patient, kind="side_effect", what=what, severity="mild",
            since=DAY, self_harm_thoughts=False, created_at=now - timedelta(days=days_ago),
        )  # fmt: skip
    since = (timezone.localdate() - timedelta(days=30)).isoformat()
    page = as_patient.get(f"/portal/visit/summary/?since={since}").content.decode()
    assert "dizziness" in page
    assert "old rash" not in page
    assert AuditEvent.objects.filter(action="export", object_type="visit_summary").exists()
    assert as_patient.get("/portal/visit/summary/?since=not-a-date").status_code == 200
    # A day long before birth ("since 1 January 1000", walkthrough D15) starts at birth.
    early = as_patient.get("/portal/visit/summary/?since=1000-01-01").content.decode()
    assert "January 1000" not in early and "1000-01-01" not in early and "old rash" in early


@pytest.mark.django_db
def test_another_patients_question_cannot_be_marked_done(
    as_patient: Client, other_patient: Patient
) -> None:
    foreign = VisitQuestion.objects.create(
        patient=other_patient, text="x", created_at=timezone.now()
    )
    assert as_patient.post(f"/portal/visit/questions/{foreign.pk}/done/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.done_at is None
