"""The patient portal in a real browser, on the demo clinic: invitation, questionnaires and
crisis guidance, progress, side-effect reports acknowledged by the demo clinician, the visit
summary in print, a treatment page, and a phone-sized screen."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail

from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.e2e.settle import close_settled
from trdnav.demo import load_demo_data
from trdnav.demo.loader import DEMO_MEMBERS
from trdnav.patients.models import Patient
from trdnav.portal.models import ConcernReport

pytestmark = pytest.mark.browser

PASSWORDS = {username: password for _, username, password, _, _ in DEMO_MEMBERS}
NEW_PASSWORD = "a long unusual passphrase 42"


@pytest.fixture
def demo_clinic(transactional_db: None) -> None:
    load_demo_data(progress=lambda _: None, as_of=date.today())  # noqa: DTZ011  (the live server's today)


def test_a_patient_accepts_an_invitation_and_lands_on_their_portal(
    page: Any, browser: Any, live_server: Any, demo_clinic: None
) -> None:
    patient = Patient.objects.get(record_number="DEMO-0002")
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    page.goto(f"/portal/care/patients/{patient.pk}/")
    page.get_by_label("Email").fill("invited@example.org")
    page.get_by_role("button", name="Invite to the portal").click()
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/portal/invitation/" in line)
    patient_side = browser.new_context(base_url=live_server.url).new_page()
    patient_side.goto(link.strip())
    patient_side.get_by_label("Username").fill("invited-patient")
    patient_side.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    patient_side.get_by_label("Password (again)").fill(NEW_PASSWORD)
    patient_side.get_by_role("button", name="Set my password").click()
    patient_side.wait_for_url("**/portal/")
    assert (
        patient_side.get_by_role("heading", level=1).inner_text() == f"Hello, {patient.given_name}"
    )
    assert patient_side.goto(link.strip()).status == 404  # single use
    close_settled(patient_side.context)


def test_a_reported_side_effect_is_seen_and_acknowledged_by_the_demo_clinician(
    page: Any, browser: Any, live_server: Any, demo_clinic: None
) -> None:
    log_in(page, "demo-patient", PASSWORDS["demo-patient"])
    page.goto("/portal/reports/")
    page.get_by_label("A side effect of my treatment").check()
    page.get_by_label("What is it, in a few words?").fill("Dizzy after sessions")
    page.get_by_label("Moderate", exact=False).check()
    page.get_by_label("Since when?").fill("2025-01-06")
    page.locator("fieldset", has_text="thoughts of harming yourself").get_by_label("No").check()
    page.get_by_role("button", name="Send my report").click()
    assert "Not read yet" in page.locator("#my-reports").inner_text()

    clinician = browser.new_context(base_url=live_server.url).new_page()
    log_in(clinician, "demo-clinician", PASSWORDS["demo-clinician"])
    tasks = clinician.locator("#portal-tasks")
    assert "Dizzy after sessions" in tasks.inner_text()
    tasks.get_by_role("button", name="Acknowledge “Dizzy after sessions”").click()
    clinician.wait_for_load_state()
    assert "Dizzy after sessions" not in clinician.locator("#portal-tasks").inner_text()
    close_settled(clinician.context)

    page.reload()
    assert "Read on" in page.locator("#my-reports").inner_text()
    assert ConcernReport.objects.get().acknowledged_at is not None


def test_the_home_and_a_therapy_page_with_crisis_guidance_in_the_footer(
    page: Any, screenshot: Any, demo_clinic: None
) -> None:
    log_in(page, "demo-patient", PASSWORDS["demo-patient"])
    assert page.url.endswith("/portal/")
    assert page.get_by_role("link", name="Start the PHQ-9").is_visible()
    assert "not monitored in real time" in page.locator("footer").inner_text()
    screenshot("portal-home")
    page.goto("/portal/treatments/")
    page.get_by_role("link", name="Electroconvulsive therapy", exact=False).first.click()
    assert page.get_by_role("heading", name="How well it works").is_visible()
    assert page.locator(".how-well li").count() >= 1
    screenshot("portal-therapy")


def test_the_portal_fits_a_phone_screen(browser: Any, live_server: Any, demo_clinic: None) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True,
        has_touch=True, device_scale_factor=2,
    )  # fmt: skip
    phone = context.new_page()
    log_in(phone, "demo-patient", PASSWORDS["demo-patient"])
    phone.get_by_role("link", name="Start the PHQ-9").click()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width}px)"
    first_choice = phone.locator("label.choice").first.bounding_box()
    assert first_choice["height"] >= 44  # a comfortable touch target
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=SCREENSHOTS / "portal-phone-questionnaire.png", full_page=True)
    close_settled(context)
