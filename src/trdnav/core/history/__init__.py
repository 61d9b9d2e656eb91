"""Structured treatment history, trial adequacy and TRD status (research Part B1, B3).

Public API: ``parse_history``, ``assess_history`` and the value types they return.
"""

from __future__ import annotations

from trdnav.core.history.model import (
    Course,
    DosePeriod,
    DrugTrial,
    EctLaterality,
    Episode,
    Outcome,
    PsychotherapyModality,
    Response,
    Role,
    Severity,
    TmsProtocol,
    Treatment,
    TreatmentHistory,
    TreatmentKind,
)
from trdnav.core.history.parse import parse_history

__all__ = [
    "Course",
    "DosePeriod",
    "DrugTrial",
    "EctLaterality",
    "Episode",
    "Outcome",
    "PsychotherapyModality",
    "Response",
    "Role",
    "Severity",
    "TmsProtocol",
    "Treatment",
    "TreatmentHistory",
    "TreatmentKind",
    "parse_history",
]
