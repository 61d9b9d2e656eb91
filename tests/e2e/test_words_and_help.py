"""Words, not codes, and help within reach, in a real browser on the demo clinic, at 1280 and
375 px: the treatment editor's honest labels and plain errors; Help now one tap from any portal
page on a phone; the clinic admin's crisis numbers becoming the patient's tap-to-call buttons;
the treatments grouped as patients think of them (P-WD4, P-PH1 to P-PH4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.e2e.settle import close_settled
from trdnav.core.knowledge.patient_guide import load_patient_guide
from trdnav.demo import load_demo_data
from trdnav.demo.loader import DEMO_MEMBERS
from trdnav.patients.models import Patient

pytestmark = pytest.mark.browser

PASSWORDS = {username: password for _, username, password, _, _ in DEMO_MEMBERS}
WIDTHS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 740}}
MIN_TARGET = 44  # CSS px, WCAG 2.5.5


@pytest.fixture
def demo_clinic(transactional_db: None) -> None:
    load_demo_data(progress=lambda _: None, as_of=date.today())  # noqa: DTZ011  (the live server's today)


@pytest.fixture(params=sorted(WIDTHS))
def sized(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page at 1280 px, then at 375 px (a phone, with touch); ``sized.width_name``."""
    phone = request.param == "375"
    context = browser.new_context(
        base_url=live_server.url, viewport=WIDTHS[request.param], is_mobile=phone,
        has_touch=phone,
    )  # fmt: skip
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    new_page.width_name = request.param
    yield new_page
    close_settled(context)


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{page.width_name}.png", full_page=True)


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width}px)"


def test_the_treatment_editor_sent_empty_says_what_is_needed_in_plain_words(
    sized: Any, demo_clinic: None
) -> None:
    patient = Patient.objects.get(record_number="DEMO-0001")
    log_in(sized, "demo-clinician", PASSWORDS["demo-clinician"])
    sized.goto(f"/patients/{patient.pk}/history/treatments/new/antidepressant/")
    labels = [text.strip() for text in sized.locator("form label").all_inner_texts()]
    assert labels[:4] == ["Drug", "Episode", "Start date", "End date (optional)"]
    sized.get_by_role("button", name="Save").click()
    sized.wait_for_load_state()
    text = sized.locator("main").inner_text()
    assert "Enter the antidepressant, for example sertraline." in text
    assert "Enter the date the treatment started." in text
    assert "Enter at least one dose" in text
    assert "{" not in text and "mg_per_day" not in text
    focused = sized.evaluate("document.activeElement.id")
    assert focused == "id_drug"
    _fits(sized)
    _shot(sized, "words-treatment-editor-empty")

    sized.get_by_label("Drug", exact=True).fill("notadrug")
    sized.get_by_label("Start date", exact=True).fill("2025-01-06")
    sized.get_by_label("Dose step 1 from").fill("2025-01-06")
    sized.get_by_label("Dose step 1 mg/day").fill("5000")
    sized.get_by_role("button", name="Save").click()
    sized.wait_for_load_state()
    text = sized.locator("main").inner_text()
    assert "Unknown antidepressant; choose one from the list" in text
    assert "amitriptyline, bupropion" not in text
    _shot(sized, "words-treatment-editor-bad")


def test_help_now_is_one_tap_away_on_every_portal_page(sized: Any, demo_clinic: None) -> None:
    log_in(sized, "demo-patient", PASSWORDS["demo-patient"])
    for url in ("/portal/", "/portal/treatments/ect/", "/portal/progress/", "/portal/visit/"):
        sized.goto(url)
        link = sized.locator("header #help-now-link")
        box = link.bounding_box()
        assert box is not None, url
        assert box["y"] + box["height"] <= sized.viewport_size["height"], url  # first screen
        assert box["height"] >= MIN_TARGET and box["width"] >= MIN_TARGET, url
    _shot(sized, "portal-help-now-link")
    sized.locator("header #help-now-link").click()
    sized.wait_for_url("**/portal/help-now/")
    assert sized.get_by_role("heading", level=1).inner_text() == "Help now"
    text = sized.locator("main").inner_text()
    assert "You said you have had thoughts" not in text
    assert "Your clinic has not set its crisis numbers here yet" in text
    _fits(sized)
    _shot(sized, "portal-help-now-general")


def test_the_clinic_admin_sets_crisis_numbers_and_the_patient_can_tap_to_call(
    sized: Any, browser: Any, live_server: Any, demo_clinic: None
) -> None:
    log_in(sized, "demo-clinic-admin", PASSWORDS["demo-clinic-admin"])
    sized.get_by_role("link", name="Clinic settings").click()
    sized.get_by_role("link", name="Change crisis help").click()
    sized.get_by_label("Name of number 1").fill("Emergency services")
    sized.get_by_role("textbox", name="Number 1 (optional)", exact=True).fill("call 112")
    sized.get_by_role("button", name="Save crisis help").click()
    sized.wait_for_load_state()
    assert "Use digits only" in sized.locator("main").inner_text()
    _shot(sized, "clinic-crisis-help-refused")
    sized.get_by_role("textbox", name="Number 1 (optional)", exact=True).fill("112")
    sized.get_by_label("Name of number 2").fill("Clinic duty line")
    sized.get_by_role("textbox", name="Number 2 (optional)", exact=True).fill("+1 (555) 010-9999")
    sized.get_by_role("button", name="Save crisis help").click()
    sized.wait_for_load_state()
    assert "patients now see 2 numbers" in sized.locator("main").inner_text()
    _shot(sized, "clinic-crisis-help-saved")

    phone = browser.new_context(
        base_url=live_server.url, viewport=WIDTHS[sized.width_name],
        is_mobile=sized.width_name == "375", has_touch=sized.width_name == "375",
    ).new_page()  # fmt: skip
    phone.width_name = sized.width_name
    log_in(phone, "demo-patient", PASSWORDS["demo-patient"])
    phone.locator("header #help-now-link").click()
    phone.wait_for_url("**/portal/help-now/")
    calls = phone.locator("main a.call")
    assert calls.count() == 2
    assert calls.nth(0).get_attribute("href") == "tel:112"
    assert calls.nth(1).get_attribute("href") == "tel:+15550109999"
    for i in range(2):
        box = calls.nth(i).bounding_box()
        assert box["height"] >= MIN_TARGET and box["width"] >= MIN_TARGET
    _fits(phone)
    _shot(phone, "portal-help-now-tap-to-call")
    close_settled(phone.context)


def test_the_treatments_are_grouped_the_way_patients_think(sized: Any, demo_clinic: None) -> None:
    log_in(sized, "demo-patient", PASSWORDS["demo-patient"])
    sized.get_by_role("link", name="Treatments", exact=True).click()
    headings = sized.get_by_role("heading", level=2).all_inner_texts()
    groups = [group.title for group in load_patient_guide().groups]
    assert [h for h in headings if h in groups] == groups
    assert "If one treatment does not work, there are others." in sized.locator("main").inner_text()
    _fits(sized)
    _shot(sized, "portal-treatments-grouped")
    sized.get_by_role("link", name="ECT (electroconvulsive therapy)").click()
    text = sized.locator("main").inner_text()
    assert "PMID" not in text.split("Sources")[0]
    assert "from memory" not in text and "not checked" not in text
    _fits(sized)
    _shot(sized, "portal-treatment-ect")
