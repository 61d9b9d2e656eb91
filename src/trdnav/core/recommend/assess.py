"""Per-option judgement: which rules fire, whether it already failed, its status and urgency.

Status precedence (policy P-O2): contraindicated > already_failed > not_offered > caution >
suitable. An absolute contraindication always wins, so a contraindicated option is never
suitable, urgent or ranked. A safety rule whose condition is unknown caps the option at
caution (P-O13); an unknown condition never fires favour, note or urgency.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from trdnav.core.knowledge.therapies import HistoryMatch, RuleEffect, Therapy, TherapyKnowledge
from trdnav.core.knowledge.therapies.schema import SAFETY_EFFECTS, Rule
from trdnav.core.medications import InteractionFinding
from trdnav.core.recommend.context import Context, verdict
from trdnav.core.recommend.history_summary import FailedItem, HistorySummary
from trdnav.core.recommend.interactions import check_medications
from trdnav.core.recommend.reasons import Reason, ReasonKind, cited
from trdnav.core.recommend.truth import Truth


class OptionStatus(StrEnum):
    SUITABLE = "suitable"
    CAUTION = "caution"
    CONTRAINDICATED = "contraindicated"
    ALREADY_FAILED = "already_failed"
    NOT_OFFERED = "not_offered"


# Effects that make an option at most ``caution`` when their condition holds.
CAUTIONARY = (
    RuleEffect.RELATIVE_CONTRAINDICATION,
    RuleEffect.NOT_APPROVED,
    RuleEffect.AVOID,
    RuleEffect.CAUTION,
)


@dataclass(frozen=True)
class Unknown:
    """A safety rule that could not be decided because ``fact`` is unknown."""

    fact: str
    rule: str


@dataclass(frozen=True)
class OptionJudgement:
    therapy: Therapy
    status: OptionStatus
    urgent: bool
    reasons: tuple[Reason, ...]
    unknowns: tuple[Unknown, ...] = ()
    interactions: tuple[InteractionFinding, ...] = ()
    """What the option would add to the medication list (already counted in ``status``)."""


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
        # A rule's fact text is its reason (parse_therapy.rule), so the reason is the cited text.
        (rule.effect, cited(ReasonKind(rule.effect.value), rule.id, rule.fact))
        for rule in therapy.rules
        if verdict(rule.when, ctx).truth is Truth.TRUE
    ]


def _unknown_rules(therapy: Therapy, ctx: Context) -> list[tuple[Rule, tuple[str, ...]]]:
    found = []
    for rule in therapy.rules:
        decided = verdict(rule.when, ctx)
        if decided.truth is Truth.UNKNOWN and rule.effect in SAFETY_EFFECTS:
            found.append((rule, decided.unknown))
    return found


def _unknown_reason(rule: Rule, what: tuple[str, ...]) -> Reason:
    text = f"Not yet checked: {', '.join(what)} — {rule.reason}"
    return cited(ReasonKind.UNKNOWN, rule.id, rule.fact, text)


def _urgent_reasons(therapy: Therapy, ctx: Context, knowledge: TherapyKnowledge) -> list[Reason]:
    return [
        cited(ReasonKind.URGENT, rule.id, rule.fact)
        for rule in knowledge.urgency
        if therapy.id in rule.therapies and verdict(rule.when, ctx).truth is Truth.TRUE
    ]


def status_of(
    effects: Sequence[RuleEffect], failed: bool, offered: bool, unknown: bool
) -> OptionStatus:
    if RuleEffect.ABSOLUTE_CONTRAINDICATION in effects:
        return OptionStatus.CONTRAINDICATED
    if failed:
        return OptionStatus.ALREADY_FAILED
    if not offered:
        return OptionStatus.NOT_OFFERED
    if unknown or any(e in CAUTIONARY for e in effects):
        return OptionStatus.CAUTION
    return OptionStatus.SUITABLE


def _not_offered() -> Reason:
    return Reason(
        ReasonKind.NOT_OFFERED,
        "clinic.offered",
        "Not offered by this clinic: referral elsewhere would be needed.",
    )


def judge_option(
    therapy: Therapy,
    ctx: Context,
    history: HistorySummary,
    knowledge: TherapyKnowledge,
    offered: frozenset[str] | None,
) -> OptionJudgement:
    fired = _rule_reasons(therapy, ctx)
    undecided = _unknown_rules(therapy, ctx)
    effects = tuple(effect for effect, _ in fired)
    medications = check_medications(therapy, ctx)
    failed = failed_items(therapy, history)
    is_offered = offered is None or therapy.id in offered
    unknown = bool(undecided) or bool(medications.unknowns)
    status = status_of(effects + medications.effects, bool(failed), is_offered, unknown)
    urgent = (
        [] if status is OptionStatus.CONTRAINDICATED else _urgent_reasons(therapy, ctx, knowledge)
    )
    reasons = urgent + [r for _, r in fired] + [_unknown_reason(r, w) for r, w in undecided]
    reasons += medications.reasons
    reasons += _failure_reasons(therapy, failed, knowledge)
    if not is_offered:
        reasons.append(_not_offered())
    unknowns = tuple(Unknown(fact, rule.id) for rule, what in undecided for fact in what)
    unknowns += tuple(Unknown(fact, rule) for fact, rule in medications.unknowns)
    return OptionJudgement(
        therapy, status, bool(urgent), tuple(reasons), unknowns, medications.findings
    )
