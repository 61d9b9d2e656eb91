"""Transparent scoring and ordering; every factor and weight comes from ``ranking.toml``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from trdnav.core.knowledge.therapies import Fact, Therapy, TherapyKnowledge
from trdnav.core.knowledge.therapies.policy import Ranking
from trdnav.core.medications import Severity
from trdnav.core.recommend.assess import (
    CAUTIONARY,
    OptionJudgement,
    OptionStatus,
    failed_items,
    implication_reasons,
)
from trdnav.core.recommend.context import Context, holds
from trdnav.core.recommend.history_summary import HistorySummary
from trdnav.core.recommend.reasons import Reason, ReasonKind, cited
from trdnav.core.recommend.truth import Truth

# The section whose first sourced fact backs a trait when a preference uses it.
TRAIT_SECTION = {
    "rapid_acting": "time_to_effect",
    "uses_anaesthesia": "anaesthesia",
    "involves_surgery": "setting",
    "needs_escort": "recovery",
    "psychological": "mechanism",
}


@dataclass(frozen=True)
class ScoreItem:
    factor: str
    weight: float
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"factor": self.factor, "weight": self.weight, "rule": self.rule}


@dataclass(frozen=True)
class Scored:
    total: float
    items: tuple[ScoreItem, ...]
    reasons: tuple[Reason, ...]


def _first_fact(therapy: Therapy, trait: str) -> Fact | None:
    section = TRAIT_SECTION.get(trait)
    if section is None:
        return None
    entries = getattr(therapy.protocol, section, None) or getattr(therapy, section)
    return next((e for e in entries if isinstance(e, Fact)), None)


# A fired rule's reason has the kind of its effect; unknown rules (kind ``unknown``) score nothing.
_CAUTION_KINDS = frozenset(ReasonKind(e.value) for e in CAUTIONARY)


def _rule_items(judgement: OptionJudgement, ranking: Ranking) -> list[ScoreItem]:
    items = []
    for reason in judgement.reasons:
        if reason.kind is ReasonKind.FAVOUR:
            items.append(ScoreItem("favour", ranking.weights["favour"], reason.rule))
        elif reason.kind in _CAUTION_KINDS:
            items.append(ScoreItem("caution", ranking.weights["caution"], reason.rule))
    # An interaction the option would add (major or moderate) weighs as a caution.
    for finding in judgement.interactions:
        if finding.severity is not Severity.CONTRAINDICATED:
            rule = f"interaction.{finding.rule}"
            items.append(ScoreItem("caution", ranking.weights["caution"], rule))
    return items


def _preference_items(
    therapy: Therapy, ctx: Context, ranking: Ranking
) -> tuple[list[ScoreItem], list[Reason]]:
    items, reasons = [], []
    for pref in ranking.preferences:
        if pref.preference in ctx.preferences and getattr(therapy.traits, pref.trait) is True:
            rule = f"ranking.preference.{pref.preference}"
            items.append(ScoreItem(f"preference {pref.preference}", pref.weight, rule))
            fact = _first_fact(therapy, pref.trait)
            reasons.append(
                Reason(ReasonKind.PREFERENCE, rule, f"{therapy.name} {pref.reason}.", fact)
            )
    return items, reasons


def _time_items(
    therapy: Therapy, ctx: Context, ranking: Ranking
) -> tuple[list[ScoreItem], list[Reason]]:
    burden = therapy.traits.time_burden.value
    weight = ranking.limited_time[burden]
    if "limited_time" not in ctx.preferences or weight == 0:
        return [], []
    rule = f"ranking.limited_time.{burden}"
    fact = next((e for e in therapy.protocol.number_and_frequency if isinstance(e, Fact)), None)
    text = (
        f"Time needed ({burden.replace('_', ' ')}) weighs against it: the patient has limited time."
    )
    return [ScoreItem("preference limited_time", weight, rule)], [
        Reason(ReasonKind.PREFERENCE, rule, text, fact)
    ]


def _history_items(
    therapy: Therapy, ctx: Context, ranking: Ranking
) -> tuple[list[ScoreItem], list[Reason]]:
    items, reasons = [], []
    for factor in ranking.history_factors:
        applies = holds(factor.when, ctx) is Truth.TRUE
        if therapy.category.value in factor.categories and applies:
            items.append(ScoreItem("history", factor.weight, factor.id))
            reasons.append(cited(ReasonKind.HISTORY_FACTOR, factor.id, factor.fact, factor.reason))
    return items, reasons


def _family_items(
    judgement: OptionJudgement, history: HistorySummary, knowledge: TherapyKnowledge
) -> tuple[list[ScoreItem], list[Reason]]:
    therapy = judgement.therapy
    if judgement.status is OptionStatus.ALREADY_FAILED:
        return [], []
    siblings = [
        t for t in knowledge.therapies.values() if t.family == therapy.family and t.id != therapy.id
    ]
    failed = [f for t in siblings for f in failed_items(t, history)]
    if not failed:
        return [], []
    rule = f"ranking.same_family_failed.{therapy.family}"
    item = ScoreItem(
        "same family already failed", knowledge.ranking.weights["same_family_failed"], rule
    )
    said = Reason(
        ReasonKind.HISTORY_FACTOR,
        rule,
        f"A related treatment already failed in this episode: {failed[0].label}.",
    )
    return [item], [said, *implication_reasons(therapy, knowledge)]


def _base_items(
    judgement: OptionJudgement, ranking: Ranking
) -> tuple[list[ScoreItem], list[Reason]]:
    traits = judgement.therapy.traits
    tier = traits.evidence_tier.value
    rule = f"ranking.evidence_tier.{tier}"
    items = [ScoreItem(f"evidence tier {tier}", ranking.tier_weights[tier], rule)]
    reasons = [
        cited(
            ReasonKind.EVIDENCE,
            rule,
            traits.evidence_basis,
            f"Evidence ({tier.replace('_', ' ')}): {traits.evidence_basis.text}",
        )
    ]
    if traits.later_line is not None and not judgement.urgent:
        items.append(ScoreItem("later line", ranking.weights["later_line"], "ranking.later_line"))
        reasons.append(
            cited(
                ReasonKind.EVIDENCE,
                "ranking.later_line",
                traits.later_line,
                f"Usually a later step: {traits.later_line.text}",
            )
        )
    return items, reasons


def score_option(
    judgement: OptionJudgement, ctx: Context, history: HistorySummary, knowledge: TherapyKnowledge
) -> Scored:
    ranking = knowledge.ranking
    items, reasons = _base_items(judgement, ranking)
    items += _rule_items(judgement, ranking)
    for extra_items, extra_reasons in (
        _preference_items(judgement.therapy, ctx, ranking),
        _time_items(judgement.therapy, ctx, ranking),
        _history_items(judgement.therapy, ctx, ranking),
        _family_items(judgement, history, knowledge),
    ):
        items += extra_items
        reasons += extra_reasons
    return Scored(round(sum(i.weight for i in items), 3), tuple(items), tuple(reasons))


def order_key(
    judgement: OptionJudgement, scored: Scored, ranking: Ranking
) -> tuple[int, int, float, str]:
    """Status bucket, then urgent first, then score (high first), then id for stable ties.

    Urgency reorders only within a bucket (P-O15): it never lifts a caution above a suitable.
    """
    bucket = ranking.status_buckets[judgement.status.value]
    return (bucket, 0 if judgement.urgent else 1, -scored.total, judgement.therapy.id)


def assign_ranks(keys: Sequence[tuple[str, tuple[int, int, float, str] | None]]) -> dict[str, int]:
    """Ranks 1..n for the options with a key (contraindicated options have none)."""
    ordered = sorted((key, tid) for tid, key in keys if key is not None)
    return {tid: position for position, (_, tid) in enumerate(ordered, start=1)}
