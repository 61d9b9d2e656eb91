"""Structured treatment history, trial adequacy and TRD status (research Part B1, B3).

Public API: ``parse_history``, ``assess_history`` and the value types they return.
"""

from __future__ import annotations

from trdnav.core.history.adequacy import AdequacyRule, Note, TrialFacts, TrialVerdict, judge_trial
from trdnav.core.history.assess import assess_history
from trdnav.core.history.assessment import HistoryAssessment, ProfileSummary, TrialAssessment
from trdnav.core.history.counting import (
    FailedAntidepressant,
    FailedAugmentation,
    FailedCourse,
    FailedTreatments,
)
from trdnav.core.history.courses import CourseVerdict
from trdnav.core.history.knowledge import AdequacyProfile, load_profiles
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
from trdnav.core.history.single_trial import SingleTrialReport, judge_single_trial
from trdnav.core.history.stage_history import Staging
from trdnav.core.history.trd import Counted, NotCounted, TrdDefinition, TrdStatus

__all__ = [
    "AdequacyProfile",
    "AdequacyRule",
    "Counted",
    "Course",
    "CourseVerdict",
    "DosePeriod",
    "DrugTrial",
    "EctLaterality",
    "Episode",
    "FailedAntidepressant",
    "FailedAugmentation",
    "FailedCourse",
    "FailedTreatments",
    "HistoryAssessment",
    "NotCounted",
    "Note",
    "Outcome",
    "ProfileSummary",
    "PsychotherapyModality",
    "Response",
    "Role",
    "Severity",
    "SingleTrialReport",
    "Staging",
    "TmsProtocol",
    "TrdDefinition",
    "TrdStatus",
    "Treatment",
    "TreatmentHistory",
    "TreatmentKind",
    "TrialAssessment",
    "TrialFacts",
    "TrialVerdict",
    "assess_history",
    "judge_single_trial",
    "judge_trial",
    "load_profiles",
    "parse_history",
]
