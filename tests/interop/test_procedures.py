"""A performed ECT, TMS, ketamine or esketamine session is a Procedure: valid R4, read back as the
same session, coded only with what is verified (policy P-IR1), served under /fhir/R4/."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from tests.courses.helpers import ESKETAMINE, GOOD, SESSION_TIME, START
from tests.interop.rest import get, make_world
from tests.interop.schema import schema_errors
from trdnav.audit.services import Actor
from trdnav.courses.services import plan_course, record_session, sign_session
from trdnav.interop.procedure import (
    PSYCHIATRY_PROCEDURE,
    SNOMED,
    SessionRecord,
    build_procedure,
    read_procedure,
)
from trdnav.interop.records.reading import session_record

RECORDS = [
    SessionRecord(
        course_key="7", number=3, protocol_id="ect_rul_ultrabrief",
        protocol_name="Right unilateral ultrabrief ECT", modality="ect",
        performed_at=datetime(2026, 3, 4, 9, 30, tzinfo=UTC), signed=True, patient_id="12",
        values={"charge_mc": 240, "seizure_seconds": 35, "anaesthetic": "propofol",
                "bite_block": True, "stimulus_multiple": 6.5},
    ),
    SessionRecord(
        course_key="8", number=1, protocol_id="rtms_10hz", protocol_name="10 Hz rTMS",
        modality="tms", performed_at=datetime(2026, 5, 1, 14, 0, tzinfo=UTC), signed=False,
        patient_id="12", values={},
    ),
]  # fmt: skip


@pytest.mark.parametrize("record", RECORDS, ids=["ect-signed", "tms-draft"])
def test_a_session_round_trips_as_a_valid_procedure(record: SessionRecord) -> None:
    procedure = build_procedure(record)
    assert schema_errors(procedure) == []
    assert read_procedure(procedure) == record
    assert procedure["status"] == ("completed" if record.signed else "in-progress")


def test_the_procedure_code_is_text_and_own_codes_only() -> None:
    procedure = build_procedure(RECORDS[0])
    assert procedure["category"]["coding"] == [
        {
            "system": SNOMED,
            "code": PSYCHIATRY_PROCEDURE,
            "display": "Psychiatry procedure or service",
        }
    ]
    systems = {c["system"] for c in procedure["code"]["coding"]}
    assert systems == {
        "https://trdnav.invalid/fhir/CodeSystem/protocol",
        "https://trdnav.invalid/fhir/CodeSystem/modality",
    }
    assert procedure["code"]["text"] == "Right unilateral ultrabrief ECT, session 3"


@pytest.mark.django_db
def test_documented_sessions_are_served_as_procedures(client: Client) -> None:
    world = make_world()
    system = Actor(user=None)
    course = plan_course(patient=world.patient, protocol_id=ESKETAMINE, start=START, by=system)
    signed = record_session(course=course, values=GOOD, by=system, performed_at=SESSION_TIME)
    sign_session(session=signed, by=system)
    record_session(course=course, values=GOOD, by=system)  # a draft, not performed yet
    response = get(client, f"/fhir/R4/Procedure?patient={world.patient.pk}", world.tokens["staff"])
    bundle: dict[str, Any] = json.loads(response.content)
    assert schema_errors(bundle) == []
    procedures = [e["resource"] for e in bundle.get("entry", [])]
    signed.refresh_from_db()
    assert read_procedure(procedures[0]) == session_record(signed)
    assert procedures[0]["status"] == "completed"
    assert procedures[0]["performedDateTime"].startswith("2026-03-02")
    one = get(client, f"/fhir/R4/Procedure/{procedures[0]['id']}", world.tokens["staff"])
    assert json.loads(one.content) == procedures[0]
    foreign = get(client, f"/fhir/R4/Procedure/{world.foreign.pk}-course-1-session-1",
                  world.tokens["staff"])  # fmt: skip
    assert foreign.status_code == 404
