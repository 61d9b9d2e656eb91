"""Value typing and message formatting for field kinds and operators no protocol uses yet
(datetime fields, ``in`` and ``other`` conditions), so that data can start using them safely."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest

from trdnav.core.protocols import FieldSpec, ProtocolError, SessionContext, check_session
from trdnav.core.protocols.checks import _compare, _condition, _fmt, _typed, effective_limits
from trdnav.core.protocols.load import get_protocol
from trdnav.core.protocols.model import when_iso
from trdnav.core.protocols.parse import parse_course_input
from trdnav.core.protocols.plan import _measures

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
