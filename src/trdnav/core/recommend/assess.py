"""Per-option judgement: which rules fire, whether it already failed, its status and urgency.

Status precedence (policy P-O2): contraindicated > already_failed > not_offered > caution >
suitable. An absolute contraindication always wins, so a contraindicated option is never
suitable, urgent or ranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from trdnav.core.knowledge.therapies import HistoryMatch, RuleEffect, Therapy, TherapyKnowledge
from trdnav.core.recommend.context import Context, holds
from trdnav.core.recommend.history_summary import FailedItem, HistorySummary
from trdnav.core.recommend.reasons import Reason, ReasonKind, cited


class OptionStatus(StrEnum):
    SUITABLE = "suitable"
    CAUTION = "caution"
    CONTRAINDICATED = "contraindicated"
    ALREADY_FAILED = "already_failed"
    NOT_OFFERED = "not_offered"


CAUTIONARY = (RuleEffect.RELATIVE_CONTRAINDICATION, RuleEffect.CAUTION)


@dataclass(frozen=True)
class OptionJudgement:
    therapy: Therapy
    status: OptionStatus
    urgent: bool
    reasons: tuple[Reason, ...]
    effects: tuple[RuleEffect, ...]


def _matches(match: HistoryMatch, item: FailedItem) -> bool:
    return match.kind == item.kind and all(item.fields.get(k) == v.lower() for k, v in match.fields)


def failed_items(therapy: Therapy, history: HistorySummary) -> tuple[FailedItem, ...]:
    return tuple(i for i in history.failed if any(_matches(m, i) for m in therapy.history_match))


def implication_reasons(therapy: Therapy, knowledge: TherapyKnowledge) -> list[Reason]:
    return [
        cited(ReasonKind.IMPLICATION, f"implication.{therapy.family}", i.fact)
        for i in knowledge.implications
        if i.family == therapy.family
    ]


def _failure_reasons(
    therapy: Therapy, failed: Sequence[FailedItem], knowledge: TherapyKnowledge
) -> list[Reason]:
    if not failed:
        return []
    said = [
        Reason(
            ReasonKind.ALREADY_FAILED,
            "history.already_failed",
            f"Already tried in this episode without adequate response: {f.label}.",
        )
        for f in failed
    ]
    return said + implication_reasons(therapy, knowledge)


def _rule_reasons(therapy: Therapy, ctx: Context) -> list[tuple[RuleEffect, Reason]]:
    return [
        (rule.effect, cited(ReasonKind(rule.effect.value), rule.id, rule.fact, rule.reason))
        for rule in therapy.rules
        if holds(rule.when, ctx)
    ]


def _urgent_reasons(therapy: Therapy, ctx: Context, knowledge: TherapyKnowledge) -> list[Reason]:
    return [
        cited(ReasonKind.URGENT, rule.id, rule.fact, rule.reason)
        for rule in knowledge.urgency
        if therapy.id in rule.therapies and holds(rule.when, ctx)
    ]


def _status(effects: Sequence[RuleEffect], failed: bool, offered: bool) -> OptionStatus:
    if RuleEffect.ABSOLUTE_CONTRAINDICATION in effects:
        return OptionStatus.CONTRAINDICATED
    if failed:
        return OptionStatus.ALREADY_FAILED
    if not offered:
        return OptionStatus.NOT_OFFERED
    if any(e in CAUTIONARY for e in effects):
        return OptionStatus.CAUTION
    return OptionStatus.SUITABLE


def judge_option(
    therapy: Therapy,
    ctx: Context,
    history: HistorySummary,
    knowledge: TherapyKnowledge,
    offered: frozenset[str] | None,
) -> OptionJudgement:
    fired = _rule_reasons(therapy, ctx)
    effects = tuple(effect for effect, _ in fired)
    failed = failed_items(therapy, history)
    is_offered = offered is None or therapy.id in offered
    status = _status(effects, bool(failed), is_offered)
    urgent = (
        [] if status is OptionStatus.CONTRAINDICATED else _urgent_reasons(therapy, ctx, knowledge)
    )
    reasons = urgent + [r for _, r in fired] + _failure_reasons(therapy, failed, knowledge)
    if not is_offered:
        reasons.append(
            Reason(
                ReasonKind.NOT_OFFERED,
                "clinic.offered",
                "Not offered by this clinic: referral elsewhere would be needed.",
            )
        )
    return OptionJudgement(therapy, status, bool(urgent), tuple(reasons), effects)
