"""Recording a PHQ-9 with item 9 positive, then seeing the flag on the chart and the dashboard,
and opening the options' evidence, in a real browser on the demo clinic."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.e2e.conftest import log_in
from trdnav.demo import load_demo_data
from trdnav.demo.loader import DEMO_MEMBERS
from trdnav.patients.models import Patient

pytestmark = pytest.mark.browser

PASSWORDS = {username: password for _, username, password, _, _ in DEMO_MEMBERS}


@pytest.fixture
def demo_clinic(transactional_db: None) -> None:
    load_demo_data(progress=lambda _: None, as_of=date(2025, 3, 1))


def _record_phq9_with_item9_positive(page: Any, patient: Patient) -> None:
    page.get_by_role("link", name="Record an assessment").click()
    page.get_by_role("link", name="PHQ-9", exact=True).click()
    page.wait_for_url(f"**/patients/{patient.pk}/assessments/new/phq9/")
    for number in range(1, 9):
        page.locator(f"#fieldset-item_{number}").get_by_label("1 — several days").check()
    page.locator("#fieldset-item_9").get_by_label("3 — nearly every day").check()
    page.get_by_role("button", name="Save and score").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")


def test_a_positive_item9_shows_on_the_chart_and_tops_the_dashboard(
    page: Any, screenshot: Any, demo_clinic: None
) -> None:
    patient = Patient.objects.get(record_number="DEMO-0007")
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    page.goto(f"/patients/{patient.pk}/")
    _record_phq9_with_item9_positive(page, patient)
    # The chart's header shows the one safety state (trdnav.safety): an open item to review.
    flag = page.locator('#safety [data-state="open"]')
    assert "PHQ-9 item 9: positive, high priority" in flag.first.inner_text()
    assert flag.first.get_by_role("link", name="Review safety answer").is_visible()
    # One score panel per instrument with scores, on the life chart's one time axis.
    instruments = patient.assessments.filter(valid=True).values("instrument").distinct().count()
    assert page.locator("#life-chart svg.lifechart-wide g.panel").count() == instruments
    screenshot("chart")
    page.get_by_role("link", name="Dashboard").click()
    first_row = page.locator("#dashboard tbody tr").first
    assert first_row.get_attribute("data-record") == "DEMO-0007"
    assert "PHQ-9 safety item positive, high priority" in first_row.inner_text()
    screenshot("dashboard-with-flag")


def test_the_options_open_to_their_evidence_and_what_to_expect(
    page: Any, demo_clinic: None
) -> None:
    patient = Patient.objects.get(record_number="DEMO-0003")
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    page.goto(f"/patients/{patient.pk}/")
    # Beyond the top five, options sit collapsed in their kind's group.
    group = page.locator("#option-groups details.option-group").first
    group.locator(":scope > summary").click()
    first = group.locator("details.option").first
    reasons = first.locator("ul.reasons")
    assert not reasons.is_visible()
    first.locator(":scope > summary").click()
    assert reasons.is_visible()
    assert first.locator("cite").first.inner_text().strip()
    assert first.get_by_role("heading", name="What to expect").is_visible()
