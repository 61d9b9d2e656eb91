"""``recommend(patient, knowledge, *, as_of)``: each option with status, urgency, rank, reasons."""

from __future__ import annotations

from datetime import date

from trdnav.core.knowledge.therapies import TherapyKnowledge
from trdnav.core.recommend.assess import OptionJudgement, OptionStatus, judge_option
from trdnav.core.recommend.context import Context, build_context
from trdnav.core.recommend.history_adapter import summarise_history
from trdnav.core.recommend.history_summary import HistorySummary
from trdnav.core.recommend.patient import PatientProfile
from trdnav.core.recommend.ranking import Scored, assign_ranks, order_key, score_option
from trdnav.core.recommend.reasons import Reason
from trdnav.core.recommend.result import OptionResult, Recommendation

# Policies every recommendation applies (docs/clinical-policies.md, "Next-step options").
POLICIES = tuple(f"P-O{n}" for n in range(1, 13))
ADULT_AGE = 18


def _warnings(ctx: Context, history: HistorySummary) -> tuple[str, ...]:
    found = list(history.notes)
    if ctx.unrecognised_medications:
        names = ", ".join(ctx.unrecognised_medications)
        found.append(
            f"Medications not recognised, so their interactions were not checked: {names}."
        )
    if ctx.age is not None and ctx.age < ADULT_AGE:
        found.append("Under 18: the trials behind these options were almost all in adults (P-O12).")
    if history.trd_met is False:
        found.append(
            "TRD is not established under the common definition "
            "(≥2 adequate failures in this episode)."
        )
    return tuple(found)


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
    )


def _urgent_conditions(results: list[OptionResult]) -> tuple[Reason, ...]:
    seen: dict[str, Reason] = {}
    for option in results:
        for reason in option.reasons:
            if reason.kind.value == "urgent":
                seen.setdefault(reason.rule, reason)
    return tuple(seen.values())


def recommend(
    patient: PatientProfile, knowledge: TherapyKnowledge, *, as_of: date
) -> Recommendation:
    """Judge, score and order every therapy in the knowledge base for this patient."""
    history = summarise_history(patient.history, as_of=as_of)
    ctx = build_context(patient, knowledge.vocabulary, history)
    judged = [
        judge_option(t, ctx, history, knowledge, patient.offered)
        for t in knowledge.therapies.values()
    ]
    scored = {
        j.therapy.id: score_option(j, ctx, history, knowledge)
        for j in judged
        if j.status is not OptionStatus.CONTRAINDICATED
    }
    keys = [
        (
            j.therapy.id,
            order_key(j, scored[j.therapy.id], knowledge.ranking)
            if j.therapy.id in scored
            else None,
        )
        for j in judged
    ]
    ranks = assign_ranks(keys)
    results = [_result(j, scored.get(j.therapy.id), ranks.get(j.therapy.id)) for j in judged]
    results.sort(key=lambda o: (o.rank is None, o.rank or 0, o.id))
    return Recommendation(
        as_of=as_of,
        knowledge_version=knowledge.version,
        patient=patient,
        context=ctx,
        history=history,
        options=tuple(results),
        urgent_conditions=_urgent_conditions(results),
        warnings=_warnings(ctx, history),
        policies=POLICIES + history.policies,
    )
