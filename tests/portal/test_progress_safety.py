"""After a positive (or unanswered) safety item the progress page leads with the crisis
guidance and states the change without cheer, until a later result of that questionnaire
answers the safety item negatively (P-P9, P-P10)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from django.test import Client

from tests.portal.conftest import SCHEDULE_START
from trdnav.accounts.models import User
from trdnav.assessments.services import record_assessment
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient
from trdnav.portal.completions import ScorePoint
from trdnav.portal.services.progress import plain_sentence

pytestmark = pytest.mark.django_db

HIGH = [3, 3, 3, 2, 2, 2, 2, 2, 2]  # 21, item 9 positive
LOWER_ITEM9 = [2, 2, 1, 1, 1, 2, 1, 1, 1]  # 12, item 9 positive
LOWER_CLEAR = [2, 2, 1, 1, 1, 2, 1, 2, 0]  # 12, item 9 negative
LOWER_UNANSWERED = [2, 2, 1, 1, 1, 2, 1, 2, None]  # incomplete: item 9 unknown
CRISIS_HEADING = "Please get help now"


@pytest.fixture
def as_patient(client: Client, portal_user: User) -> Client:
    client.force_login(portal_user)
    return client


def record(patient: Patient, by: User, items: Sequence[int | None], weeks: int, **kw: str) -> None:
    record_assessment(
        patient=patient, instrument=kw.get("instrument", "phq9"), answers={"items": items},
        administered_on=SCHEDULE_START + timedelta(weeks=weeks),
        by=Actor(user=by, clinic=patient.clinic), source=kw.get("source", "patient"),
    )  # fmt: skip


def progress(client: Client) -> str:
    return client.get("/portal/progress/").content.decode()


def test_a_positive_latest_item9_puts_crisis_guidance_first_and_drops_the_percentage(
    as_patient: Client, patient: Patient, clinician: User
) -> None:
    record(patient, clinician, HIGH, 0, source="clinician")
    record(patient, clinician, LOWER_ITEM9, 6)
    page = progress(as_patient)
    assert page.index(CRISIS_HEADING) < page.index("PHQ-9 score went from")
    assert "Your PHQ-9 score went from 21 to 12. You also told us you have had thoughts" in page
    assert "improvement" not in page
    assert "%" not in page.split("<footer")[0]


def test_a_later_negative_item9_ends_the_guidance_and_the_plain_percentage_returns(
    as_patient: Client, patient: Patient, clinician: User
) -> None:
    record(patient, clinician, HIGH, 0)
    record(patient, clinician, LOWER_CLEAR, 6)
    page = progress(as_patient)
    assert CRISIS_HEADING not in page
    assert "Your PHQ-9 score went from 21 to 12, a 43% improvement." in page


def test_an_unanswered_item9_on_the_latest_result_counts_as_unknown_not_negative(
    as_patient: Client, patient: Patient, clinician: User
) -> None:
    record(patient, clinician, HIGH, 0)
    record(patient, clinician, LOWER_CLEAR, 3)
    record(patient, clinician, LOWER_UNANSWERED, 6, source="clinician")  # invalid: no total
    page = progress(as_patient)
    assert CRISIS_HEADING in page
    assert "was not answered" in page
    assert "Your PHQ-9 score went from 21 to 12. The question about thoughts" in page


def test_a_gad7_after_a_positive_phq9_neither_clears_the_guidance_nor_gets_a_percentage(
    as_patient: Client, patient: Patient, clinician: User
) -> None:
    record(patient, clinician, LOWER_ITEM9, 0)
    record(patient, clinician, [2, 2, 2, 2, 2, 2, 2], 0, instrument="gad7")
    record(patient, clinician, [1, 1, 1, 1, 1, 1, 1], 4, instrument="gad7")
    page = progress(as_patient)
    assert CRISIS_HEADING in page
    assert "Your GAD-7 score went from 14 to 7." in page  # no "50% improvement" beside the help
    assert "improvement" not in page


def test_the_guidance_follows_the_latest_result_even_when_an_earlier_one_was_positive(
    as_patient: Client, patient: Patient, clinician: User
) -> None:
    record(patient, clinician, LOWER_ITEM9, 0)
    record(patient, clinician, LOWER_CLEAR, 1)
    assert CRISIS_HEADING not in progress(as_patient)


def test_the_visit_summary_also_leads_with_the_guidance_and_keeps_the_sober_wording(
    as_patient: Client, patient: Patient, clinician: User
) -> None:
    record(patient, clinician, HIGH, 0)
    record(patient, clinician, LOWER_ITEM9, 6)
    page = as_patient.get(f"/portal/visit/summary/?since={SCHEDULE_START}").content.decode()
    assert 'id="summary-crisis"' in page
    assert "Your PHQ-9 score went from 21 to 12. You also told us" in page


@pytest.mark.parametrize(
    ("first", "latest", "safety", "sentence"),
    [
        (21, 12, "positive", "Your PHQ-9 score went from 21 to 12. You also told us"),
        (10, 14, "positive", "Your PHQ-9 score went from 10 to 14. You also told us"),
        (9, 9, "unknown", "Your PHQ-9 score stayed at 9. The question about"),
    ],
)
def test_a_triggering_safety_answer_words_any_change_without_a_percentage(
    first: int, latest: int, safety: str, sentence: str
) -> None:
    day = date(2025, 3, 3)
    begin = ScorePoint(day, "phq9", first, "patient")
    end = ScorePoint(day + timedelta(days=42), "phq9", latest, "patient")
    text = plain_sentence("PHQ-9", begin, end, safety=safety)
    assert text.startswith(sentence)
    assert "%" not in text
    assert "help at the top of this page" in text


def test_beside_another_questionnaires_safety_answer_a_fall_is_stated_without_a_percentage() -> (
    None
):
    day = date(2025, 3, 3)
    begin = ScorePoint(day, "gad7", 14, "patient")
    end = ScorePoint(day + timedelta(days=28), "gad7", 7, "patient")
    assert plain_sentence("GAD-7", begin, end, sober=True) == "Your GAD-7 score went from 14 to 7."
    assert (
        plain_sentence("GAD-7", begin, end)
        == "Your GAD-7 score went from 14 to 7, a 50% improvement."
    )
