"""Shared by the course page tests: a planned esketamine course and the session form's
values, as a nurse types them (form field names ``f_<field>``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from trdnav.accounts.models import User
from trdnav.audit.services import Actor
from trdnav.core.protocols import rems_rule_in_force
from trdnav.courses import services
from trdnav.courses.models import Course, TreatmentSession
from trdnav.patients.models import Patient

START = date(2026, 11, 2)
# A session within every limit of the esketamine induction protocol.
ESKETAMINE_OK: dict[str, Any] = {
    "dose_mg": 56,
    "devices_used": 2,
    "bp_pre_systolic": 128,
    "bp_pre_diastolic": 82,
    "bp_post40_systolic": 136,
    "bp_post40_diastolic": 86,
    "bp_discharge_systolic": 126,
    "bp_discharge_diastolic": 80,
    "spo2_monitored": True,
    "sedation_observed": False,
    "dissociation_observed": True,
    "respiratory_depression_observed": False,
    "observation_minutes": 120,
    "ready_to_leave_minutes": 90,
    "discharge_ready": True,
    "transport_arranged": True,
    "lot_number": "LOT-1",
}


def form_data(values: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The POST body of the session form for ``values``."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if value is True:
            value = "yes"
        elif value is False:
            value = "no"
        data[f"f_{name}"] = str(value)
    return {**data, **extra}


def plan(patient: Patient, by: User, protocol_id: str = "esketamine_induction") -> Course:
    actor = Actor(user=by, clinic=by.membership.clinic)
    return services.plan_course(patient=patient, protocol_id=protocol_id, start=START, by=actor)


def signed_session(
    course: Course, by: User, values: dict[str, Any] | None = None
) -> TreatmentSession:
    actor = Actor(user=by, clinic=by.membership.clinic)
    session = services.record_session(
        course=course, values=values or ESKETAMINE_OK, by=actor, number=1
    )
    return services.sign_session(session=session, by=actor, overrides={})


# The REMS monitoring form's answers that are not "yes" or a count.
REMS_KNOWN: dict[str, Any] = {
    "first_treatment": True, "takes_benzodiazepines": False, "takes_sedative_hypnotics": False,
    "takes_psychostimulants": False, "takes_maois": False, "dose_mg": 56, "lot_number": "LOT-1",
    "total_minutes": 130, "ready_to_leave_minutes": 90,
}  # fmt: skip


def rems_values(on: date = START) -> dict[str, Any]:
    """A complete REMS monitoring form under the rule in force on ``on``."""
    rule = rems_rule_in_force(on, {})
    assert rule is not None
    values: dict[str, Any] = {}
    for spec in rule.form_fields:
        if spec.name in REMS_KNOWN:
            values[spec.name] = REMS_KNOWN[spec.name]
        elif spec.kind == "boolean":
            values[spec.name] = True
        elif spec.kind in ("integer", "minutes", "number"):
            values[spec.name] = 1
        elif spec.kind == "choice":
            values[spec.name] = spec.choices[0]
        else:
            values[spec.name] = "x"
    return values
