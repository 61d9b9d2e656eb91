"""``Cache-Control: no-store`` on every page and API response with patient data (static files
keep their caching), and date fields that work in every browser locale: the value of an
``<input type="date">`` is always ISO, and the server reads ISO whatever the language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from trdnav.accounts.models import User
from trdnav.accounts.tokens import issue_token
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient
from trdnav.portal.models import QuestionnaireSchedule

pytestmark = pytest.mark.django_db


def _no_store(response: object) -> bool:
    header = getattr(response, "headers", {}).get("Cache-Control", "")
    return "no-store" in header and "private" in header


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/patients/",
        "/patients/{pk}/",
        "/patients/{pk}/assessments/",
        "/patients/{pk}/history/",
        "/portal/care/patients/{pk}/",
        "/portal/care/",
    ],
)
def test_patient_pages_are_never_stored_by_the_browser(
    client: Client, clinician: User, patient: Patient, url: str
) -> None:
    client.force_login(clinician)
    response = client.get(url.format(pk=patient.pk))
    assert response.status_code == 200
    assert _no_store(response)


def test_the_patients_own_portal_pages_are_never_stored(client: Client, patient_user: User) -> None:
    client.force_login(patient_user)
    for url in ("/portal/", "/portal/progress/", "/portal/visit/summary/"):
        assert _no_store(client.get(url)), url


def test_api_responses_and_errors_are_never_stored(
    client: Client, clinician: User, patient: Patient
) -> None:
    _, raw = issue_token(user=clinician, name="t", by=Actor(user=clinician))
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for url in (f"/api/v1/patients/{patient.pk}", "/api/v1/patients", "/api/v1/patients/0"):
        assert _no_store(client.get(url, **auth)), url
    assert _no_store(client.get("/api/v1/patients"))  # 401


def test_static_files_keep_their_own_caching(client: Client) -> None:
    response = client.get("/static/trdnav/site.css")
    try:
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")
    finally:
        response.close()


@pytest.mark.parametrize("language", ["de", "fr", "en-us", "ja"])
def test_the_schedule_forms_date_is_iso_in_every_language(
    client: Client, clinician: User, patient: Patient, language: str
) -> None:
    client.force_login(clinician)
    today = timezone.localdate()
    with translation.override(language):
        page = client.get(
            f"/portal/care/patients/{patient.pk}/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        start = re.search(r'<input[^>]*name="start"[^>]*>', page)
        assert start is not None
        assert 'type="date"' in start.group(0)
        assert f'value="{today.isoformat()}"' in start.group(0)
        response = client.post(
            f"/portal/care/patients/{patient.pk}/schedules/",
            {"instrument": "phq9", "every_days": "7", "start": today.isoformat()},
            HTTP_ACCEPT_LANGUAGE=language,
        )
    assert response.status_code == 302
    assert QuestionnaireSchedule.objects.get().start == today


def test_every_date_input_on_the_record_forms_renders_iso(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    with translation.override("de"):
        for url in (
            f"/patients/{patient.pk}/edit/",
            f"/patients/{patient.pk}/assessments/new/phq9/",
            f"/patients/{patient.pk}/history/episodes/new/",
        ):
            page = client.get(url).content.decode()
            dates = re.findall(r'<input[^>]*type="date"[^>]*>', page)
            assert dates, url
            for tag in dates:
                value = re.search(r'value="([^"]*)"', tag)
                assert value is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.group(1)), tag


def test_an_implausible_date_is_refused_with_a_field_error(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.post(
        f"/portal/care/patients/{patient.pk}/schedules/",
        {"instrument": "phq9", "every_days": "7", "start": "1000-01-01"},
    )
    assert response.status_code == 400
    assert "Give a date between" in str(response.context["schedule_form"].errors["start"])
    assert not QuestionnaireSchedule.objects.exists()
