"""The public API of trdnav.core.protocols: every contract name importable, every protocol loads."""

from __future__ import annotations

from datetime import date

import pytest

import trdnav.core.protocols as protocols
from trdnav.core.protocols import (
    ProtocolError,
    SessionContext,
    check_session,
    get_protocol,
    load_protocols,
    plan_course,
    protocols_for_therapy,
)

CONTRACT = [
    "Protocol",
    "FieldSpec",
    "Finding",
    "SessionCheck",
    "SessionContext",
    "CoursePlan",
    "PlannedSession",
    "PlannedMeasure",
    "CourseOutcome",
    "CheckpointAlert",
    "RemsRule",
    "RemsState",
    "load_protocols",
    "get_protocol",
    "protocols_for_therapy",
    "check_session",
    "plan_course",
    "course_outcome",
    "rems_rule_in_force",
    "rems_deadline",
    "rems_state",
    "ProtocolError",
]
PROTOCOL_IDS = [
    "ketamine_iv_induction",
    "esketamine_induction",
    "esketamine_maintenance",
    "rtms_10hz",
    "itbs",
    "deep_tms_h1",
    "accelerated_itbs",
    "ect_rul_ultrabrief",
    "ect_bitemporal",
    "psychotherapy_cbt",
    "psychotherapy_dbt",
    "psychotherapy_act",
    "psychotherapy_cbasp",
    "psychotherapy_mbct",
    "psychotherapy_ba",
    "psychotherapy_ipt",
    "medication_trial",
]


@pytest.mark.parametrize("name", CONTRACT)
def test_every_contract_name_is_exported(name: str) -> None:
    assert hasattr(protocols, name)
    assert name in protocols.__all__


def test_every_contract_protocol_loads() -> None:
    assert set(PROTOCOL_IDS) <= set(load_protocols())


def test_an_unknown_protocol_is_a_protocol_error_naming_it() -> None:
    with pytest.raises(ProtocolError) as caught:
        get_protocol("nope")
    assert "nope" in str(caught.value)
    assert caught.value.errors[0].field == "protocol"


def test_the_chart_finds_the_protocols_of_a_therapy() -> None:
    assert [p.id for p in protocols_for_therapy("esketamine")] == [
        "esketamine_induction",
        "esketamine_maintenance",
    ]
    assert protocols_for_therapy("exercise") == ()


@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_an_empty_session_cannot_be_signed_and_a_plan_exists(protocol_id: str) -> None:
    check = check_session(protocol_id, {}, SessionContext())
    assert check.can_sign is False
    assert any(f.rule == "required_field" for f in check.findings)
    plan = plan_course(protocol_id, date(2026, 11, 30))
    assert len(plan.sessions) == get_protocol(protocol_id).planned_sessions
