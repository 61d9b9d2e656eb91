"""The pure results of treatment-course protocols (docs/protocols.md): a session check and its
findings, a course plan, a course outcome and its alerts, and where a REMS form stands.

Every result is a frozen dataclass; ``to_dict`` gives the JSON the command line and the API print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from trdnav.core.protocols.model import Level, Status


@dataclass(frozen=True)
class Finding:
    rule: str
    level: Level
    field: str
    message: str
    source: str
    status: Status = "verified"
    overridable: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level,
            "field": self.field,
            "message": self.message,
            "source": self.source,
        }


@dataclass(frozen=True)
class SessionCheck:
    protocol: str
    can_sign: bool
    findings: tuple[Finding, ...]

    @property
    def blocks(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "block")

    @property
    def block_rules(self) -> tuple[str, ...]:
        """Rules an override must name (each once, in finding order)."""
        return tuple(dict.fromkeys(f.rule for f in self.blocks))

    @property
    def unoverridable_rules(self) -> tuple[str, ...]:
        """Blocks no override lifts (missing required fields, P-C1)."""
        return tuple(dict.fromkeys(f.rule for f in self.blocks if not f.overridable))

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "can_sign": self.can_sign,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class PlannedSession:
    number: int
    on: date
    phase: str

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "on": self.on.isoformat(), "phase": self.phase}


@dataclass(frozen=True)
class PlannedMeasure:
    instrument: str
    on: date
    when: Literal["baseline", "during", "end"]
    respondent: Literal["patient", "clinician"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "on": self.on.isoformat(),
            "when": self.when,
            "respondent": self.respondent,
        }


@dataclass(frozen=True)
class CoursePlan:
    protocol: str
    start: date
    sessions: tuple[PlannedSession, ...]
    measures: tuple[PlannedMeasure, ...]

    @property
    def end(self) -> date:
        return self.sessions[-1].on if self.sessions else self.start

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "sessions": [s.to_dict() for s in self.sessions],
            "measures": [m.to_dict() for m in self.measures],
        }


@dataclass(frozen=True)
class CheckpointAlert:
    rule: str
    level: Level
    message: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
            "source": self.source,
        }


@dataclass(frozen=True)
class CourseOutcome:
    protocol: str
    instrument: str
    baseline: int
    latest: int | None
    latest_on: date | None
    outcome: str
    percent_change: float | None
    early_improvement: bool | None
    alerts: tuple[CheckpointAlert, ...]
    sessions_done: int = 0
    as_of: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "instrument": self.instrument,
            "baseline": self.baseline,
            "latest": self.latest,
            "latest_on": None if self.latest_on is None else self.latest_on.isoformat(),
            "outcome": self.outcome,
            "percent_change": self.percent_change,
            "early_improvement": self.early_improvement,
            "sessions_done": self.sessions_done,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "alerts": [a.to_dict() for a in self.alerts],
        }


class RemsState(StrEnum):
    """Where a REMS monitoring form stands (compares equal to its string value)."""

    DUE = "due"
    OVERDUE = "overdue"
    SUBMITTED = "submitted"


def when_iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()
