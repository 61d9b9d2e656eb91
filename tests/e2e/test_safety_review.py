"""Reviewing a safety flag in a real browser on the demo clinic: from the dashboard, the review
form (what was done, when, high suicide risk yes or no), the confirmation, then the same
reviewed state on the patient's chart and portal panel; at 1280 and 375 px, each page no wider
than the phone (P-SR1, P-SR2)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from tests.e2e.conftest import log_in
from trdnav.demo import load_demo_data
from trdnav.demo.loader import DEMO_MEMBERS

pytestmark = pytest.mark.browser

PASSWORDS = {username: password for _, username, password, _, _ in DEMO_MEMBERS}
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 375, "height": 812}


@pytest.fixture
def demo_clinic(transactional_db: None) -> None:
    load_demo_data(progress=lambda _: None, as_of=date.today())  # noqa: DTZ011  (the live server's today)


def _both_widths(page: Any, screenshot: Any, name: str) -> None:
    """Screenshots at 1280 and 375 px; at 375 px the page must not scroll sideways."""
    page.set_viewport_size(DESKTOP)
    screenshot(f"safety-{name}-1280")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width} px wide at 375 px"
    screenshot(f"safety-{name}-375")
    page.set_viewport_size(DESKTOP)


def test_a_safety_flag_reviewed_from_the_dashboard_shows_as_reviewed_on_chart_and_panel(
    page: Any, screenshot: Any, demo_clinic: None
) -> None:
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    page.goto("/dashboard/")
    link = page.locator("a.safety-review-link").first
    name = link.inner_text()
    assert re.match(r"Review safety answer from \d+ \w+ \d{4} \(PHQ-9 item 9\)", name), name
    patient = re.search(r"/safety/patients/(\d+)/", link.get_attribute("href") or "")
    assert patient is not None
    _both_widths(page, screenshot, "dashboard")

    link.click()
    page.wait_for_url("**/review/**")
    page.get_by_label("Phone call with the patient").check()
    page.get_by_label("Structured risk assessment (e.g. C-SSRS)").check()
    page.get_by_role("textbox", name="Note").fill("Called; C-SSRS screen; safety plan reviewed.")
    asked = page.get_by_role("radio", name="No", exact=True)
    if asked.count():  # not asked when the profile already says high suicide risk (P-SR3)
        asked.check()
    _both_widths(page, screenshot, "review-form")
    page.get_by_role("button", name="Save the review").click()
    page.wait_for_url("**/dashboard/")
    message = page.locator(".messages").inner_text()
    assert message.startswith("Reviewed: safety answer from") and "To undo" in message
    _both_widths(page, screenshot, "dashboard-after-review")

    pk = patient.group(1)
    surfaces = (("chart", f"/patients/{pk}/"), ("portal-panel", f"/portal/care/patients/{pk}/"))
    for where, url in surfaces:
        page.goto(url)
        reviewed = page.locator('#safety [data-state="reviewed"]').first
        assert "Reviewed by demo-clinician: phone call with the patient" in reviewed.inner_text()
        _both_widths(page, screenshot, where)
