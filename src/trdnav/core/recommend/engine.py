"""``recommend(patient, knowledge, *, as_of)``: each option with status, urgency, rank, reasons."""

from __future__ import annotations

from datetime import date
from operator import attrgetter

from trdnav.core.knowledge.therapies import TherapyKnowledge
from trdnav.core.recommend.assess import OptionJudgement, OptionStatus, judge_option
from trdnav.core.recommend.history_adapter import summarise_history
from trdnav.core.recommend.notices import warnings_for
from trdnav.core.recommend.patient import PatientProfile
from trdnav.core.recommend.patient_context import build_context
from trdnav.core.recommend.ranking import Scored, assign_ranks, order_key, score_option
from trdnav.core.recommend.reasons import Reason
from trdnav.core.recommend.result import OptionResult, Recommendation, ToCheck

# Policies every recommendation applies: one entry per "### P-O<n>" heading of
# docs/clinical-policies.md ("Next-step options"), in its order. A new policy gets its heading
# there and its entry here; tests/core/recommend/test_policy_register.py keeps the two equal.
POLICIES = (
    "P-O1",  # Contraindications recalled from memory
    "P-O2",  # Status precedence
    "P-O3",  # Evidence tiers
    "P-O4",  # Preferences move the ranking, they do not exclude
    "P-O5",  # Order and rank
    "P-O6",  # What the treatment history changes
    "P-O7",  # Interactions the evidence file does not cover
    "P-O8",  # Medications and derived facts
    "P-O9",  # Urgency
    "P-O10",  # Trial exclusions
    "P-O11",  # Scope of the option list
    "P-O12",  # Missing information
    "P-O13",  # Unknown facts cap an option at caution
    "P-O14",  # Undated events count as recent
    "P-O15",  # Urgency within the status bucket
    "P-O16",  # Indication gates (an option only for one condition)
)


def _result(judgement: OptionJudgement, scored: Scored | None, rank: int | None) -> OptionResult:
    reasons = judgement.reasons + (scored.reasons if scored else ())
    return OptionResult(
        therapy=judgement.therapy,
        status=judgement.status,
        urgent=judgement.urgent,
        rank=rank,
        score=scored.total if scored else None,
        score_breakdown=scored.items if scored else (),
        reasons=reasons,
        unknowns=judgement.unknowns,
        interactions=judgement.interactions,
    )


def _urgent_conditions(results: list[OptionResult]) -> tuple[Reason, ...]:
    seen: dict[str, Reason] = {}
    for option in results:
        for reason in option.reasons:
            if reason.kind.value == "urgent":
                seen.setdefault(reason.rule, reason)
    return tuple(seen.values())


def to_check(results: list[OptionResult]) -> tuple[ToCheck, ...]:
    """Every unknown that keeps an option from ``suitable``: which options, which rules."""
    options: dict[str, list[str]] = {}
    rules: dict[str, list[str]] = {}
    for option in results:
        for unknown in option.unknowns:
            if option.id not in options.setdefault(unknown.fact, []):
                options[unknown.fact].append(option.id)
            if unknown.rule not in rules.setdefault(unknown.fact, []):
                rules[unknown.fact].append(unknown.rule)
    return tuple(ToCheck(f, tuple(options[f]), tuple(rules[f])) for f in sorted(options))


def _ranks(
    judged: list[OptionJudgement], scored: dict[str, Scored], knowledge: TherapyKnowledge
) -> dict[str, int]:
    keys = [
        (
            j.therapy.id,
            order_key(j, scored[j.therapy.id], knowledge.ranking)
            if j.therapy.id in scored
            else None,
        )
        for j in judged
    ]
    return assign_ranks(keys)


def recommend(
    patient: PatientProfile, knowledge: TherapyKnowledge, *, as_of: date
) -> Recommendation:
    """Judge, score and order every therapy in the knowledge base for this patient."""
    history = summarise_history(patient.history, as_of=as_of)
    ctx = build_context(patient, knowledge, history, as_of)
    judged = [
        judge_option(t, ctx, history, knowledge, patient.offered)
        for t in knowledge.therapies.values()
    ]
    scored = {
        j.therapy.id: score_option(j, ctx, history, knowledge)
        for j in judged
        if j.status is not OptionStatus.CONTRAINDICATED
    }
    ranks = _ranks(judged, scored, knowledge)
    results = [_result(j, scored.get(j.therapy.id), ranks.get(j.therapy.id)) for j in judged]
    # Ranked options by rank, then the unranked (contraindicated) ones by id.
    listed = sorted((o for o in results if o.rank is not None), key=attrgetter("rank"))
    listed += sorted((o for o in results if o.rank is None), key=attrgetter("id"))
    return Recommendation(
        as_of=as_of,
        knowledge_version=knowledge.version,
        patient=patient,
        context=ctx,
        history=history,
        options=tuple(listed),
        urgent_conditions=_urgent_conditions(results),
        warnings=warnings_for(ctx, history, knowledge),
        policies=POLICIES + history.policies,
        to_check=to_check(results),
    )
