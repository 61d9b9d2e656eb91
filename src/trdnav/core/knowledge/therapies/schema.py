"""Typed form of a therapy file (``data/therapies/<id>.toml``).

Every statement is a :class:`Fact` that names a source key from ``_sources.toml`` and carries
the evidence file's own marker (``verified: …`` / ``from memory``). Where the evidence file is
silent a :class:`Gap` says so, so that no section is ever quietly empty or filled by guesswork.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from trdnav.core.knowledge.loader import Provenance, Status


class Category(StrEnum):
    """Therapy families as grouped in evidence_notes §1–§8."""

    RAPID_ACTING = "rapid_acting"
    NEUROMODULATION = "neuromodulation"
    ECT = "ect"
    PSYCHOTHERAPY = "psychotherapy"
    MEDICATION_AUGMENTATION = "medication_augmentation"
    MEDICATION_COMBINATION = "medication_combination"
    MEDICATION_SWITCH = "medication_switch"
    LIFESTYLE = "lifestyle"
    SPECIALIST_NEUROMODULATION = "specialist_neuromodulation"
    INVESTIGATIONAL = "investigational"


class EvidenceTier(StrEnum):
    """How directly the evidence file supports use in TRD (weights live in ranking.toml)."""

    TRD_RCT_STRONG = "trd_rct_strong"
    TRD_RCT_SOME = "trd_rct_some"
    TRD_LIMITED = "trd_limited"
    MDD_ONLY = "mdd_only"
    INVESTIGATIONAL = "investigational"


class Onset(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


class TimeBurden(StrEnum):
    """Clinic time a course asks of the patient (penalties for ``limited_time`` in ranking.toml)."""

    MINIMAL = "minimal"
    WEEKLY = "weekly"
    SEVERAL_WEEKLY = "several_weekly"
    DAILY_FOR_WEEKS = "daily_for_weeks"
    INTENSIVE_DAYS = "intensive_days"
    ONE_DAY = "one_day"
    SURGERY = "surgery"


class RuleEffect(StrEnum):
    """What a rule does to an option (docs/clinical-content.md, "From the source's words to a
    status"): absolute → contraindicated; relative, not approved, avoid, caution → caution."""

    ABSOLUTE_CONTRAINDICATION = "absolute_contraindication"
    RELATIVE_CONTRAINDICATION = "relative_contraindication"
    NOT_APPROVED = "not_approved"
    AVOID = "avoid"
    CAUTION = "caution"
    FAVOUR = "favour"
    NOTE = "note"


# Effects that guard safety: when their condition is unknown the option is capped at caution.
SAFETY_EFFECTS = frozenset(
    {
        RuleEffect.ABSOLUTE_CONTRAINDICATION,
        RuleEffect.RELATIVE_CONTRAINDICATION,
        RuleEffect.NOT_APPROVED,
        RuleEffect.AVOID,
        RuleEffect.CAUTION,
    }
)


@dataclass(frozen=True)
class Fact:
    text: str
    source: str
    citation: str
    status: Status
    marker: str

    def cite(self) -> dict[str, str]:
        return {"source": self.source, "citation": self.citation, "status": self.status.value}


@dataclass(frozen=True)
class Gap:
    """The evidence file does not cover this point; ``text`` says so in plain words."""

    text: str


Entry = Fact | Gap


@dataclass(frozen=True)
class Figure:
    measure: str
    value: str
    comparator: str
    population: str
    fact: Fact


@dataclass(frozen=True)
class SideEffect:
    effect: str
    frequency: str
    fact: Fact


@dataclass(frozen=True)
class Condition:
    """All given keys must hold; within an ``*_any`` list one match is enough.

    ``facts_within_days`` narrows ``facts_any`` to dated events within that many days before
    the decision date; ``trimester_in`` narrows ``facts_any = ["pregnancy"]`` to trimesters.
    """

    always: bool = False
    facts_any: tuple[str, ...] = ()
    facts_none: tuple[str, ...] = ()
    """An indication gate: holds when every listed fact is absent, fails when one is present,
    is unknown otherwise (policy P-O16: the only way a present fact can lift a status)."""
    medication_classes_any: tuple[str, ...] = ()
    preferences_any: tuple[str, ...] = ()
    age_at_least: int | None = None
    age_below: int | None = None
    failed_trials_at_least: int | None = None
    failed_trials_below: int | None = None
    facts_within_days: int | None = None
    trimester_in: tuple[int, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    effect: RuleEffect
    when: Condition
    reason: str
    fact: Fact


@dataclass(frozen=True)
class Protocol:
    setting: tuple[Entry, ...]
    session_length: tuple[Entry, ...]
    number_and_frequency: tuple[Entry, ...]
    anaesthesia: tuple[Entry, ...]
    recovery: tuple[Entry, ...]


@dataclass(frozen=True)
class PatientText:
    """Plain-language card for the patient portal; every sentence traceable to ``sources``.

    ``how_well`` and ``safety`` are sourced facts, each with its own status: the patient view
    shows only the verified ones (clinicians see all of them, labelled). The free-text fields
    are covered by ``sources`` and ``status`` as a whole.
    """

    how_it_works: str
    how_well: tuple[Fact, ...]
    session: str
    course: str
    side_effects: str
    questions: tuple[str, ...]
    sources: tuple[str, ...]
    status: Status
    safety: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Traits:
    """The few properties the ranking uses; each judgement points at a fact in the file."""

    evidence_tier: EvidenceTier
    evidence_basis: Fact
    onset: Onset
    rapid_acting: bool
    uses_anaesthesia: bool
    is_medication: bool
    involves_surgery: bool
    needs_escort: bool
    psychological: bool
    time_burden: TimeBurden
    later_line: Fact | None = None


@dataclass(frozen=True)
class HistoryMatch:
    """A treatment-history entry this therapy corresponds to (``kind`` plus exact fields)."""

    kind: str
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Therapy:
    id: str
    name: str
    category: Category
    family: str
    investigational: bool
    evidence_section: str
    provenance: Provenance
    traits: Traits
    history_match: tuple[HistoryMatch, ...]
    mechanism: tuple[Entry, ...]
    efficacy: tuple[Figure | Gap, ...]
    time_to_effect: tuple[Entry, ...]
    durability: tuple[Entry, ...]
    protocol: Protocol
    side_effects: tuple[SideEffect | Gap, ...]
    rules: tuple[Rule, ...]
    monitoring: tuple[Entry, ...]
    regulatory: tuple[Entry, ...]
    guidelines: tuple[Entry, ...]
    patient: PatientText
    also_known_as: tuple[str, ...] = field(default=())
    rule_sets: tuple[str, ...] = field(default=())
    adds_medications: tuple[str, ...] = field(default=())
    """Drug or class ids (``medications/drugs.toml``) the option would add to the list."""
    replaces_medications: tuple[str, ...] = field(default=())
    """Drug or class ids a switch stops (its contraindicated pairs become washouts)."""

    @property
    def checks_medications(self) -> bool:
        """Whether the current medication list matters to this option: it adds medicines or
        uses anaesthesia (anaesthetic agents are drugs too)."""
        return bool(self.adds_medications) or self.traits.uses_anaesthesia

    def all_facts(self) -> list[Fact]:
        """Every sourced statement in the file (for checks and citation lists)."""
        from trdnav.core.knowledge.therapies.walk import facts_of

        return facts_of(self)
