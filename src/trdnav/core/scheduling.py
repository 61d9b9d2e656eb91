"""When a scheduled questionnaire is due: a pure function of the schedule, the dates it was
completed and ``as_of`` (docs/portal.md, "Due and overdue").

A schedule asks for one instrument every ``every_days`` days from ``start`` (inclusive) to
``end`` (inclusive, or open-ended). Occurrences fall on ``start + k * every_days``. Only the
latest occurrence on or before ``as_of`` matters: missed earlier ones are not piled up, so a
patient back after a month sees one PHQ-9 to do, not four. That occurrence is satisfied by a
completion from the start of its window (half an interval before the due date, so that a form
done a day early counts) up to ``as_of``. It is *due* on its due date and *overdue* once more
than ``grace_days`` days have passed. Like any missed occurrence, a missed final one lapses
a full interval after its due date, and the schedule has then ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class DueState(StrEnum):
    """Where a schedule stands on a given day (a project vocabulary, not a standard one)."""

    NOT_STARTED = "not_started"  # the first occurrence is in the future
    DONE = "done"  # the current occurrence is completed; the next one is in the future
    DUE = "due"
    OVERDUE = "overdue"
    ENDED = "ended"  # past the end date and nothing left to do


@dataclass(frozen=True)
class Cadence:
    """One schedule: an instrument every ``every_days`` days between ``start`` and ``end``."""

    every_days: int
    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.every_days < 1:
            raise ValueError("every_days must be at least 1")
        if self.end is not None and self.end < self.start:
            raise ValueError("end must not be before start")


@dataclass(frozen=True)
class DueStatus:
    state: DueState
    due_on: date | None  # the current occurrence (None before the first one)
    next_due_on: date | None  # the occurrence after ``as_of`` (None once the schedule ends)
    last_completed_on: date | None

    @property
    def needs_doing(self) -> bool:
        return self.state in (DueState.DUE, DueState.OVERDUE)


def occurrence_on_or_before(cadence: Cadence, day: date) -> date | None:
    """The latest occurrence not after ``day`` (and not after the end), or None."""
    last_day = min(day, cadence.end) if cadence.end is not None else day
    if last_day < cadence.start:
        return None
    steps = (last_day - cadence.start).days // cadence.every_days
    return cadence.start + timedelta(days=steps * cadence.every_days)


def next_occurrence_after(cadence: Cadence, day: date) -> date | None:
    if day < cadence.start:
        return cadence.start
    steps = (day - cadence.start).days // cadence.every_days + 1
    following = cadence.start + timedelta(days=steps * cadence.every_days)
    return following if cadence.end is None or following <= cadence.end else None


def window_opens(cadence: Cadence, due_on: date) -> date:
    """A completion this early or later counts for the occurrence due on ``due_on``."""
    return due_on - timedelta(days=cadence.every_days // 2)


def _satisfied(cadence: Cadence, due_on: date, completed: list[date], as_of: date) -> bool:
    opens = window_opens(cadence, due_on)
    return any(opens <= day <= as_of for day in completed)


def _open_state(due_on: date, as_of: date, grace_days: int) -> DueState:
    return DueState.OVERDUE if (as_of - due_on).days > grace_days else DueState.DUE


def due_status(
    cadence: Cadence, completed_on: Iterable[date], *, as_of: date, grace_days: int
) -> DueStatus:
    """Where ``cadence`` stands on ``as_of`` given the days the instrument was completed."""
    completed = sorted(day for day in completed_on if day <= as_of)
    last = completed[-1] if completed else None
    due_on = occurrence_on_or_before(cadence, as_of)
    following = next_occurrence_after(cadence, as_of)
    if due_on is None:
        return DueStatus(DueState.NOT_STARTED, None, following, last)
    if _satisfied(cadence, due_on, completed, as_of):
        state = DueState.DONE if following is not None else DueState.ENDED
        return DueStatus(state, due_on, following, last)
    if following is None and (as_of - due_on).days >= cadence.every_days:
        # A missed last occurrence lapses a full interval later, as missed ones do in a course.
        return DueStatus(DueState.ENDED, due_on, None, last)
    return DueStatus(_open_state(due_on, as_of, grace_days), due_on, following, last)


@dataclass(frozen=True)
class Ask:
    """One instrument to ask for now: ``lead`` is the index of the schedule to ask with (the
    most urgent), ``covers`` every index of that instrument that needs doing (``lead`` too)."""

    instrument: str
    lead: int
    covers: tuple[int, ...]


_URGENCY = {DueState.OVERDUE: 0, DueState.DUE: 1}


def ask_once(statuses: Sequence[tuple[str, DueStatus]]) -> list[Ask]:
    """Per instrument, one ask for all its schedules that need doing (docs/portal.md,
    "Questionnaire schedules and due dates"; P-P11). ``statuses`` are (instrument code,
    status on the same ``as_of``) pairs.

    The lead is the most urgent of them (overdue before due, then the earliest due date, then
    the first given), so the merged ask is overdue if any of them is. Completions are per
    instrument, so the one form done on ``as_of`` satisfies every one of them: each window
    opens on or before its due date, and none is after ``as_of``. Asks come in the order of
    their leads."""
    groups: dict[str, list[int]] = {}
    for index, (instrument, status) in enumerate(statuses):
        if status.needs_doing and status.due_on is not None:
            groups.setdefault(instrument, []).append(index)

    def urgency(index: int) -> tuple[int, date, int]:
        status = statuses[index][1]
        return (_URGENCY[status.state], status.due_on or date.min, index)

    asks = [
        Ask(instrument, min(indices, key=urgency), tuple(indices))
        for instrument, indices in groups.items()
    ]
    return sorted(asks, key=lambda ask: ask.lead)


def cadences_for(days: Iterable[date], *, every_days_alone: int = 7) -> tuple[Cadence, ...]:
    """Schedules whose occurrences are exactly ``days``: the dates in order, cut into runs of
    equal steps (a course's weekly measures become one schedule; an end-of-course measure off
    that step becomes its own). A date left alone gets one occurrence, whose interval (which
    sets its window and when it lapses) is the gap since the date before, or
    ``every_days_alone`` when it is the only one."""
    ordered = sorted(set(days))
    runs: list[Cadence] = []
    i = 0
    while i < len(ordered):
        j = i + 1
        if j < len(ordered):
            step = (ordered[j] - ordered[i]).days
            while j + 1 < len(ordered) and (ordered[j + 1] - ordered[j]).days == step:
                j += 1
            runs.append(Cadence(every_days=step, start=ordered[i], end=ordered[j]))
            i = j + 1
            continue
        gap = (ordered[i] - ordered[i - 1]).days if i > 0 else every_days_alone
        runs.append(Cadence(every_days=gap, start=ordered[i], end=ordered[i]))
        i += 1
    return tuple(runs)
