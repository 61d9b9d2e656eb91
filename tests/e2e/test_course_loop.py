"""A course whose non-response changes the patient's stage and options on the chart (issue 12,
"Must show"): a patient one failed treatment short of Thase–Rush stage V has a bitemporal ECT
course planned, twelve sessions recorded and signed, MADRS ratings without response, and the
course completed; the clinician opens the chart and reads the new stage, the option that
changed and the note saying the course did it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.courses.loop.builders import give_history, madrs
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, make_clinic, make_member, make_patient
from trdnav.accounts.models import Role
from trdnav.audit.services import Actor
from trdnav.courses.services import end_course, plan_course, record_session, sign_session

pytestmark = pytest.mark.browser

ECT_SESSION = {
    "placement": "bitemporal", "pulse_width_ms": 1.0, "stimulus_charge_mc": 300,
    "anaesthetic": "methohexital", "anaesthetic_dose_mg": 70, "relaxant": "suxamethonium",
    "relaxant_dose_mg": 50, "seizure_motor_seconds": 30, "seizure_eeg_seconds": 45,
    "restimulated": False, "reorientation_minutes": 15,
}  # fmt: skip
FIRST_SESSION = {**ECT_SESSION, "seizure_threshold_mc": 50, "cognitive_test": "moca",
                 "cognitive_score": 27}  # fmt: skip


@pytest.fixture
def failed_ect(transactional_db: None) -> Any:
    clinic = make_clinic("loop")
    clinician = make_member(clinic, Role.CLINICIAN, "dr-loop")
    patient = make_patient(clinic, "L-001")
    give_history(patient)  # SSRI, SNRI, TCA and MAOI failed: Thase–Rush stage IV
    by = Actor(user=clinician, clinic=clinic)
    today = timezone.localdate()
    start = today - timedelta(days=40)
    madrs(patient, start - timedelta(days=1), 36, clinician)
    course = plan_course(patient=patient, protocol_id="ect_bitemporal", start=start, by=by)
    for number in range(1, 13):
        day = start + timedelta(days=3 * (number - 1))
        at = timezone.make_aware(datetime.combine(day, time(9)))
        values = FIRST_SESSION if number == 1 else ECT_SESSION
        session = record_session(course=course, values=values, by=by, performed_at=at)
        sign_session(session=session, by=by)
        if number % 3 == 0:
            madrs(patient, day, 35 - number // 6, clinician)
    end_course(course=course, status="completed", by=by, on=today)
    return patient, course, today


def test_a_non_responding_ect_course_moves_the_chart_to_stage_v_and_says_so(
    page: Any, screenshot: Any, failed_ect: Any
) -> None:
    patient, course, today = failed_ect
    log_in(page, "dr-loop", PASSWORD)
    page.goto(f"/patients/{patient.pk}/")
    note = page.locator("#course-loop .course-update")
    assert note.count() == 1
    text = note.inner_text()
    assert f"Updated from the {course.protocol_name} course completed {today:%Y-%m-%d}" in text
    assert "Thase–Rush stage changed from IV to V" in text
    assert "Electroconvulsive therapy (ECT)" in text and "already tried without success" in text
    ladder = page.locator("#what-now ol.ladder")
    assert ladder.locator("li[data-model='thase_rush'] .ladder-value").inner_text() == "V"
    ect = page.locator("#options details.option", has_text="Electroconvulsive therapy")
    # Collapsed in its kind's group (P-CH3): read its text without opening it.
    assert "already tried without success" in (ect.first.locator("summary").text_content() or "")
    bars = page.locator("#life-chart svg.lifechart-wide .bar-label")
    assert "bitemporal (ECT)" in " ".join(bars.all_text_contents())
    screenshot("course-loop-chart")
