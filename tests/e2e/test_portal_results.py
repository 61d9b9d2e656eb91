"""The patient portal with stored results, in a real browser on the demo clinic: a due PHQ-9
with item 9 positive shows crisis guidance, then the trend (headed by the guidance, without a
percentage); the visit summary in print."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.e2e.settle import close_settled
from trdnav.demo import load_demo_data
from trdnav.demo.loader import DEMO_MEMBERS

pytestmark = pytest.mark.browser

PASSWORDS = {username: password for _, username, password, _, _ in DEMO_MEMBERS}


@pytest.fixture
def demo_clinic(transactional_db: None) -> None:
    load_demo_data(progress=lambda _: None, as_of=date.today())  # noqa: DTZ011  (the live server's today)


def test_a_due_phq9_with_item9_positive_shows_crisis_guidance_then_the_trend(
    page: Any, screenshot: Any, browser: Any, live_server: Any, demo_clinic: None
) -> None:
    log_in(page, "demo-patient", PASSWORDS["demo-patient"])
    page.get_by_role("link", name="Start the PHQ-9").click()
    for number, fieldset in enumerate(page.locator("fieldset.question").all(), start=1):
        fieldset.get_by_label("Several days" if number == 9 else "Not at all").check()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url("**/portal/help-now/")
    alert = page.get_by_role("alert")
    assert "call your local emergency number" in alert.inner_text()
    assert "not monitored in real time" in alert.inner_text()
    screenshot("portal-crisis-guidance")

    page.goto("/portal/progress/")
    first_alert = page.get_by_role("alert").first
    assert "Please get help now" in first_alert.inner_text()  # at the top, before any trend
    assert first_alert.bounding_box()["y"] < page.locator(".trend").first.bounding_box()["y"]
    sentence = page.locator(".trend-sentence").first.inner_text()
    assert sentence.startswith("Your PHQ-9 score went from")
    assert "You also told us you have had thoughts" in sentence
    assert "%" not in sentence
    assert page.locator("svg.trend-chart").first.is_visible()
    screenshot("portal-progress")

    clinician = browser.new_context(base_url=live_server.url).new_page()
    log_in(clinician, "demo-clinician", PASSWORDS["demo-clinician"])
    assert "PHQ-9 item 9, positive" in clinician.locator("#portal-tasks").inner_text()
    close_settled(clinician.context)


def test_the_visit_summary_prints_scores_reports_and_questions(
    page: Any, demo_clinic: None
) -> None:
    log_in(page, "demo-patient", PASSWORDS["demo-patient"])
    page.goto("/portal/visit/")
    page.get_by_label("A question for your next visit").fill("Can I drive after TMS?")
    page.get_by_role("button", name="Add my question").click()
    page.get_by_role("button", name="Show my visit summary").click()
    page.wait_for_url("**/portal/visit/summary/**")
    assert "Can I drive after TMS?" in page.locator("#summary-questions").inner_text()
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").is_visible()
    assert not page.locator("footer").is_visible()  # docs/portal.md: print drops the footer
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS.parent / "portal-visit-summary.pdf"))
    page.screenshot(path=SCREENSHOTS / "portal-visit-summary-print.png", full_page=True)
    assert (SCREENSHOTS.parent / "portal-visit-summary.pdf").stat().st_size > 1000
