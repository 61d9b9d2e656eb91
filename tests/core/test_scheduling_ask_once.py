"""One ask per instrument: schedules of the same instrument that need doing at once are merged
(``ask_once``; docs/portal.md,
"Questionnaire schedules and due dates"; P-P11). Golden cases."""

from __future__ import annotations

from datetime import date, timedelta

from trdnav.core.scheduling import Ask, Cadence, DueState, ask_once, due_status

MONDAY = date(2025, 3, 3)
WEEKLY = Cadence(every_days=7, start=MONDAY - timedelta(weeks=4))  # the care team's
COURSE = Cadence(every_days=7, start=MONDAY, end=MONDAY + timedelta(weeks=5))  # a course's
GAD7 = Cadence(every_days=28, start=MONDAY)


def test_two_schedules_of_one_instrument_due_the_same_day_give_one_ask() -> None:
    statuses = [
        ("phq9", due_status(WEEKLY, [], as_of=MONDAY, grace_days=2)),
        ("phq9", due_status(COURSE, [], as_of=MONDAY, grace_days=2)),
    ]
    assert [s.state for _, s in statuses] == [DueState.DUE, DueState.DUE]
    assert ask_once(statuses) == [Ask("phq9", lead=0, covers=(0, 1))]


def test_one_completion_satisfies_both_and_nothing_is_asked() -> None:
    done = [MONDAY]
    statuses = [
        ("phq9", due_status(WEEKLY, done, as_of=MONDAY, grace_days=2)),
        ("phq9", due_status(COURSE, done, as_of=MONDAY, grace_days=2)),
    ]
    assert [s.state for _, s in statuses] == [DueState.DONE, DueState.DONE]
    assert ask_once(statuses) == []


def test_a_completion_half_an_interval_early_satisfies_both() -> None:
    done = [MONDAY - timedelta(days=3)]  # 7 // 2 days before the shared due date
    statuses = [
        ("phq9", due_status(WEEKLY, done, as_of=MONDAY, grace_days=2)),
        ("phq9", due_status(COURSE, done, as_of=MONDAY, grace_days=2)),
    ]
    assert ask_once(statuses) == []


def test_a_form_done_for_the_merged_ask_satisfies_every_schedule_it_covers() -> None:
    as_of = MONDAY + timedelta(days=4)
    weekly_off_step = Cadence(every_days=7, start=MONDAY + timedelta(days=2))
    before = [
        ("phq9", due_status(COURSE, [], as_of=as_of, grace_days=2)),
        ("phq9", due_status(weekly_off_step, [], as_of=as_of, grace_days=2)),
    ]
    assert len(ask_once(before)) == 1
    after = [
        ("phq9", due_status(COURSE, [as_of], as_of=as_of, grace_days=2)),
        ("phq9", due_status(weekly_off_step, [as_of], as_of=as_of, grace_days=2)),
    ]
    assert ask_once(after) == []


def test_different_instruments_are_asked_for_separately() -> None:
    statuses = [
        ("phq9", due_status(WEEKLY, [], as_of=MONDAY, grace_days=2)),
        ("gad7", due_status(GAD7, [], as_of=MONDAY, grace_days=2)),
        ("phq9", due_status(COURSE, [], as_of=MONDAY, grace_days=2)),
    ]
    assert ask_once(statuses) == [
        Ask("phq9", lead=0, covers=(0, 2)),
        Ask("gad7", lead=1, covers=(1,)),
    ]


def test_the_merged_ask_is_as_urgent_as_the_most_urgent_schedule() -> None:
    as_of = MONDAY + timedelta(days=3)  # the course's first PHQ-9 is within its grace days
    weekly = Cadence(every_days=14, start=MONDAY - timedelta(days=4))  # 7 days since: late
    statuses = [
        ("phq9", due_status(COURSE, [], as_of=as_of, grace_days=3)),
        ("phq9", due_status(weekly, [], as_of=as_of, grace_days=3)),
    ]
    assert [s.state for _, s in statuses] == [DueState.DUE, DueState.OVERDUE]
    (ask,) = ask_once(statuses)
    assert ask.lead == 1 and ask.covers == (0, 1)
    assert statuses[ask.lead][1].state == DueState.OVERDUE


def test_of_equally_urgent_schedules_the_earlier_due_date_leads() -> None:
    as_of = MONDAY + timedelta(days=2)
    later = Cadence(every_days=7, start=MONDAY + timedelta(days=1))
    statuses = [
        ("phq9", due_status(later, [], as_of=as_of, grace_days=2)),
        ("phq9", due_status(COURSE, [], as_of=as_of, grace_days=2)),
    ]
    assert ask_once(statuses) == [Ask("phq9", lead=1, covers=(0, 1))]


def test_schedules_with_nothing_to_do_are_not_asked_for() -> None:
    before = MONDAY - timedelta(days=1)
    statuses = [
        ("phq9", due_status(COURSE, [], as_of=before, grace_days=2)),  # not started
        ("phq9", due_status(WEEKLY, [], as_of=before, grace_days=2)),  # due since last Monday
    ]
    assert ask_once(statuses) == [Ask("phq9", lead=1, covers=(1,))]
