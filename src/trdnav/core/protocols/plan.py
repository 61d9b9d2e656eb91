"""A course plan: the sessions' dates and the measure schedule (baseline, during, end).

Dates are proposals the clinic moves (P-C7): session 1 is on ``start``; a phase of five or more
sessions a week takes consecutive weekdays (Saturdays and Sundays skipped); fewer a week follow a
fixed weekly pattern from the phase's first day (two a week: days 0 and 3; three: 0, 2, 4);
fewer than one a week are spaced evenly. Several sessions a day (accelerated TMS) share a date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from trdnav.core.instruments import get_instrument
from trdnav.core.protocols.load import DAILY_FROM, WEEKLY_PATTERNS, get_protocol
from trdnav.core.protocols.model import Phase, Protocol, ProtocolError
from trdnav.core.protocols.results import CoursePlan, PlannedMeasure, PlannedSession

DAYS_PER_WEEK = 7
SATURDAY = 5
MIN_SESSIONS = 1
MAX_SESSIONS = 400


def plan_course(protocol_id: str, start: date, *, sessions: int | None = None) -> CoursePlan:
    """The protocol's sessions from ``start`` and its measures; ``sessions`` changes the count
    (fewer: the plan stops early; more: the last phase continues at its own pace)."""
    protocol = get_protocol(protocol_id)
    total = protocol.planned_sessions if sessions is None else _sessions(sessions)
    planned = _dates(protocol, start, total)
    return CoursePlan(
        protocol=protocol.id,
        start=start,
        sessions=planned,
        measures=_measures(protocol, planned),
    )


def _sessions(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError("sessions", "must be a whole number")
    if not MIN_SESSIONS <= value <= MAX_SESSIONS:
        raise ProtocolError("sessions", f"must be from {MIN_SESSIONS} to {MAX_SESSIONS}")
    return value


def _phases(protocol: Protocol, total: int) -> list[tuple[Phase, int]]:
    """Each phase with the number of sessions it gets out of ``total``."""
    phases = list(protocol.phases) or [
        Phase("course", protocol.planned_sessions, protocol.sessions_per_week)
    ]
    plan: list[tuple[Phase, int]] = []
    left = total
    for i, phase in enumerate(phases):
        count = left if i == len(phases) - 1 else min(phase.sessions, left)
        if count > 0:
            plan.append((phase, count))
        left -= count
    return plan


def _next_weekday(day: date) -> date:
    while day.weekday() >= SATURDAY:
        day += timedelta(days=1)
    return day


def _phase_days(phase: Phase, anchor: date, days_needed: int) -> list[date]:
    if phase.per_week >= DAILY_FROM:
        days, day = [anchor], anchor
        while len(days) < days_needed:
            day = _next_weekday(day + timedelta(days=1))
            days.append(day)
        return days
    if phase.per_week < 1:
        step = round(DAYS_PER_WEEK / phase.per_week)
        return [anchor + timedelta(days=step * i) for i in range(days_needed)]
    pattern = WEEKLY_PATTERNS[int(phase.per_week)]
    return [
        anchor + timedelta(days=DAYS_PER_WEEK * (i // len(pattern)) + pattern[i % len(pattern)])
        for i in range(days_needed)
    ]


def _dates(protocol: Protocol, start: date, total: int) -> tuple[PlannedSession, ...]:
    planned: list[PlannedSession] = []
    anchor = start
    for phase, count in _phases(protocol, total):
        per_day = max(phase.per_day, 1)
        days = _phase_days(phase, anchor, -(-count // per_day))
        for i in range(count):
            planned.append(PlannedSession(len(planned) + 1, days[i // per_day], phase.name))
        anchor = _next_anchor(phase, anchor, days[-1])
    return tuple(planned)


def _next_anchor(phase: Phase, anchor: date, last: date) -> date:
    """The next phase starts in the week after this one's last session (on a weekday)."""
    if phase.per_week >= DAILY_FROM:
        return _next_weekday(last + timedelta(days=1))
    if phase.per_week < 1:
        return last + timedelta(days=round(DAYS_PER_WEEK / phase.per_week))
    weeks = (last - anchor).days // DAYS_PER_WEEK + 1
    return anchor + timedelta(days=DAYS_PER_WEEK * weeks)


def _respondent(instrument: str) -> Literal["patient", "clinician"]:
    who = str(get_instrument(instrument).definition.respondent)
    return "patient" if who == "patient" else "clinician"


def _measures(
    protocol: Protocol, sessions: tuple[PlannedSession, ...]
) -> tuple[PlannedMeasure, ...]:
    if not sessions:
        return ()
    last = sessions[-1]
    measures: list[PlannedMeasure] = []
    for spec in protocol.measures:
        respondent = _respondent(spec.instrument)
        if spec.when == "baseline":
            measures.append(PlannedMeasure(spec.instrument, sessions[0].on, "baseline", respondent))
        elif spec.when == "end":
            measures.append(PlannedMeasure(spec.instrument, last.on, "end", respondent))
        else:
            every = spec.every_sessions or 1
            seen: set[date] = set()
            for session in sessions[every - 1 : -1 : every]:
                if session.on not in seen and session.on != last.on:
                    seen.add(session.on)
                    measures.append(
                        PlannedMeasure(spec.instrument, session.on, "during", respondent)
                    )
    return tuple(sorted(measures, key=lambda m: (m.on, _ORDER[m.when], m.instrument)))


_ORDER = {"baseline": 0, "during": 1, "end": 2}
