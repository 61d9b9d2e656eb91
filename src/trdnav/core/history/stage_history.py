"""Staging a history's current episode with every model (research B2).

Builds each model's input from the failures found under the chosen profile: one failed
antidepressant per distinct drug [P-B18]; augmentation and combination both count as
augmentation [P-B19]; only bilateral ECT can reach Thase–Rush stage V [P-B20]; the European
resistance time is the calendar time covered by the counted failed trials [P-B22]; the
Maudsley severity comes from the episode or its CGI-S through the configurable table, and
psychosis from the clinician's flag [P-B12].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.core.history import dosing
from trdnav.core.history.counting import FailedTreatments, current_trials
from trdnav.core.history.courses import CourseVerdict
from trdnav.core.history.model import Episode, Role, Severity, TreatmentHistory, TreatmentKind
from trdnav.core.staging.dm_trd import DmTrdResult, dm_trd_refusal
from trdnav.core.staging.european import EuropeanInput, EuropeanResult, stage_european
from trdnav.core.staging.knowledge import load_staging_rules
from trdnav.core.staging.maudsley import (
    MaudsleyInput,
    MaudsleyResult,
    maudsley_not_available,
    stage_maudsley,
)
from trdnav.core.staging.mgh_s import MghsInput, MghsResult, MghsTrial, score_mgh_s
from trdnav.core.staging.thase_rush import ThaseRushInput, ThaseRushResult, stage_thase_rush


@dataclass(frozen=True)
class Staging:
    thase_rush: ThaseRushResult
    european: EuropeanResult
    mgh_s: MghsResult
    maudsley: MaudsleyResult
    dm_trd: DmTrdResult

    def to_dict(self) -> dict[str, Any]:
        return {
            "thase_rush": self.thase_rush.to_dict(),
            "european": self.european.to_dict(),
            "mgh_s": self.mgh_s.to_dict(),
            "maudsley": self.maudsley.to_dict(),
            "dm_trd": self.dm_trd.to_dict(),
        }

    def policies(self) -> tuple[str, ...]:
        results = (self.thase_rush, self.european, self.mgh_s, self.maudsley, self.dm_trd)
        return tuple(p for r in results for p in r.policies)


def stage_history(
    history: TreatmentHistory,
    failed: FailedTreatments,
    courses: Sequence[CourseVerdict],
    as_of: date,
) -> Staging:
    current = [c for c in courses if c.current_episode]
    failed_ect = [c for c in current if c.failed and c.course.kind is TreatmentKind.ECT]
    classes = tuple(a.drug_class for a in failed.antidepressants)
    augmented = _augmentation_used(history)
    bilateral = any(c.course.laterality and c.course.laterality.is_bilateral for c in failed_ect)
    return Staging(
        thase_rush=stage_thase_rush(ThaseRushInput(classes, bilateral)),
        european=stage_european(
            EuropeanInput(classes, _resistant_weeks(history, failed, as_of), augmented)
        ),
        mgh_s=score_mgh_s(MghsInput(_mghs_trials(failed), bool(failed_ect))),
        maudsley=_maudsley(history, failed, augmented, as_of, current),
        dm_trd=dm_trd_refusal(),
    )


def _augmentation_used(history: TreatmentHistory) -> bool:
    return any(
        t.kind is TreatmentKind.AUGMENTATION or t.role is Role.COMBINATION
        for t in current_trials(history)
    )


def _resistant_weeks(
    history: TreatmentHistory, failed: FailedTreatments, as_of: date
) -> float | None:
    """Calendar time covered by the counted failed trials (overlaps counted once) [P-B22]."""
    counted = {i for a in failed.antidepressants for i in a.trial_ids}
    spans = sorted(
        (t.start, dosing.end_of(t.start, t.end, as_of))
        for t in current_trials(history)
        if t.id in counted
    )
    if not spans:
        return None
    days, reach = 0, spans[0][0]
    for start, stop in spans:
        days += max((stop - max(start, reach)).days, 0)
        reach = max(reach, stop)
    return round(days / dosing.DAYS_PER_WEEK, 1)


def _mghs_trials(failed: FailedTreatments) -> tuple[MghsTrial, ...]:
    return tuple(
        MghsTrial(True, False, a.dose_optimised, a.duration_optimised, a.augmented_or_combined)
        for a in failed.antidepressants
    )


def _maudsley(
    history: TreatmentHistory,
    failed: FailedTreatments,
    augmented: bool,
    as_of: date,
    courses: Sequence[CourseVerdict],
) -> MaudsleyResult:
    episode = history.current_episode
    severity, problem = msm_severity(episode)
    days = (dosing.end_of(episode.start, episode.end, as_of) - episode.start).days
    if severity is None:
        return maudsley_not_available(problem)
    ect = any(c.course.kind is TreatmentKind.ECT for c in courses)
    given = MaudsleyInput(severity, len(failed.antidepressants), augmented, ect, duration_days=days)
    return stage_maudsley(given)


def msm_severity(episode: Episode) -> tuple[Severity | None, str]:
    """The episode's MSM severity category, or None with the reason it is unknown."""
    if episode.severity is not None:
        return _with_psychosis(str(episode.severity), episode.psychotic_features), ""
    if episode.cgi_s is None:
        return None, "not available: the current episode's severity is not recorded"
    category = load_staging_rules().maudsley.cgi_s_to_severity.get(episode.cgi_s)
    if category is None:
        return None, f"not available: CGI-S {episode.cgi_s} has no MSM severity category"
    return _with_psychosis(category, episode.psychotic_features), ""


def _with_psychosis(category: str, psychotic: bool) -> Severity:
    # P-B12: psychosis comes from the clinician's flag; the MSM places it only in "severe".
    if psychotic:
        return Severity.SEVERE_WITH_PSYCHOSIS
    if category == "severe":
        return Severity.SEVERE_WITHOUT_PSYCHOSIS
    return Severity(category)
