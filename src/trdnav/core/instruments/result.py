"""The outcome of scoring one completed form: what ``trdnav score`` prints and the app stores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from trdnav.core.errors import FieldError
from trdnav.core.knowledge import knowledge_version


class Safety(StrEnum):
    """What a safety item says (spec §0 rule 2): unanswered or unlocatable is UNKNOWN, never
    negative."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    UNKNOWN = "unknown"


class Priority(StrEnum):
    """Spec §0 rule 2a: the high-priority tier needs same-day clinician review."""

    HIGH = "high"


@dataclass(frozen=True)
class ScoreResult:
    """A scored, incomplete or rejected form.

    ``valid`` is true only when a total (or, for the C-SSRS, a triage) could be computed.
    ``rejected`` means wrong input (out of range, wrong count, wrong type): exit status 2.
    ``missing`` names unanswered items (an incomplete form is not an error).
    ``details`` holds the instrument-specific fields, printed at the top level.
    """

    instrument: str
    valid: bool
    rejected: bool
    total: int | None
    severity: str | None
    severity_scheme: str | None
    safety: Safety | None
    safety_priority: Priority | None
    errors: tuple[FieldError, ...] = ()
    missing: tuple[str, ...] = ()
    details: Mapping[str, object] = field(default_factory=dict)
    policies: tuple[str, ...] = ()
    definition_version: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "instrument": self.instrument,
            "valid": self.valid,
            "rejected": self.rejected,
            "total": self.total,
            "severity": self.severity,
            "severity_scheme": self.severity_scheme,
            "safety": None if self.safety is None else self.safety.value,
            "safety_priority": None if self.safety_priority is None else self.safety_priority.value,
            **self.details,
            "errors": [error.as_dict() for error in self.errors],
            "missing": list(self.missing),
            "policies": list(self.policies),
            "definition_version": self.definition_version,
            "knowledge_version": knowledge_version(),
        }
