"""Dutch Measure for quantification of TRD (DM-TRD, Peeters 2016): inputs only, no score.

Source: instrument_notes B2.5 [verified: S14 abstract]. Its dimensions are
known, but the point table is not verified, so the engine refuses to score [P-B7] until the
published table is entered in ``staging.toml`` and independently reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trdnav.core.errors import NotAvailable
from trdnav.core.staging.knowledge import load_staging_rules
from trdnav.core.vocabulary import Severity

POLICIES = ("P-B7",)
NOT_VERIFIED = "not available: scoring table not verified"


@dataclass(frozen=True)
class DmTrdInput:
    """The DM-TRD dimensions named in its abstract (MSM dimensions plus five more)."""

    episode_duration_months: float
    severity: Severity
    failed_antidepressants: int
    augmentation_count: int
    functional_impairment: bool
    comorbid_anxiety: bool
    personality_disorder: bool
    psychosocial_stressors: bool
    failed_psychotherapy: bool
    intensified_treatment: bool
    childhood_adversity: bool | None = None


@dataclass(frozen=True)
class DmTrdResult:
    total: int | None
    error: str | None
    explanation: str
    policies: tuple[str, ...] = POLICIES

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": "dm_trd",
            "total": self.total,
            "error": self.error,
            "explanation": self.explanation,
            "policies": list(self.policies),
        }


def score_dm_trd(given: DmTrdInput) -> DmTrdResult:
    """Raises ``NotAvailable`` while the point table is unverified (always, for now)."""
    if not load_staging_rules().dm_trd_verified:
        raise NotAvailable(NOT_VERIFIED)
    # A verified table would be read here; entering one is a reviewed knowledge-base change.
    raise NotAvailable("DM-TRD point table marked verified but not present in staging.toml")


def dm_trd_refusal() -> DmTrdResult:
    """The result shown in place of a DM-TRD score."""
    return DmTrdResult(
        total=None,
        error=NOT_VERIFIED,
        explanation=(
            "The DM-TRD adds functional impairment, comorbid anxiety, personality disorder, "
            "psychosocial stressors, augmentation, failed psychotherapy and intensified treatment "
            "to the Maudsley dimensions, but its published point table has not been entered and "
            "reviewed, so no score is given rather than a guess."
        ),
    )
