"""Top-level warnings of a recommendation, as objects: kind, text, severity and citation.

Dangerous combinations already in the medication list come first, most severe first (severity
``contraindicated``, ``major`` or ``moderate``, as the interaction rule says), then medications
not recognised, the age warning, history notes and the TRD note.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from trdnav.core.history.trd import load_definitions as load_trd_definitions
from trdnav.core.knowledge.therapies import Fact, TherapyKnowledge
from trdnav.core.medications import InteractionFinding
from trdnav.core.recommend.context import Context
from trdnav.core.recommend.history_summary import HistorySummary

MINOR_AGE_GROUPS = ("child", "adolescent")
# The age group whose lower bound is adult age (recommend/age_groups.toml), and the TRD
# definition the "not established" notice names (trd_definitions.toml).
ADULT_AGE_GROUP = "adult"
COMMON_TRD_DEFINITION = "common"


class WarningKind(StrEnum):
    INTERACTION = "interaction"
    UNRECOGNISED_MEDICATION = "unrecognised_medication"
    AGE = "age"
    HISTORY = "history"
    TRD = "trd"


@dataclass(frozen=True)
class EngineWarning:
    kind: WarningKind
    text: str
    severity: str = "warning"
    fact: Fact | None = None
    drugs: tuple[str, ...] = ()
    """Drug ids of an interaction (or the names not recognised); empty for other kinds."""
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        cited: dict[str, Any] = (
            self.fact.cite() if self.fact else {"source": None, "citation": None, "status": None}
        )
        return {
            "kind": self.kind.value,
            "text": self.text,
            "severity": self.severity,
            "drugs": list(self.drugs),
            "rule": self.rule,
            **cited,
        }


def _interaction(finding: InteractionFinding) -> EngineWarning:
    return EngineWarning(
        WarningKind.INTERACTION,
        finding.text,
        finding.severity.value,
        finding.fact,
        finding.drugs,
        f"interaction.{finding.rule}",
    )


def _medications(ctx: Context) -> list[EngineWarning]:
    """One warning per dangerous pair already in the list (most severe first), then one for
    the names not recognised."""
    review = ctx.review
    if review is None:
        return []
    found = [_interaction(f) for f in review.warnings]
    if review.unrecognised:
        names = ", ".join(review.unrecognised)
        text = f"Medications not recognised, so their interactions were not checked: {names}."
        found.append(
            EngineWarning(
                WarningKind.UNRECOGNISED_MEDICATION,
                text,
                drugs=review.unrecognised,
                rule="medications.unrecognised",
            )
        )
    return found


def _age(ctx: Context, knowledge: TherapyKnowledge) -> list[EngineWarning]:
    if ctx.age_group not in MINOR_AGE_GROUPS:
        return []
    group = next(g for g in knowledge.age_groups if g.code == ctx.age_group)
    adult = next(g for g in knowledge.age_groups if g.code == ADULT_AGE_GROUP)
    text = (
        f"Under {adult.at_least}: the trials behind these options were almost all in adults "
        "(P-O12)."
    )
    return [EngineWarning(WarningKind.AGE, text, "warning", group.fact)]


def warnings_for(
    ctx: Context, history: HistorySummary, knowledge: TherapyKnowledge
) -> tuple[EngineWarning, ...]:
    found = _medications(ctx)
    found += [EngineWarning(WarningKind.HISTORY, note, "info") for note in history.notes]
    found += _age(ctx, knowledge)
    if history.trd_met is False:
        common = next(d for d in load_trd_definitions() if d.code == COMMON_TRD_DEFINITION)
        text = (
            "TRD is not established under the common definition "
            f"(≥{common.min_failed} adequate failures in this episode)."
        )
        found.append(EngineWarning(WarningKind.TRD, text, "info"))
    return tuple(found)
