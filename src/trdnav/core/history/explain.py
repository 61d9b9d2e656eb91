"""Plain-language explanations of trial verdicts, in the words a clinician would use."""

from __future__ import annotations

from trdnav.core.history import dosing
from trdnav.core.history.adequacy import AdequacyRule, TrialFacts, TrialVerdict
from trdnav.core.history.model import Outcome

_OUTCOME_WORDS = {
    "response": "response",
    "partial_response": "partial response",
    "non_response": "non-response",
    "remission": "remission",
    "intolerance": "stopped for intolerance",
    "response_then_loss": "response followed by loss of effect (recorded as a response)",
    "unknown": "not recorded",
}


def explain_trial(facts: TrialFacts, verdict: TrialVerdict, current: bool) -> str:
    parts = [f"{facts.drug.replace('_', ' ')}: {_dose_sentence(verdict)}"]
    parts += [_reason_sentence(r, facts, verdict) for r in verdict.reasons]
    parts.append(f"outcome: {_OUTCOME_WORDS.get(verdict.outcome, verdict.outcome)}")
    parts.append(_conclusion(verdict, current))
    return "; ".join(parts) + f" [{verdict.profile} profile]."


def _dose_sentence(verdict: TrialVerdict) -> str:
    weeks = f"{verdict.weeks_at_or_above_min_dose:g} weeks"
    if verdict.min_dose is None:
        return f"{weeks} on treatment (no minimum dose on file, dose not assessed)"
    cell = verdict.min_dose
    return (
        f"{weeks} at or above the minimum of {cell.mg_per_day:g} mg/day "
        f"({cell.basis.replace('_', ' ')}), {verdict.min_weeks} weeks needed"
    )


def _reason_sentence(rule: AdequacyRule, facts: TrialFacts, verdict: TrialVerdict) -> str:
    if rule is AdequacyRule.DOSE_BELOW_MINIMUM:
        return f"dose too low (highest {dosing.highest_dose(facts.segments):g} mg/day)"
    if rule is AdequacyRule.DURATION_TOO_SHORT:
        return "too short to judge"
    return f"adherence {facts.adherence_pct:g}% is below the {verdict.adherence_min_pct:g}% needed"


def _conclusion(verdict: TrialVerdict, current: bool) -> str:
    if not verdict.adequate:
        return "not an adequate trial, so it does not count as a failure"
    if verdict.outcome != Outcome.NON_RESPONSE:
        return "adequate, but not a non-response, so not a failure"
    if not current:
        return "an adequate failed trial, but in an earlier episode, so it does not count now"
    return "an adequate trial without response: counts as a failed trial"
