"""Builders for course tests: an esketamine induction course and a session that passes every
check (every value inside the protocol's limits), to change one value at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from trdnav.accounts.models import User
from trdnav.audit.services import Actor
from trdnav.courses.models import Course, TreatmentSession
from trdnav.courses.services import plan_course, record_session
from trdnav.patients.models import Patient

ESKETAMINE = "esketamine_induction"
START = date(2026, 3, 2)
# 10:00 in the clinic on the first planned day (TIME_ZONE is UTC in the test settings).
SESSION_TIME = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
GOOD: dict[str, Any] = {
    "dose_mg": 56,
    "devices_used": 2,
    "bp_pre_systolic": 120,
    "bp_pre_diastolic": 80,
    "bp_post40_systolic": 128,
    "bp_post40_diastolic": 84,
    "bp_discharge_systolic": 122,
    "bp_discharge_diastolic": 80,
    "spo2_monitored": True,
    "sedation_observed": False,
    "dissociation_observed": False,
    "respiratory_depression_observed": False,
    "observation_minutes": 120,
    "discharge_ready": True,
    "transport_arranged": True,
}
# Blood pressure above the pre-dose limit: a block a clinician may override with a reason.
HIGH_BP = {**GOOD, "bp_pre_systolic": 150}
HIGH_BP_RULE = "predose_bp_high"
REMS_FORM: dict[str, Any] = {
    "first_treatment": True,
    "takes_benzodiazepines": False,
    "takes_sedative_hypnotics": False,
    "takes_psychostimulants": False,
    "takes_maois": False,
    "dose_mg": 56,
    "lot_number": "L123",
    "total_minutes": 130,
    "ready_to_leave_minutes": 90,
    "vitals_ok_before": True,
    "vitals_ok_end": True,
    "sedation": False,
    "dissociation": False,
    "respiratory_depression": False,
    "serious_adverse_event": False,
}


def actor(user: User | None) -> Actor:
    clinic = getattr(getattr(user, "membership", None), "clinic", None)
    return Actor(user=user, clinic=clinic, via="page")


def course_for(patient: Patient, user: User, protocol: str = ESKETAMINE, **kw: Any) -> Course:
    return plan_course(patient=patient, protocol_id=protocol, start=START, by=actor(user), **kw)


def draft(course: Course, user: User, values: dict[str, Any] | None = None) -> TreatmentSession:
    return record_session(
        course=course,
        values=GOOD if values is None else values,
        by=actor(user),
        performed_at=SESSION_TIME,
    )
