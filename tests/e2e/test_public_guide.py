"""The public treatment guide and self-check in a real browser, without log-in and with
JavaScript switched off, at 1280 and 375 px: grouped list, a treatment page with its icon
arrays and course calendar, the PHQ-9 self-check scored on the server (crisis guidance on
item 9 with the rest blank), no sideways scrolling, keyboard use, and the printout."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.settle import close_settled
from tests.factories import make_clinic
from trdnav.portal.models import CrisisGuidance

pytestmark = pytest.mark.browser
WIDTHS = (1280, 375)


@pytest.fixture
def north(transactional_db: None) -> None:
    clinic = make_clinic("north")
    CrisisGuidance.objects.create(
        clinic=clinic, text="Call our duty line, day or night.",
        phone_numbers="Duty line: 0100 200 300\nEmergency: 112",
    )  # fmt: skip


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def no_js(request: pytest.FixtureRequest, browser: Any, live_server: Any) -> Iterator[Any]:
    """A page with JavaScript switched off, at 1280 or 375 px wide."""
    width = request.param
    phone = width < 600
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False,
        viewport={"width": width, "height": 740 if phone else 900},
        is_mobile=phone, has_touch=phone,
    )  # fmt: skip
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.width = width
    yield page
    close_settled(context)


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{page.width}.png", full_page=True)


def _fits(page: Any) -> None:
    """WCAG 1.4.10: no sideways scrolling (measured by the browser's layout, not a script)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.width, f"{page.url} scrolls sideways ({width}px > {page.width}px)"


def test_the_guide_lists_treatments_by_group_and_fits_the_screen(no_js: Any, north: None) -> None:
    no_js.goto("/guide/north/")
    assert no_js.get_by_role("heading", level=1).inner_text() == (
        "Treatments for depression that has not got better"
    )
    for group in ("Medicines", "Ketamine and esketamine", "Brain stimulation (TMS, ECT, VNS)",
                  "Talking therapies", "Lifestyle and support", "Still being studied"):  # fmt: skip
        assert no_js.get_by_role("heading", name=group, level=2).is_visible()
    assert no_js.get_by_text("If one treatment does not work, there are others.").first.is_visible()
    assert no_js.get_by_role("link", name="0100 200 300").is_visible()
    _fits(no_js)
    _shot(no_js, "public-guide")


def test_a_treatment_page_shows_its_pictures_with_text_alternatives(
    no_js: Any, north: None
) -> None:
    no_js.goto("/guide/north/")
    no_js.get_by_role("link", name="Ketamine drip (infusion)").click()
    assert no_js.get_by_role(
        "img", name="55 in 100 people improved a lot with ketamine"
    ).is_visible()
    assert no_js.get_by_role("img", name="2 drips a week for 3 weeks").is_visible()
    _fits(no_js)
    _shot(no_js, "public-guide-ketamine")
    no_js.goto("/guide/treatments/esketamine/")
    calendar = "2 visits a week for 4 weeks, then 1 visit a week for 4 weeks"
    assert no_js.get_by_role("img", name=calendar).is_visible()
    _fits(no_js)
    _shot(no_js, "public-guide-esketamine")


def test_the_self_check_without_javascript_shows_crisis_help_for_item_9_alone(
    no_js: Any, north: None
) -> None:
    no_js.goto("/guide/north/self-check/")
    _fits(no_js)
    no_js.locator("#item9").get_by_text("Several days").click()
    no_js.get_by_role("button", name="See my score").click()
    alert = no_js.locator(".crisis-now[role=alert]")
    assert alert.is_visible()
    assert alert.get_by_role("heading", name="Please get help now").is_visible()
    assert alert.get_by_role("link", name="Duty line 0100 200 300").is_visible()
    assert alert.evaluate("element => element === document.activeElement")  # autofocus, no script
    box = alert.bounding_box()
    assert box is not None and box["y"] < 400  # near the top, not at the foot of the page
    assert no_js.get_by_text("A score needs all 9 answers").is_visible()
    assert no_js.locator("#item9-1").is_checked()
    _fits(no_js)
    _shot(no_js, "public-self-check-crisis")


def test_the_self_check_without_javascript_scores_a_complete_form_on_the_server(
    no_js: Any, live_server: Any
) -> None:
    no_js.goto("/guide/self-check/")
    # Keyboard: the arrow keys move through a question's answers.
    no_js.locator("#item1-0").focus()
    no_js.keyboard.press("ArrowDown")
    assert no_js.locator("#item1-1").is_checked()
    for number in range(2, 10):
        answer = "More than half the days" if number < 9 else "Not at all"
        no_js.locator(f"#item{number}").get_by_text(answer, exact=True).click()
    no_js.get_by_role("button", name="See my score").click()
    result = no_js.locator("#result")
    assert result.get_by_role("heading", name="Your score: 15 out of 27").is_visible()
    assert result.evaluate("element => element === document.activeElement")
    assert no_js.get_by_text("moderately severe symptoms").is_visible()
    assert no_js.locator(".crisis-now").count() == 0
    _fits(no_js)
    _shot(no_js, "public-self-check-score")


def test_an_incomplete_self_check_moves_focus_to_the_list_of_questions_left(
    no_js: Any, live_server: Any
) -> None:
    no_js.goto("/guide/self-check/")
    no_js.locator("#item9").get_by_text("Not at all").click()
    no_js.get_by_role("button", name="See my score").click()
    summary = no_js.locator("#problems")
    assert summary.evaluate("element => element === document.activeElement")
    assert summary.get_by_role("link", name="question 1").is_visible()
    _shot(no_js, "public-self-check-incomplete")


def test_a_treatment_page_prints_without_navigation(browser: Any, live_server: Any) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/guide/treatments/rtms/")
    page.emulate_media(media="print")
    assert page.locator(".site-header nav").is_hidden()
    assert page.get_by_role("img", name="29 in 100 people improved a lot with TMS").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "public-guide-rtms-print.png", full_page=True)
    page.pdf(path=str(SCREENSHOTS.parent / "public-guide-rtms.pdf"))
    close_settled(context)
