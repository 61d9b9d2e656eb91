"""The public shapes of treatment-course protocols (docs/protocols.md).

Everything here is a frozen dataclass: a protocol is knowledge-base data, a session check and a
course outcome are pure results. ``to_dict`` gives the JSON the command line and the API print.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from trdnav.core.errors import FieldError, InvalidInput

Status = Literal["verified", "from_memory", "derived"]
STATUSES: tuple[str, ...] = ("verified", "from_memory", "derived")
Level = Literal["block", "warn", "info"]
LEVELS: tuple[str, ...] = ("block", "warn", "info")
MODALITIES: tuple[str, ...] = (
    "ketamine_iv",
    "esketamine",
    "tms",
    "ect",
    "psychotherapy",
    "medication_trial",
)
FIELD_KINDS: tuple[str, ...] = (
    "number",
    "integer",
    "text",
    "choice",
    "boolean",
    "datetime",
    "minutes",
)
OUTCOMES: tuple[str, ...] = ("response", "partial_response", "remission", "none", "too_early")
UNVERIFIED_SUFFIX = " (unverified)"


class ProtocolError(InvalidInput):
    """An unknown protocol, field or value of the wrong type; names the field and what is allowed.

    A subclass of ``InvalidInput``: the web layer answers 422 and the command line exits 2.
    """

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__([FieldError(field_name, message)])
        self.field = field_name


@dataclass(frozen=True)
class Parameter:
    """One protocol figure (a dose, a limit, a count) with its source and status."""

    name: str
    value: Any
    unit: str
    label: str
    source: str
    status: Status
    clinic: Literal["fixed", "tighten", "any"] = "fixed"
    tighter: Literal["lower", "higher"] | None = None
    policy: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "label": self.label,
            "source": self.source,
            "status": self.status,
            "unverified": self.status == "from_memory",
            "clinic": self.clinic,
            "tighter": self.tighter,
            "policy": self.policy,
        }


@dataclass(frozen=True)
class FieldSpec:
    """One field of the session form; the web form is generated from these."""

    name: str
    label: str
    kind: str
    unit: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    min_value: float | None = None
    max_value: float | None = None
    required_at_sessions: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "unit": self.unit,
            "required": self.required,
            "choices": list(self.choices),
            "help": self.help,
            "min": self.min_value,
            "max": self.max_value,
            "required_at_sessions": list(self.required_at_sessions),
        }


@dataclass(frozen=True)
class CheckSpec:
    """One session rule as data (``kind`` selects the evaluator in ``checks.py``)."""

    rule: str
    kind: str
    level: Level
    field: str
    message: str
    source: str
    status: Status
    spec: Mapping[str, Any]
    policy: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "level": self.level,
            "field": self.field,
            "message": self.message,
            "source": self.source,
            "status": self.status,
            "unverified": self.status == "from_memory",
            "policy": self.policy,
        }


@dataclass(frozen=True)
class Phase:
    name: str
    sessions: int
    per_week: float
    per_day: int = 1
    source: str = ""
    status: Status = "verified"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sessions": self.sessions,
            "per_week": self.per_week,
            "per_day": self.per_day,
            "source": self.source,
            "status": self.status,
            "unverified": self.status == "from_memory",
        }


@dataclass(frozen=True)
class MeasureSpec:
    """A measure in the course plan: at baseline, every ``every_sessions`` sessions, at the end."""

    instrument: str
    when: Literal["baseline", "during", "end"]
    every_sessions: int | None
    source: str
    status: Status

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "when": self.when,
            "every_sessions": self.every_sessions,
            "source": self.source,
            "status": self.status,
        }


@dataclass(frozen=True)
class CheckpointSpec:
    """An alert the protocol raises when the course is not working at a named point."""

    rule: str
    level: Level
    after_sessions: int | None
    after_days: int | None
    condition: Literal[
        "no_early_improvement", "no_response", "no_remission", "no_reliable_improvement"
    ]
    message: str
    source: str
    status: Status
    policy: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level,
            "after_sessions": self.after_sessions,
            "after_days": self.after_days,
            "condition": self.condition,
            "message": self.message,
            "source": self.source,
            "status": self.status,
            "unverified": self.status == "from_memory",
            "policy": self.policy,
        }


@dataclass(frozen=True)
class Protocol:
    id: str
    name: str
    modality: str
    therapy_ids: tuple[str, ...]
    session_fields: tuple[FieldSpec, ...]
    primary_instrument: str
    planned_sessions: int
    sessions_per_week: float
    summary: str = ""
    source: str = ""
    status: Status = "verified"
    phases: tuple[Phase, ...] = ()
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    checks: tuple[CheckSpec, ...] = ()
    measures: tuple[MeasureSpec, ...] = ()
    checkpoints: tuple[CheckpointSpec, ...] = ()
    early_improvement: bool = False
    outcome_after_sessions: int | None = None
    rems: bool = False

    def field_spec(self, name: str) -> FieldSpec | None:
        return next((f for f in self.session_fields if f.name == name), None)

    def parameter(self, name: str) -> Parameter:
        return self.parameters[name]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "modality": self.modality,
            "therapy_ids": list(self.therapy_ids),
            "summary": self.summary,
            "source": self.source,
            "status": self.status,
            "primary_instrument": self.primary_instrument,
            "planned_sessions": self.planned_sessions,
            "sessions_per_week": self.sessions_per_week,
            "phases": [p.to_dict() for p in self.phases],
            "early_improvement": self.early_improvement,
            "outcome_after_sessions": self.outcome_after_sessions,
            "rems": self.rems,
            "session_fields": [f.to_dict() for f in self.session_fields],
            "parameters": [p.to_dict() for p in self.parameters.values()],
            "checks": [c.to_dict() for c in self.checks],
            "measures": [m.to_dict() for m in self.measures],
            "checkpoints": [c.to_dict() for c in self.checkpoints],
        }


@dataclass(frozen=True)
class SessionContext:
    """What a session check needs besides the session's own values."""

    weight_kg: float | None = None
    age_years: int | None = None
    session_number: int = 1
    previous_sessions: Sequence[Mapping[str, Any]] = ()
    clinic_settings: Mapping[str, Any] = field(default_factory=dict)


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


@dataclass(frozen=True)
class RemsRule:
    """One version of the REMS monitoring-form rule, in force from ``effective_from``."""

    id: str
    effective_from: date
    deadline_days: int
    calendar_days: bool
    form_fields: tuple[FieldSpec, ...]
    source: str
    status: Status
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "effective_from": self.effective_from.isoformat(),
            "deadline_days": self.deadline_days,
            "calendar_days": self.calendar_days,
            "form_fields": [f.to_dict() for f in self.form_fields],
            "source": self.source,
            "status": self.status,
            "description": self.description,
        }


class RemsState(StrEnum):
    """Where a REMS monitoring form stands (compares equal to its string value)."""

    DUE = "due"
    OVERDUE = "overdue"
    SUBMITTED = "submitted"


def when_iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()
