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
