"""Value typing and message formatting for field kinds and operators no protocol uses yet
(datetime fields, ``in`` and ``other`` conditions), so that data can start using them safely."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest

from tests.core.protocols.sample_sessions import KETAMINE_OK
from trdnav.core.protocols import FieldSpec, ProtocolError, SessionContext, check_session
from trdnav.core.protocols.checks import _Placeholders
from trdnav.core.protocols.kinds import _compare, _condition
from trdnav.core.protocols.limits import effective_limits
from trdnav.core.protocols.load import get_protocol
from trdnav.core.protocols.parse import parse_course_input
from trdnav.core.protocols.plan import _measures
from trdnav.core.protocols.results import when_iso
from trdnav.core.protocols.values import _fmt, _typed

WHEN = FieldSpec("dosed_at", "Dosed at", "datetime")


def test_datetime_fields_accept_iso_text_or_a_datetime() -> None:
    moment = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
    assert _typed(WHEN, "2026-11-30T09:15+00:00") == moment
    assert _typed(WHEN, moment) is moment
    for bad in ("30/11/2026", 5):
        with pytest.raises(ProtocolError, match="YYYY-MM-DDTHH:MM"):
            _typed(WHEN, bad)


def test_a_lower_bound_alone_is_described() -> None:
    spec = FieldSpec("n", "N", "number", unit="mg", min_value=1)
    with pytest.raises(ProtocolError, match="must be at least 1 mg; got 0"):
        _typed(spec, 0)


def test_formatting_of_values_in_messages() -> None:
    assert _fmt(None) == "—"
    assert _fmt(True) == "yes"
    assert _fmt(Fraction(1, 3)) == "0.33"
    assert _fmt(datetime(2026, 11, 30, 9, 15, 42, tzinfo=UTC)) == "2026-11-30T09:15+00:00"
    assert _fmt([28, 56.0]) == "28, 56"
    assert when_iso(None) is None
    assert when_iso(date(2026, 11, 30)) == "2026-11-30"


def test_in_and_other_conditions() -> None:
    assert _compare("in", 56, [56, 84]) and not _compare("in", 28, [56, 84])
    protocol = get_protocol("esketamine_induction")
    limits = effective_limits(protocol, {})
    values = {"bp_pre_systolic": 130, "bp_post40_systolic": 150}
    rising = {"field": "bp_post40_systolic", "op": ">", "other": "bp_pre_systolic"}
    assert _condition(rising, values, SessionContext(), limits)


def test_block_rules_are_listed_once_each() -> None:
    check = check_session("esketamine_induction", {}, SessionContext())
    assert check.block_rules == ("required_field",)


def test_a_course_document_without_as_of_needs_one_from_the_caller() -> None:
    document = {"protocol": "medication_trial", "baseline": 20, "start": "2026-11-02"}
    with pytest.raises(Exception, match="as_of"):
        parse_course_input({**document, "sessions_done": 0})


def test_an_empty_plan_has_no_measures() -> None:
    assert _measures(get_protocol("medication_trial"), ()) == ()


def test_message_details_no_protocol_text_exercises_yet() -> None:
    assert _fmt(False) == "no"
    assert _Placeholders({})["not_a_value"] == "—"
    assert _compare("<=", 90, 90) and not _compare("<=", 91, 90)
    assert _compare("<", 89, 90) and not _compare("<", 90, 90)
    with pytest.raises(ProtocolError) as caught:
        _typed(FieldSpec("n", "N", "number"), "7")
    assert caught.value.errors[0].message == "must be a number"
    with pytest.raises(ProtocolError) as caught:
        _typed(FieldSpec("n", "N", "integer", min_value=1, max_value=5), 7)
    assert caught.value.errors[0].message == "must be from 1 to 5; got 7"
    with pytest.raises(ProtocolError) as caught:
        _typed(WHEN, "yesterday")
    assert caught.value.errors[0].field == "dosed_at"
    assert caught.value.errors[0].message == "must be a date and time as YYYY-MM-DDTHH:MM"


def test_values_that_are_not_an_object_are_an_error_naming_values() -> None:
    with pytest.raises(ProtocolError) as caught:
        check_session("esketamine_induction", [], SessionContext())  # type: ignore[arg-type]
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("values", "must be an object of field names and values")
    ]
    assert check_session("esketamine_induction", {}, SessionContext()).protocol == (
        "esketamine_induction"
    )


def test_latest_and_minus_operands_read_this_session_then_earlier_ones() -> None:
    limits = effective_limits(get_protocol("ect_rul_ultrabrief"), {})
    earlier = SessionContext(previous_sessions=({"seizure_threshold_mc": 20},))
    now = {"seizure_threshold_mc": 25, "stimulus_charge_mc": 150}
    this_session = {"field": "latest.seizure_threshold_mc", "value": 25}  # op defaults to ==
    assert _condition(this_session, now, earlier, limits)
    assert not _condition(this_session, {}, earlier, limits)
    ratio = {"field": "stimulus_charge_mc", "minus": "latest.seizure_threshold_mc", "value": 130}
    assert _condition(ratio, {"stimulus_charge_mc": 150}, earlier, limits)
    other = {"field": "stimulus_charge_mc", "op": ">", "other": "latest.seizure_threshold_mc"}
    assert _condition(other, {"stimulus_charge_mc": 150}, earlier, limits)


def test_a_from_memory_limit_marks_a_verified_rule_unverified() -> None:
    # ketamine_iv_induction.toml: predose_systolic_max 140 mmHg is from memory (sanacora2017).
    values = {**KETAMINE_OK, "bp_pre_systolic": 150}
    check = check_session("ketamine_iv_induction", values, SessionContext(age_years=40))
    (finding,) = [f for f in check.findings if f.field == "bp_pre_systolic"]
    assert finding.status == "from_memory"
    assert finding.message.endswith("(unverified)")
