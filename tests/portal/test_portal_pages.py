"""Portal page details found in the acceptance review: the trend chart (proportional numbers,
a marker and a date for each score) and the way back from a therapy page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client

from trdnav.accounts.models import User
from trdnav.assessments.models import Source
from trdnav.assessments.services import record_assessment
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient

FIRST_DAY = date(2025, 3, 3)
TOTALS = (18, 15, 11)


@pytest.fixture
def as_patient(client: Client, patient_user: User) -> Client:
    client.force_login(patient_user)
    return client


@pytest.fixture
def three_phq9(patient: Patient, clinician: User) -> None:
    for week, total in enumerate(TOTALS):
        # Items summing to ``total`` with item 9 (index 8) answered 0.
        items = [3] * (total // 3) + ([total % 3] if total % 3 else [])
        items += [0] * (9 - len(items))
        record_assessment(
            patient=patient, instrument="phq9", answers={"items": items},
            administered_on=FIRST_DAY + timedelta(weeks=week), by=Actor(user=clinician),
            source=Source.CLINICIAN,
        )  # fmt: skip


@pytest.mark.django_db
def test_the_trend_chart_keeps_its_numbers_in_proportion(
    as_patient: Client, three_phq9: None
) -> None:
    page = as_patient.get("/portal/progress/").content.decode()
    assert "<svg" in page
    # Stretching the drawing to the page's width would stretch the axis numbers with it.
    assert 'preserveAspectRatio="none"' not in page


@pytest.mark.django_db
def test_the_trend_chart_marks_each_score_and_labels_its_first_and_last_dates(
    as_patient: Client, three_phq9: None
) -> None:
    page = as_patient.get("/portal/progress/").content.decode()
    chart = re.search(r"<svg.*?</svg>", page, re.S)
    assert chart is not None
    markers = re.findall(r"<circle[^>]*>\s*<title>([^<]*)</title>", chart[0])
    assert markers == ["3 Mar 2025: 18", "10 Mar 2025: 15", "17 Mar 2025: 11"]
    labels = re.findall(r'<text[^>]*class="tick date"[^>]*>([^<]*)</text>', chart[0])
    assert labels == ["3 Mar 2025", "17 Mar 2025"]


@pytest.mark.django_db
def test_a_therapy_page_links_back_to_the_list_of_treatments(as_patient: Client) -> None:
    page = as_patient.get("/portal/treatments/ect/").content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title
    main = page.split('<main id="main">', 1)[1]
    assert 'href="/portal/treatments/"' in main


@pytest.mark.django_db
def test_a_summary_without_questions_says_so_without_numbering_it(as_patient: Client) -> None:
    page = as_patient.get("/portal/visit/summary/").content.decode()
    assert '<p id="summary-questions">No questions written down.</p>' in page


EDITORIAL_MARKERS = ("from memory", "recalled", "not checked", "not yet checked", "not captured")


def test_no_therapy_page_shows_an_editorial_marker_to_a_patient(as_patient: Client) -> None:
    from trdnav.core.knowledge import load_therapies

    for therapy_id in load_therapies().therapies:
        page = as_patient.get(f"/portal/treatments/{therapy_id}/").content.decode().lower()
        found = [marker for marker in EDITORIAL_MARKERS if marker in page]
        assert not found, (therapy_id, found)


def test_a_therapy_page_shows_its_safety_warnings_to_the_patient(as_patient: Client) -> None:
    page = as_patient.get("/portal/treatments/esketamine/").content.decode()
    assert "Important safety information" in page
    assert "may harm an unborn baby" in page
