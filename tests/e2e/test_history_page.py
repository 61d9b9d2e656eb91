"""The demo clinician opens a persona's treatment history and reads a trial's verdict inline."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.conftest import log_in
from trdnav.demo import load_demo_data
from trdnav.demo.loader import DEMO_MEMBERS
from trdnav.patients.models import Patient

pytestmark = pytest.mark.browser

PASSWORDS = {username: password for _, username, password, _, _ in DEMO_MEMBERS}


@pytest.fixture
def demo_clinic(transactional_db: None) -> None:
    load_demo_data(progress=lambda _: None, as_of=timezone.localdate())


def test_the_clinician_sees_each_trials_adequacy_on_a_personas_history_page(
    page: Any, screenshot: Any, demo_clinic: None
) -> None:
    carla = Patient.objects.get(clinic__slug="demo", given_name="Carla", family_name="Mendes")
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    page.goto(f"/patients/{carla.pk}/")
    page.locator("#history-link").click()
    page.wait_for_url(f"**/patients/{carla.pk}/history/")
    sertraline = page.locator("article.treatment", has_text="Antidepressant trial").filter(
        has_text="sertraline"
    )
    verdict = sertraline.locator(".verdict").first
    assert "not adequate" in verdict.inner_text()
    assert "dose below the minimum adequate dose" in verdict.inner_text()
    venlafaxine = page.locator("article.treatment").filter(has_text="venlafaxine").first
    assert "counts as a failed trial" in venlafaxine.inner_text()
    assert "profiles disagree" in venlafaxine.inner_text()
    screenshot("history")
