"""REMS monitoring-form deadline (Janssen PMF overview and form instructions: "submitted within
7 days" after every outpatient session; REMS settings pages: inpatient settings file no form).
Policy P-C6: 7 calendar days after the session ended, same clock time; effective dates as data."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from trdnav.core.errors import InvalidInput
from trdnav.core.protocols import (
    ProtocolError,
    RemsRule,
    RemsState,
    load_rems_rules,
    rems_deadline,
    rems_prefill,
    rems_rule_in_force,
    rems_state,
    validate_rems_form,
)

SESSION_END = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # a Friday


def test_the_rule_in_force_is_the_7_day_form_and_is_verified() -> None:
    rule = rems_rule_in_force(date(2026, 11, 27))
    assert rule is not None
    assert (rule.deadline_days, rule.calendar_days, rule.status) == (7, True, "verified")
    assert rule.source == "spravato_rems_pmf+spravatorems_settings+openfda_spravato_ndc"
    assert {f.name for f in rule.form_fields} >= {"lot_number", "respiratory_depression"}
    assert rems_rule_in_force(date(2019, 3, 4)) is None


def test_the_deadline_counts_calendar_days_through_the_weekend() -> None:
    rule = rems_rule_in_force(SESSION_END.date())
    assert rule is not None
    assert rems_deadline(SESSION_END, rule) == datetime(2026, 12, 4, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        ("2026-11-28T09:00:00+00:00", RemsState.DUE),
        ("2026-12-04T16:30:00+00:00", RemsState.DUE),  # exactly at the deadline: still due
        ("2026-12-04T16:30:01+00:00", RemsState.OVERDUE),
        ("2026-12-20T00:00:00+00:00", RemsState.OVERDUE),
    ],
)
def test_due_and_overdue_with_a_frozen_clock(now: str, state: RemsState) -> None:
    rule = rems_rule_in_force(SESSION_END.date())
    assert rule is not None
    due = rems_deadline(SESSION_END, rule)
    with time_machine.travel(datetime.fromisoformat(now), tick=False):
        current = datetime.now(UTC)
        assert rems_state(due, None, current) == state
        assert rems_state(due, None, current) == state.value


def test_submitted_stays_submitted_even_when_late() -> None:
    due = SESSION_END + timedelta(days=7)
    late = due + timedelta(days=3)
    with time_machine.travel(late + timedelta(days=1), tick=False):
        assert rems_state(due, late, datetime.now(UTC)) is RemsState.SUBMITTED


def test_the_effective_date_switches_the_rule() -> None:
    current = load_rems_rules()[0]
    newer = replace(
        current, id="hypothetical_next", effective_from=date(2027, 1, 1), deadline_days=3
    )
    rules = (current, newer)
    assert rems_rule_in_force(date(2026, 12, 31), rules=rules) == current
    switched = rems_rule_in_force(date(2027, 1, 1), rules=rules)
    assert switched is not None and switched.id == "hypothetical_next"
    end = datetime(2027, 1, 1, 12, tzinfo=UTC)
    assert rems_deadline(end, switched) == datetime(2027, 1, 4, 12, tzinfo=UTC)


def test_a_clinic_may_switch_rems_off_or_shorten_but_not_lengthen_the_deadline() -> None:
    on = date(2026, 11, 27)
    assert rems_rule_in_force(on, {"rems_enabled": False}) is None
    shorter = rems_rule_in_force(on, {"rems_deadline_days": 3})
    assert shorter is not None and shorter.deadline_days == 3
    longer = rems_rule_in_force(on, {"rems_deadline_days": 14})
    assert longer is not None and longer.deadline_days == 7
    with pytest.raises(ProtocolError) as caught:
        rems_rule_in_force(on, {"rems_deadline_days": "soon"})
    assert caught.value.errors[0].field == "rems_deadline_days"


def _rule() -> RemsRule:
    rule = rems_rule_in_force(date(2026, 11, 27))
    assert rule is not None
    return rule


def test_the_form_is_prefilled_from_the_session_record() -> None:
    session = {
        "dose_mg": 84,
        "lot_number": "AB12",
        "sedation_observed": True,
        "dissociation_observed": False,
        "respiratory_depression_observed": False,
        "ready_to_leave_minutes": None,
    }
    assert rems_prefill(session, _rule()) == {
        "dose_mg": 84,
        "lot_number": "AB12",
        "sedation": True,
        "dissociation": False,
        "respiratory_depression": False,
    }


def test_a_form_is_stored_complete_or_not_at_all() -> None:
    answers = {
        "first_treatment": False,
        "takes_benzodiazepines": False,
        "takes_sedative_hypnotics": False,
        "takes_psychostimulants": False,
        "takes_maois": False,
        "dose_mg": 56,
        "lot_number": "AB12",
        "total_minutes": 130,
        "ready_to_leave_minutes": 90,
        "vitals_ok_before": True,
        "vitals_ok_end": True,
        "sedation": False,
        "dissociation": True,
        "respiratory_depression": False,
        "serious_adverse_event": False,
    }
    assert validate_rems_form(_rule(), answers) == answers
    with pytest.raises(InvalidInput) as caught:
        validate_rems_form(_rule(), {**answers, "dose_mg": "56", "lot_number": "", "colour": "red"})
    assert [e.field for e in caught.value.errors] == ["dose_mg", "colour", "lot_number"]
    assert caught.value.errors[2].message == "is required"
    with pytest.raises(ProtocolError):
        validate_rems_form(_rule(), [])  # type: ignore[arg-type]


def test_a_clinic_deadline_equal_to_the_rule_keeps_the_rule_itself() -> None:
    on = date(2026, 11, 27)
    rule = rems_rule_in_force(on)
    assert rems_rule_in_force(on, {"rems_deadline_days": 7}) is rule
    assert rems_rule_in_force(on, {"rems_enabled": True}) is rule


def test_a_one_day_clinic_deadline_keeps_everything_else_of_the_rule() -> None:
    on = date(2026, 11, 27)
    rule = rems_rule_in_force(on)
    assert rule is not None
    one_day = rems_rule_in_force(on, {"rems_deadline_days": 1})
    assert one_day == replace(rule, deadline_days=1)
    end = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)
    assert rems_deadline(end, one_day) == datetime(2026, 11, 28, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize("days", [0, -3, True, 2.5])
def test_an_unusable_clinic_deadline_is_an_error_naming_the_setting(days: object) -> None:
    with pytest.raises(ProtocolError) as caught:
        rems_rule_in_force(date(2026, 11, 27), {"rems_deadline_days": days})
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("rems_deadline_days", "must be a positive whole number of days")
    ]


def test_the_rule_switches_at_the_exact_instant_of_its_effective_date() -> None:
    current = load_rems_rules()[0]
    assert current.effective_from == date(2019, 3, 5)  # rems.toml: SPRAVATO US marketing start
    newer = replace(current, id="next", effective_from=date(2027, 1, 1), deadline_days=3)
    rules = (newer, current)  # order of the data does not matter
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC), tick=False):
        before = rems_rule_in_force(datetime.now(UTC).date(), rules=rules)
    with time_machine.travel(datetime(2027, 1, 1, 0, 0, tzinfo=UTC), tick=False):
        after = rems_rule_in_force(datetime.now(UTC).date(), rules=rules)
    assert before is current
    assert after is newer
    assert rems_rule_in_force(date(2019, 3, 5)) is not None


def test_every_unknown_form_field_is_named_with_the_allowed_ones() -> None:
    rule = _rule()
    with pytest.raises(InvalidInput) as caught:
        validate_rems_form(rule, {"colour": "red", "mood": "fine"})
    allowed = ", ".join(f.name for f in rule.form_fields)
    unknown = [(e.field, e.message) for e in caught.value.errors][:2]
    assert unknown == [
        ("colour", f"is not a form field; allowed: {allowed}"),
        ("mood", f"is not a form field; allowed: {allowed}"),
    ]
    with pytest.raises(ProtocolError) as not_an_object:
        validate_rems_form(rule, [])  # type: ignore[arg-type]
    assert [(e.field, e.message) for e in not_an_object.value.errors] == [
        ("fields", "must be an object of form fields")
    ]
