"""Log-in, the dashboard and patient pages in a real browser, on the demo clinic."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.e2e.conftest import log_in
from tests.factories import make_patient
from trdnav.demo import load_demo_data
from trdnav.demo.loader import DEMO_MEMBERS
from trdnav.patients.models import Patient

pytestmark = pytest.mark.browser

PASSWORDS = {username: password for _, username, password, _, _ in DEMO_MEMBERS}


@pytest.fixture
def demo_clinic(transactional_db: None) -> None:
    load_demo_data(progress=lambda _: None, as_of=date(2025, 3, 1))


def test_the_demo_clinician_logs_in_and_opens_a_patient(
    page: Any, screenshot: Any, demo_clinic: None
) -> None:
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    assert page.url.endswith("/dashboard/")
    assert page.locator("#dashboard tbody tr").count() == 30
    screenshot("dashboard")
    patient = Patient.objects.get(record_number="DEMO-0007")
    page.get_by_role("link", name=f"{patient.family_name}, {patient.given_name}").first.click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(patient.display_name)
    screenshot("patient")


def test_a_patient_login_cannot_reach_another_patients_record(page: Any, demo_clinic: None) -> None:
    log_in(page, "demo-patient", PASSWORDS["demo-patient"])
    own = Patient.objects.get(record_number="DEMO-0001")
    assert page.url.endswith("/portal/")  # a patient's home page is their portal
    # Not even their own clinician chart: the portal is the patient's view of the record.
    assert page.goto(f"/patients/{own.pk}/").status == 403
    other = Patient.objects.get(record_number="DEMO-0002")
    response = page.goto(f"/patients/{other.pk}/")
    assert response.status == 403
    assert "DEMO-0002" not in page.content()
    assert page.goto("/dashboard/").status == 403


def test_a_wrong_password_shows_an_error_and_stays_on_the_login_page(
    page: Any, demo_clinic: None
) -> None:
    log_in(page, "demo-clinician", "not the password")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("alert").first.is_visible()


def test_the_dashboard_pages_a_large_clinic_and_reflows_on_a_phone(
    page: Any, screenshot: Any, demo_clinic: None
) -> None:
    clinic = Patient.objects.get(record_number="DEMO-0007").clinic
    for number in range(1, 61):  # 90 active patients: two pages of 50 and 40
        make_patient(clinic, f"PAGE-{number:03d}")
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    assert page.locator("#dashboard tbody tr").count() == 50
    pages = page.get_by_role("navigation", name="Dashboard pages")
    assert "Page 1 of 2" in pages.inner_text()
    page.fill("#id_q", "PAGE")  # 60 of them: two pages again
    page.get_by_role("button", name="Show patients").click()
    pages.get_by_role("link", name="Next").click()
    page.wait_for_url("**/dashboard/?q=PAGE&page=2")
    assert page.locator("#dashboard tbody tr").count() == 10
    assert page.locator("#id_q").input_value() == "PAGE"
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(f"dashboard-page-2-{width}")
    assert pages.get_by_role("link", name="Previous").is_visible()
