"""The public shapes of treatment-course protocols (docs/protocols.md).

Everything here is a frozen dataclass of knowledge-base data: a protocol, its fields, figures,
checks, measures and checkpoints, the REMS rule, and the context a session check reads. The pure
results (a session check, a course plan, a course outcome) are in ``results.py``. ``to_dict``
gives the JSON the command line and the API print.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
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
    """One session rule as data (``kind`` selects the evaluator in ``kinds.py``)."""

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
