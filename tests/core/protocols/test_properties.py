"""Properties over generated sessions: can_sign is False exactly when a block exists, and a
missing required field always blocks (P-C1), whatever else the values say."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from trdnav.core.protocols import FieldSpec, SessionContext, check_session, load_protocols

PROTOCOLS = sorted(load_protocols())


def _value(spec: FieldSpec) -> st.SearchStrategy[Any]:
    low = spec.min_value if spec.min_value is not None else 0
    high = spec.max_value if spec.max_value is not None else 10_000
    if spec.kind == "integer":
        return st.integers(int(low), int(high))
    if spec.kind in ("number", "minutes"):
        return st.floats(low, high, allow_nan=False, allow_infinity=False)
    if spec.kind == "boolean":
        return st.booleans()
    if spec.kind == "choice":
        return st.sampled_from(spec.choices)
    return st.sampled_from(["sertraline", "aripiprazole", "modafinil", "left DLPFC", "x"])


@st.composite
def sessions(draw: st.DrawFn) -> tuple[str, dict[str, Any], SessionContext]:
    protocol = load_protocols()[draw(st.sampled_from(PROTOCOLS))]
    values = {
        spec.name: draw(_value(spec)) for spec in protocol.session_fields if draw(st.booleans())
    }
    previous: list[dict[str, Any]] = draw(st.lists(st.fixed_dictionaries({}), max_size=3))
    context = SessionContext(
        weight_kg=draw(st.none() | st.floats(30, 200)),
        age_years=draw(st.none() | st.integers(18, 95)),
        session_number=len(previous) + 1,
        previous_sessions=previous,
    )
    return protocol.id, values, context


@settings(max_examples=300, deadline=None)
@given(sessions())
def test_can_sign_is_false_exactly_when_a_block_exists(
    case: tuple[str, dict[str, Any], SessionContext],
) -> None:
    protocol_id, values, context = case
    check = check_session(protocol_id, values, context)
    assert check.can_sign is not any(f.level == "block" for f in check.findings)
    assert all(f.level in ("block", "warn", "info") for f in check.findings)


@settings(max_examples=300, deadline=None)
@given(sessions())
def test_a_missing_required_field_always_blocks_and_cannot_be_overridden(
    case: tuple[str, dict[str, Any], SessionContext],
) -> None:
    protocol_id, values, context = case
    protocol = load_protocols()[protocol_id]
    check = check_session(protocol_id, values, context)
    required = [
        s.name
        for s in protocol.session_fields
        if s.required or context.session_number in s.required_at_sessions
    ]
    missing = {name for name in required if name not in values}
    blocked = {f.field for f in check.findings if f.rule == "required_field"}
    assert blocked == missing
    if missing:
        assert not check.can_sign
        assert "required_field" in check.unoverridable_rules


@settings(max_examples=300, deadline=None)
@given(
    systolic=st.integers(40, 300),
    diastolic=st.integers(20, 200),
    observation=st.integers(0, 300),
    clinic_systolic=st.integers(90, 140),
    clinic_observation=st.integers(120, 240),
)
def test_a_tightened_clinic_limit_never_lets_through_what_the_protocol_blocks(
    systolic: int, diastolic: int, observation: int, clinic_systolic: int, clinic_observation: int
) -> None:
    values = {
        "bp_pre_systolic": systolic,
        "bp_pre_diastolic": diastolic,
        "observation_minutes": observation,
    }
    limits = {
        "predose_systolic_max": clinic_systolic,
        "observation_min_minutes": clinic_observation,
    }
    plain = check_session("esketamine_induction", values, SessionContext())
    clinic = check_session(
        "esketamine_induction",
        values,
        SessionContext(clinic_settings={"protocol_limits": {"esketamine_induction": limits}}),
    )
    assert {f.rule for f in plain.blocks} <= {f.rule for f in clinic.blocks}
