"""Classifying a treatment's outcome under a profile (research B1.3 step 5-6; S15).

Response ≥50% improvement; partial response from the non-response threshold up to 50%;
non-response below 25% or at-or-below 25% depending on the profile [P-B10]. A recorded
response followed by loss of effect stays a response, never a failure [verified: S15]. When an
improvement figure is given it decides the band; a recorded outcome is used only without one,
and intolerance without a figure is not a failure [P-B16].
"""

from __future__ import annotations

from trdnav.core.history.knowledge import AdequacyProfile, NonResponseRule
from trdnav.core.history.model import Outcome, Response

UNKNOWN = "unknown"
# Recorded outcomes that a measured improvement must not overwrite.
_KEPT = (Outcome.RESPONSE_THEN_LOSS, Outcome.REMISSION)


def judged_outcome(response: Response, profile: AdequacyProfile) -> str:
    """One of the ``Outcome`` values, or ``unknown`` when nothing was recorded."""
    if response.outcome in _KEPT:
        return str(response.outcome)
    if response.improvement_pct is not None:
        return str(band(response.improvement_pct, profile))
    if response.outcome is not None:
        return str(response.outcome)
    return UNKNOWN


def band(pct: float, profile: AdequacyProfile) -> Outcome:
    if pct >= profile.response_pct:
        return Outcome.RESPONSE
    threshold = profile.non_response_threshold_pct
    inclusive = profile.non_response is NonResponseRule.AT_OR_BELOW_THRESHOLD
    if pct < threshold or (inclusive and pct == threshold):
        return Outcome.NON_RESPONSE
    return Outcome.PARTIAL_RESPONSE
