"""The clinician chart as a busy clinician uses it (issue 13, items 2 and 7; policies P-CH1 to
P-CH6): the "what now?" header, the life chart's one time axis, the triaged options, the
message after an edit, and the two-page print. Screenshots at 1280 and 375 px."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.conftest import SCREENSHOTS, log_in
from trdnav.demo import load_demo_data
from trdnav.demo.loader import DEMO_MEMBERS
from trdnav.patients.models import Patient

pytestmark = pytest.mark.browser

PASSWORDS = {username: password for _, username, password, _, _ in DEMO_MEMBERS}
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
# Mira's weekly PHQ-9 runs on Mondays from 2023-12-04: a trial starting on one of them.
SCORE_DAY = date(2025, 1, 6)
PRINTED = ("DEMO-0028", "DEMO-0003", "DEMO-0007", "DEMO-0001")
MAX_PAGES = 2


@pytest.fixture
def demo_clinic(transactional_db: None) -> None:
    load_demo_data(progress=lambda _: None, as_of=timezone.localdate())


def _open_chart(page: Any, record: str, query: str = "") -> Patient:
    patient = Patient.objects.get(record_number=record)
    page.goto(f"/patients/{patient.pk}/{query}")
    return patient


def _shot(page: Any, name: str, selector: str | None = None) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"chart-{name}.png"
    if selector is None:
        page.screenshot(path=path, full_page=True)
    else:
        page.locator(selector).screenshot(path=path)


def _centre_x(locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["x"] + box["width"] / 2)


def _left_x(locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["x"])


def _page_count(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def test_the_header_answers_what_now_on_one_screen(page: Any, demo_clinic: None) -> None:
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    for viewport, width in ((DESKTOP, 1280), (PHONE, 375)):
        page.set_viewport_size(viewport)
        _open_chart(page, "DEMO-0028")
        header = page.locator("#what-now")
        text = header.inner_text()
        assert "Met: 6 adequate failed trials" in text
        ladder = header.locator("ol.ladder li")
        names = [t.split(" ")[0] for t in ladder.all_inner_texts()]
        assert names == ["Thase–Rush", "MGH-S", "Maudsley", "DM-TRD", "European"]
        assert "thase_rush" not in text and "moderately_severe" not in text
        assert header.locator("#latest-scores tbody tr").count() >= 1
        assert header.locator("#safety").is_visible()
        if width == 1280:
            # The whole header fits in the first screen.
            box = header.bounding_box()
            assert box is not None and box["y"] + box["height"] <= DESKTOP["height"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        _shot(page, f"what-now-{width}", "#what-now")


def test_treatments_and_scores_share_one_time_axis_and_the_range_works_without_script(
    page: Any, demo_clinic: None
) -> None:
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    for viewport, width, layout in ((DESKTOP, 1280, "wide"), (PHONE, 375, "narrow")):
        page.set_viewport_size(viewport)
        _open_chart(page, "DEMO-0028")
        svg = page.locator(f"#life-chart svg.lifechart-{layout}")
        assert svg.is_visible()
        # Dates to screen x, from two grid lines; every bar start and score lands on it.
        ticks = svg.locator("line.tick-line")
        first, last = ticks.first, ticks.last
        d0 = date.fromisoformat(first.get_attribute("data-date"))
        d1 = date.fromisoformat(last.get_attribute("data-date"))
        x0, x1 = _left_x(first), _left_x(last)
        per_day = (x1 - x0) / (d1 - d0).days

        def x_of(day: date, x0: float = x0, d0: date = d0, per_day: float = per_day) -> float:
            return x0 + (day - d0).days * per_day

        for bar in svg.locator("rect.bar").all():
            start = date.fromisoformat(bar.get_attribute("data-start"))
            assert abs(_left_x(bar) - x_of(start)) < 1.5, bar.get_attribute("data-key")
        for point in svg.locator("circle.score-point").all()[::10]:
            day = date.fromisoformat(point.get_attribute("data-date"))
            assert abs(_centre_x(point) - x_of(day)) < 1.5
        labels = [_left_x(t) for t in svg.locator("text.tick-label").all()]
        boxes = [t.bounding_box() for t in svg.locator("text.tick-label").all()]
        for a, b in itertools.pairwise(boxes):
            assert a is not None and b is not None and a["x"] + a["width"] <= b["x"], labels
        _shot(page, f"life-chart-{width}", "#life-chart")
    # The range is a link: it works with scripts off too (the page has none for it).
    page.set_viewport_size(DESKTOP)
    page.locator("#life-chart a[data-range='1y']").click()
    page.wait_for_url("**?range=1y*")
    summary = page.locator("#life-summary").inner_text()
    year_ago = timezone.localdate().replace(year=timezone.localdate().year - 1)
    assert summary.startswith(str(year_ago)[:7])
    table = page.locator("#life-table")
    table.locator("summary").click()
    assert table.locator("caption", has_text="Scores").is_visible()
    _shot(page, "life-chart-last-year-1280", "#life-chart")


def test_options_are_triaged_top_five_then_kinds_then_contraindicated(
    page: Any, demo_clinic: None
) -> None:
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    for viewport, width in ((DESKTOP, 1280), (PHONE, 375)):
        page.set_viewport_size(viewport)
        _open_chart(page, "DEMO-0028")
        top = page.locator("#top-options article.top-option")
        assert top.count() == 5
        assert top.first.locator("ul.reasons li").first.is_visible()
        assert top.first.locator("cite").first.inner_text().strip()
        statuses = " ".join(t.locator("h4.option-title").inner_text() for t in top.all())
        assert "contraindicated" not in statuses
        groups = page.locator("#option-groups details.option-group summary")
        assert groups.count() >= 4
        assert page.locator("#options .unverified-notice").count() <= 1
        assert page.locator("#options .badge.unverified").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        _shot(page, f"triage-{width}", "#options")


def test_adding_a_trial_says_what_changed_and_its_bar_meets_the_score_of_that_day(
    page: Any, demo_clinic: None
) -> None:
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    mira = Patient.objects.get(record_number="DEMO-0002")
    page.goto(f"/patients/{mira.pk}/history/treatments/new/antidepressant/")
    form = page.locator("main form").first
    form.locator("[name=episode]").select_option("current")
    form.locator("[name=drug]").fill("mirtazapine")
    form.locator("[name=start]").fill(SCORE_DAY.isoformat())
    form.locator("[name=end]").fill("2025-04-07")
    form.locator("[name=adherence_pct]").fill("90")
    form.locator("[name=improvement_pct]").fill("10")
    form.locator("[name='doses-0-from_date']").fill(SCORE_DAY.isoformat())
    form.locator("[name='doses-0-mg_per_day']").fill("30")
    form.locator("button[type=submit]").last.click()
    page.wait_for_url(f"**/patients/{mira.pk}/history/")
    said = page.locator(".messages .message").first.inner_text()
    assert said.startswith("TRD status: now met"), said
    assert "Thase–Rush I → II" in said
    _shot(page, "change-message-1280")
    for viewport, width, layout in ((DESKTOP, 1280, "wide"), (PHONE, 375, "narrow")):
        page.set_viewport_size(viewport)
        _open_chart(page, "DEMO-0002")
        svg = page.locator(f"#life-chart svg.lifechart-{layout}")
        bar = svg.locator(f"rect.bar[data-start='{SCORE_DAY.isoformat()}']")
        point = svg.locator(f"circle.score-point[data-date='{SCORE_DAY.isoformat()}']")
        assert abs(_left_x(bar) - _centre_x(point)) < 1.0, width
        _shot(page, f"life-chart-aligned-{width}", "#life-chart")


def test_the_chart_prints_as_a_two_page_a4_summary_with_reasons_and_citations(
    page: Any, demo_clinic: None
) -> None:
    log_in(page, "demo-clinician", PASSWORDS["demo-clinician"])
    for record in PRINTED:
        _open_chart(page, record)
        pdf = page.pdf(format="A4", print_background=True)
        assert _page_count(pdf) <= MAX_PAGES, record
        page.emulate_media(media="print")
        top = page.locator("#top-options article.top-option")
        assert top.count() >= 1
        assert top.first.locator("ul.reasons li").first.is_visible(), record
        assert top.first.locator("ul.reasons cite").first.is_visible(), record
        assert page.locator("#life-chart svg.lifechart-wide").is_visible()
        assert page.locator("#what-now").is_visible()
        assert not page.locator(".site-header nav").is_visible()
        if record == "DEMO-0028":
            page.set_viewport_size({"width": 720, "height": 1000})
            _shot(page, "print-DEMO-0028")
            page.set_viewport_size(DESKTOP)
        page.emulate_media(media="null")  # back to none: page.pdf() prints with print CSS
