"""The result of assessing a treatment history: ``HistoryAssessment`` and its parts.

``HistoryAssessment.to_dict()`` is exactly what ``trdnav stage`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.core.history.adequacy import TrialVerdict
from trdnav.core.history.counting import FailedTreatments, canonical_drug, drug_class_of
from trdnav.core.history.courses import CourseVerdict
from trdnav.core.history.model import DrugTrial, Episode, TreatmentKind
from trdnav.core.history.stage_history import Staging
from trdnav.core.history.trd import TrdStatus


@dataclass(frozen=True)
class TrialAssessment:
    """One drug trial judged under the chosen profile, with disagreeing profiles beside it."""

    trial: DrugTrial
    current_episode: bool
    verdict: TrialVerdict
    other_profiles: tuple[TrialVerdict, ...]
    explanation: str

    @property
    def counts_as_failed(self) -> bool:
        return self.current_episode and self.verdict.failed

    def to_dict(self) -> dict[str, Any]:
        t = self.trial
        identity: dict[str, Any] = (
            {"agent": t.drug, "augments": t.partner}
            if t.kind is TreatmentKind.AUGMENTATION
            else {
                "drug": canonical_drug(t.drug),
                "class": drug_class_of(t),
                "role": str(t.role),
                "with": t.partner,
            }
        )
        return {
            "id": t.id,
            "kind": str(t.kind),
            **identity,
            "episode": t.episode,
            "current_episode": self.current_episode,
            **self.verdict.to_dict(),
            "counts_as_failed": self.counts_as_failed,
            "explanation": self.explanation,
            "profiles_disagree": bool(self.other_profiles),
            "other_profiles": [v.to_dict() for v in self.other_profiles],
        }


@dataclass(frozen=True)
class ProfileSummary:
    """How another profile would count the same history (P-B11: both are always computed)."""

    profile: str
    failed_antidepressants: int
    trd_met: dict[str, bool]

    def to_dict(self) -> dict[str, Any]:
        return {"failed_antidepressants": self.failed_antidepressants, "trd_met": self.trd_met}


@dataclass(frozen=True)
class HistoryAssessment:
    as_of: date
    profile: str
    current_episode: Episode
    trials: tuple[TrialAssessment, ...]
    courses: tuple[CourseVerdict, ...]
    failed_treatments: FailedTreatments
    trd: tuple[TrdStatus, ...]
    staging: Staging
    profile_comparison: tuple[ProfileSummary, ...]
    policies: tuple[str, ...]
    knowledge_version: str

    def trd_status(self, code: str) -> TrdStatus:
        return next(s for s in self.trd if s.definition.code == code)

    @property
    def is_trd(self) -> bool:
        """TRD under the common two-failed-trials definition."""
        return self.trd_status("common").met

    def to_dict(self) -> dict[str, Any]:
        current = [t for t in self.trials if t.current_episode]
        return {
            "as_of": self.as_of.isoformat(),
            "profile": self.profile,
            "knowledge_version": self.knowledge_version,
            "current_episode": _episode_dict(self.current_episode, self.as_of),
            "trials": [t.to_dict() for t in self.trials],
            "courses": [c.to_dict() for c in self.courses],
            "failed_adequate_trials": {
                "count": sum(t.counts_as_failed for t in current),
                "of": len(current),
            },
            "failed_treatments": self.failed_treatments.to_dict(),
            "trd": {s.definition.code: s.to_dict() for s in self.trd},
            "staging": self.staging.to_dict(),
            "profile_comparison": {p.profile: p.to_dict() for p in self.profile_comparison},
            "policies": list(self.policies),
        }


def _episode_dict(episode: Episode, as_of: date) -> dict[str, Any]:
    stop = min(episode.end or as_of, as_of)
    return {
        "id": episode.id,
        "start": episode.start.isoformat(),
        "end": None if episode.end is None else episode.end.isoformat(),
        "duration_days": (stop - episode.start).days,
        "severity": None if episode.severity is None else str(episode.severity),
        "cgi_s": episode.cgi_s,
        "psychotic_features": episode.psychotic_features,
    }
