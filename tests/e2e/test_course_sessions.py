"""Treatment-course sessions in a real browser, on a tablet-sized screen: an esketamine
session whose blood pressure blocks signing (the nurse saves but cannot sign; a clinician
signs with a written reason), a TMS session and an ECT session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.e2e.settle import close_settled
from tests.factories import PASSWORD, make_clinic, make_member, make_patient
from trdnav.accounts.models import Role, User
from trdnav.audit.services import Actor
from trdnav.core.protocols import get_protocol
from trdnav.courses import services
from trdnav.courses.models import Course, SessionOverride, TreatmentSession
from trdnav.patients.models import Patient

pytestmark = pytest.mark.browser
TABLET = {"width": 820, "height": 1180}
ESKETAMINE_HIGH_BP = {
    "dose_mg": 56, "devices_used": 2, "bp_pre_systolic": 162, "bp_pre_diastolic": 94,
    "bp_post40_systolic": 150, "bp_post40_diastolic": 90, "bp_discharge_systolic": 132,
    "bp_discharge_diastolic": 84, "spo2_monitored": True, "sedation_observed": False,
    "dissociation_observed": True, "respiratory_depression_observed": False,
    "observation_minutes": 125, "discharge_ready": True, "transport_arranged": True,
}  # fmt: skip
TMS = {
    "motor_threshold_pct": 52, "intensity_pct_mt": 120, "pulses": 3000,
    "coil_position": "left DLPFC, Beam F3", "tolerability": "well_tolerated",
    "seizure_screen_done": True, "seizure_occurred": False,
}  # fmt: skip
ECT = {
    "placement": "rul", "pulse_width_ms": 0.3, "seizure_threshold_mc": 25,
    "stimulus_charge_mc": 150, "anaesthetic": "methohexital", "anaesthetic_dose_mg": 70,
    "relaxant": "suxamethonium", "relaxant_dose_mg": 50, "seizure_motor_seconds": 28,
    "seizure_eeg_seconds": 45, "restimulated": False, "reorientation_minutes": 20,
}  # fmt: skip
REASON = "Repeat reading 146/90 after 15 minutes of rest; proceeding, discussed with the patient."


@pytest.fixture
def clinic_people(transactional_db: None) -> dict[str, Any]:
    clinic = make_clinic("north")
    patient = make_patient(clinic, "N-001", date_of_birth=date(1978, 4, 2))
    return {
        "clinician": make_member(clinic, Role.CLINICIAN, "dr-north"),
        "nurse": make_member(clinic, Role.STAFF, "nurse-north"),
        "patient": patient,
    }


@pytest.fixture
def tablet(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport=TABLET, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    close_settled(context)


def shot(page: Any, name: str) -> None:
    """The tablet page as test-artifacts/screenshots/<name>.png (the whole page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def _log_out(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def _planned(patient: Patient, clinician: User, protocol_id: str) -> Course:
    actor = Actor(user=clinician, clinic=clinician.membership.clinic)
    return services.plan_course(
        patient=patient, protocol_id=protocol_id, start=timezone.localdate(), by=actor
    )


def fill_session(page: Any, protocol_id: str, values: dict[str, Any]) -> None:
    """Type the values as a nurse would: numbers and text in their boxes, yes/no and choices
    by their labels inside each question's group (fieldset and legend)."""
    for spec in get_protocol(protocol_id).session_fields:
        if spec.name not in values:
            continue
        value = values[spec.name]
        if spec.kind in ("boolean", "choice"):
            group = page.get_by_role("group", name=re.compile("^" + re.escape(spec.label)))
            if spec.kind == "boolean":
                label = "Yes" if value else "No"
            else:
                label = str(value).replace("_", " ")
            group.get_by_label(label, exact=True).check()
        else:
            page.locator(f"#id_f_{spec.name}").fill(str(value))


def _touch_height(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None
    return float(box["height"])


def test_an_esketamine_session_with_high_blood_pressure_needs_a_clinicians_override(
    tablet: Any, clinic_people: dict[str, Any]
) -> None:
    page, patient = tablet, clinic_people["patient"]
    # The clinician plans the course from the chart's esketamine option.
    log_in(page, "dr-north", PASSWORD)
    page.goto(f"/patients/{patient.pk}/")
    # Esketamine is in the top five (open) or in its kind's group (folded): open what folds it.
    group = page.locator("details.option-group:has(#option-esketamine) > summary")
    if group.count():
        group.click()
    option = page.locator("#option-esketamine")
    if option.evaluate("element => element.tagName") == "DETAILS":
        option.locator("> summary").click()
    page.locator("#plan-esketamine").click()
    page.get_by_label("Intranasal esketamine: induction", exact=False).check()
    page.get_by_role("button", name="Show the plan").click()
    assert page.locator("#planned-sessions tbody tr").count() == 8
    shot(page, "esketamine-plan")
    page.get_by_role("button", name="Plan this course").click()
    course = Course.objects.get(patient=patient)
    page.wait_for_url(f"**/courses/{course.pk}/")
    _log_out(page)

    # The nurse documents session 1 on the tablet: saved, blocked, cannot sign.
    log_in(page, "nurse-north", PASSWORD)
    page.goto(f"/courses/{course.pk}/")
    page.locator("#next-session").click()
    assert page.locator("#id_f_bp_pre_systolic").get_attribute("inputmode") == "numeric"
    assert _touch_height(page, "#id_f_bp_pre_systolic") >= 44
    assert _touch_height(page, "#save-draft") >= 44
    fill_session(page, "esketamine_induction", ESKETAMINE_HIGH_BP)
    page.get_by_role("button", name="Save draft").click()
    block = page.locator('#findings li[data-rule="predose_bp_high"]')
    assert "blocks signing" in block.inner_text() and "Source" in block.inner_text()
    assert page.locator("#clinician-must-sign").is_visible()
    shot(page, "esketamine-nurse-blocked")
    page.get_by_role("button", name="Sign").click()
    assert "A clinician must sign" in page.locator("#sign-refused").inner_text()
    assert TreatmentSession.objects.get(course=course).state == "draft"
    _log_out(page)

    # The clinician signs with a written reason.
    log_in(page, "dr-north", PASSWORD)
    page.goto(f"/courses/{course.pk}/sessions/1/")
    page.get_by_label(re.compile("^Reason for signing despite")).fill(REASON)
    page.get_by_role("button", name="Sign").click()
    assert page.locator("#session-state").inner_text() == "signed"
    assert REASON in page.locator("#session-overrides").inner_text()
    shot(page, "esketamine-signed-with-override")
    assert SessionOverride.objects.get(rule="predose_bp_high").reason == REASON
    page.goto("/courses/rems/")
    assert page.locator(".rems-row").count() == 1


def test_a_tms_session_is_documented_and_signed(tablet: Any, clinic_people: dict[str, Any]) -> None:
    course = _planned(clinic_people["patient"], clinic_people["clinician"], "rtms_10hz")
    page = tablet
    log_in(page, "nurse-north", PASSWORD)
    page.goto(f"/courses/{course.pk}/sessions/1/")
    fill_session(page, "rtms_10hz", TMS)
    page.get_by_role("button", name="Save draft").click()
    assert page.locator("#session-state").inner_text() == "draft, not signed"
    assert page.locator("#findings .level-block").count() == 0
    page.get_by_role("button", name="Sign").click()
    assert page.locator("#session-state").inner_text() == "signed"
    assert "left DLPFC" in page.locator("#signed-values").inner_text()
    shot(page, "tms-signed")
    session = TreatmentSession.objects.get(course=course)
    assert session.values["pulses"] == 3000 and session.values["seizure_occurred"] is False


def test_an_ect_session_is_documented_with_its_cognitive_check_warning_and_signed(
    tablet: Any, clinic_people: dict[str, Any]
) -> None:
    course = _planned(clinic_people["patient"], clinic_people["clinician"], "ect_rul_ultrabrief")
    page = tablet
    log_in(page, "nurse-north", PASSWORD)
    page.goto(f"/courses/{course.pk}/sessions/1/")
    assert page.locator("#group-after #id_f_reorientation_minutes").count() == 1
    fill_session(page, "ect_rul_ultrabrief", ECT)
    page.get_by_role("button", name="Save draft").click()
    warning = page.locator('#findings li[data-rule="cognitive_check_due"]')
    assert "warning" in warning.inner_text()
    assert warning.locator(".unverified").count() == 1  # the schedule is from memory
    page.get_by_role("button", name="Sign").click()
    assert page.locator("#session-state").inner_text() == "signed"
    shot(page, "ect-signed")
    page.goto(f"/courses/{course.pk}/summary/")
    assert "45" in page.locator("#vitals-table").inner_text()
    shot(page, "ect-course-summary")
