"""The demo clinic's treatment courses, made through the courses' services (so every check,
override, REMS form and the end of a course into the history happen as in the clinic).

- an esketamine induction course, active: its sessions so far signed, one of them with the
  pre-dose blood pressure above the limit, signed with a written override reason; the REMS
  monitoring forms of the earlier sessions submitted, the last one's due;
- an rTMS course, active (not the demo patient login's: a course adds its own PHQ-9 schedule
  next to the portal demo's, and the portal would then ask for the PHQ-9 twice);
- an ECT course, completed: its end wrote it into the treatment history (``course_ended``).

The patients are generated ones (not personas, whose expectations the tests fix), chosen so
that the chart's options do not show the therapy as contraindicated. Dates are relative to the
demo date: the same date gives the same courses. Idempotent: a patient who has a course gets
no other. All values are invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from trdnav.audit.services import Actor
from trdnav.courses.models import Course, CourseStatus, TreatmentSession
from trdnav.courses.services import (
    end_course,
    plan_course,
    record_session,
    sign_session,
    submit_rems_report,
)
from trdnav.patients.models import Patient

SESSION_HOUR = time(10)
ESKETAMINE: dict[str, Any] = {
    "dose_mg": 56,
    "devices_used": 2,
    "bp_pre_systolic": 124,
    "bp_pre_diastolic": 80,
    "bp_post40_systolic": 132,
    "bp_post40_diastolic": 84,
    "bp_discharge_systolic": 122,
    "bp_discharge_diastolic": 78,
    "spo2_monitored": True,
    "sedation_observed": False,
    "dissociation_observed": True,
    "respiratory_depression_observed": False,
    "observation_minutes": 120,
    "discharge_ready": True,
    "transport_arranged": True,
}
# Session 3: the pre-dose blood pressure is above the protocol's limit (a block), signed with
# a written reason after a repeat reading.
HIGH_BP_SESSION = 3
HIGH_BP = {**ESKETAMINE, "bp_pre_systolic": 152, "bp_pre_diastolic": 92}
HIGH_BP_REASON = (
    "Repeat reading after 15 minutes of rest 146/90; usual readings at home 130-140 systolic. "
    "Discussed with the patient; proceeding with blood pressure checks every 20 minutes."
)
TMS: dict[str, Any] = {
    "motor_threshold_pct": 52,
    "intensity_pct_mt": 120,
    "pulses": 3000,
    "coil_position": "left DLPFC, Beam F3",
    "tolerability": "well_tolerated",
    "seizure_screen_done": True,
    "seizure_occurred": False,
}
ECT: dict[str, Any] = {
    "placement": "rul",
    "pulse_width_ms": 0.3,
    "seizure_threshold_mc": 25,
    "stimulus_charge_mc": 150,
    "anaesthetic": "methohexital",
    "anaesthetic_dose_mg": 70,
    "relaxant": "suxamethonium",
    "relaxant_dose_mg": 50,
    "seizure_motor_seconds": 28,
    "seizure_eeg_seconds": 45,
    "restimulated": False,
    "reorientation_minutes": 20,
}


@dataclass(frozen=True)
class DemoCourse:
    """One demo course: whose, which protocol, how many days before the demo date it began,
    and (for an ended course) how many days after its start it ended."""

    record_number: str
    protocol_id: str
    started_days_ago: int
    values: dict[str, Any]
    ended_after_days: int | None = None


DEMO_COURSES = (
    DemoCourse("DEMO-0004", "esketamine_induction", 15, ESKETAMINE),
    DemoCourse("DEMO-0009", "rtms_10hz", 14, TMS),
    DemoCourse("DEMO-0005", "ect_rul_ultrabrief", 70, ECT, ended_after_days=28),
)


def _rems_form(session: TreatmentSession) -> dict[str, Any]:
    values = session.values
    return {
        "first_treatment": session.number == 1,
        "takes_benzodiazepines": False,
        "takes_sedative_hypnotics": False,
        "takes_psychostimulants": False,
        "takes_maois": False,
        "dose_mg": values["dose_mg"],
        "lot_number": f"DEMO-LOT-{session.number:02d}",
        "total_minutes": values["observation_minutes"] + 10,
        "ready_to_leave_minutes": 90,
        "vitals_ok_before": session.number != HIGH_BP_SESSION,
        "vitals_ok_end": True,
        "sedation": False,
        "dissociation": values["dissociation_observed"],
        "respiratory_depression": False,
        "serious_adverse_event": False,
    }


def _sessions(course: Course, spec: DemoCourse, until: date, actor: Actor) -> list[Any]:
    """Record and sign the planned sessions before ``until`` (never in the future)."""
    signed = []
    now = timezone.now()
    for planned in course.plan["sessions"]:
        day = date.fromisoformat(planned["on"])
        at = timezone.make_aware(datetime.combine(day, SESSION_HOUR))
        if day >= until or at > now:
            break
        number = planned["number"]
        high = spec.protocol_id == "esketamine_induction" and number == HIGH_BP_SESSION
        values = HIGH_BP if high else spec.values
        draft = record_session(
            course=course, values=values, by=actor, number=number, performed_at=at
        )
        reasons = {"predose_bp_high": HIGH_BP_REASON} if high else None
        signed.append(sign_session(session=draft, by=actor, overrides=reasons))
    return signed


def _course(patient: Patient, spec: DemoCourse, as_of: date, actor: Actor) -> Course:
    start = as_of - timedelta(days=spec.started_days_ago)
    course = plan_course(patient=patient, protocol_id=spec.protocol_id, start=start, by=actor)
    ended_on = None if spec.ended_after_days is None else start + timedelta(spec.ended_after_days)
    signed = _sessions(course, spec, ended_on or as_of, actor)
    if spec.protocol_id == "esketamine_induction":
        for session in signed[:-1]:  # the last session's form is still due
            submit_rems_report(session=session, fields=_rems_form(session), by=actor)
    if ended_on is not None:
        course = end_course(course=course, status=CourseStatus.COMPLETED, by=actor, on=ended_on)
    return course


def load_demo_courses(*, patients: dict[str, Patient], as_of: date, actor: Actor) -> int:
    """The demo courses of the patients that have none yet; returns how many were made."""
    have = set(
        Course.objects.filter(patient__in=patients.values()).values_list("patient_id", flat=True)
    )
    made = 0
    for spec in DEMO_COURSES:
        patient = patients.get(spec.record_number)
        if patient is None or patient.pk in have:
            continue
        _course(patient, spec, as_of, actor)
        made += 1
    return made
