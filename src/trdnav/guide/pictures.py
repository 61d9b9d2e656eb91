"""Geometry for the guide's two pictures, drawn as inline SVG and HTML by the templates:
an icon array (100 dots, ``count`` of them filled) and a course calendar (one tile per week,
one dot per visit). The words beside each picture carry the same information."""

from __future__ import annotations

from dataclasses import dataclass

from trdnav.core.knowledge.patient_guide import IconArray, Schedule

_PER_ROW = 10
_PITCH = 10  # SVG units between dot centres (viewBox 0 0 100 100)


@dataclass(frozen=True)
class Dot:
    x: int
    y: int
    filled: bool


@dataclass(frozen=True)
class Week:
    number: int
    visits: int
    phase: int
    if_needed: bool  # a week the card gives as "up to", not certain

    @property
    def dots(self) -> range:
        return range(self.visits)


def icon_dots(icon: IconArray) -> list[Dot]:
    """Filled dots first, row by row from the top left, as icon arrays are usually read."""
    half = _PITCH // 2
    return [
        Dot(
            x=(i % _PER_ROW) * _PITCH + half,
            y=(i // _PER_ROW) * _PITCH + half,
            filled=i < icon.count,
        )
        for i in range(icon.total)
    ]


def calendar_weeks(schedule: Schedule) -> list[Week]:
    weeks: list[Week] = []
    for phase_number, phase in enumerate(schedule.phases, start=1):
        last = phase.weeks_up_to or phase.weeks
        for offset in range(last):
            weeks.append(
                Week(len(weeks) + 1, phase.per_week, phase_number, if_needed=offset >= phase.weeks)
            )
    return weeks
