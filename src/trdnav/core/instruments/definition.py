"""What an instrument is: items, answers, bands, cut-offs, safety item, outcome thresholds.

Every value here is read from the instrument's knowledge-base file
(``knowledge/data/instruments/<code>.toml``); each part carries its own ``status`` and ``source``
so that anything recalled from memory is shown as unverified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from trdnav.core.knowledge import Provenance, Status


class Respondent(StrEnum):
    """Who completes the instrument (instrument_notes Part A)."""

    PATIENT = "patient"
    CLINICIAN = "clinician"


class InputKind(StrEnum):
    """The shape of the answers: an item list, one rating, or the C-SSRS yes/no object."""

    ITEMS = "items"
    SCORE = "score"
    CSSRS = "cssrs"


@dataclass(frozen=True)
class TextFact:
    text: str
    status: Status
    source: str


@dataclass(frozen=True)
class AnswerOption:
    value: int
    code: str | None
    label: str
    loinc: str | None = None


@dataclass(frozen=True)
class AnswerSet:
    """The allowed answers of an item; ``not_assessed`` is a value that means 'not rated'."""

    name: str
    kind: str  # "integer" or "boolean"
    minimum: int
    maximum: int
    options: tuple[AnswerOption, ...]
    not_assessed: int | None
    not_assessed_scores: int | None  # None: a not-assessed rating counts as unanswered
    status: Status
    source: str

    def allows(self, value: int) -> bool:
        return self.minimum <= value <= self.maximum

    def option(self, value: int) -> AnswerOption | None:
        return next((o for o in self.options if o.value == value), None)

    def describe(self) -> str:
        """The allowed values in words, for error messages."""
        if self.kind == "boolean":
            return "true (yes), false (no) or null (not asked)"
        labelled = ", ".join(f"{o.value} = {o.label}" for o in self.options)
        span = f"integers {self.minimum}–{self.maximum}"
        return f"{span} ({labelled}), or null if unanswered" if labelled else f"{span}, or null"


@dataclass(frozen=True)
class Item:
    number: int
    key: str
    label: str
    answers: AnswerSet
    loinc: str | None


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    minimum: int
    maximum: int


@dataclass(frozen=True)
class BandScheme:
    name: str
    label: str
    default: bool
    bands: tuple[Band, ...]
    status: Status
    source: str
    policy: str | None

    def band_for(self, total: int) -> Band | None:
        return next((b for b in self.bands if b.minimum <= total <= b.maximum), None)


@dataclass(frozen=True)
class Cutoff:
    name: str
    label: str
    at_least: int
    status: Status
    source: str


@dataclass(frozen=True)
class SafetyRule:
    """The safety item (spec §0 rules 2 and 2a): positive from one value, high priority from
    another."""

    item: int
    positive_at_least: int
    high_priority_at_least: int | None
    status: Status
    source: str
    policy: str


@dataclass(frozen=True)
class Threshold:
    value: int
    status: Status
    source: str


@dataclass(frozen=True)
class RemissionRule:
    name: str
    label: str
    comparison: str  # "lt" or "le"
    value: int
    default: bool
    status: Status
    source: str

    def met_by(self, score: int) -> bool:
        return score < self.value if self.comparison == "lt" else score <= self.value

    def describe(self) -> str:
        return f"{'<' if self.comparison == 'lt' else '≤'} {self.value}"


@dataclass(frozen=True)
class OutcomeRules:
    """A12 outcome definitions: percentages of reduction from baseline, remission cut-offs."""

    response_min_pct: Threshold | None
    partial_min_pct: Threshold | None
    remission: tuple[RemissionRule, ...]
    reliable_improvement_points: Threshold | None
    # The smallest change patients notice as important (worsening policy P-SR6); None where the
    # research gives no figure for the instrument.
    minimal_important_points: Threshold | None = None


@dataclass(frozen=True)
class LoincCode:
    role: str
    code: str


@dataclass(frozen=True)
class LoincCodes:
    codes: tuple[LoincCode, ...]
    status: Status
    source: str
    note: str | None


@dataclass(frozen=True)
class Definition:
    code: str
    abbreviation: str
    name: str
    respondent: Respondent
    input_kind: InputKind
    scoring: str
    recall: TextFact | None
    licence: TextFact
    items: tuple[Item, ...]
    extra_items: tuple[Item, ...]
    total_range: tuple[int, int] | None
    band_schemes: tuple[BandScheme, ...]
    cutoffs: tuple[Cutoff, ...]
    safety: SafetyRule | None
    outcome: OutcomeRules | None
    loinc: LoincCodes | None
    policies: tuple[str, ...]
    notes: tuple[str, ...]
    provenance: Provenance
    algorithm: Mapping[str, Any] = field(default_factory=dict)

    @property
    def item_count(self) -> int:
        return len(self.items)

    def default_scheme(self) -> BandScheme | None:
        return next((s for s in self.band_schemes if s.default), None)

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def answer_sets(self) -> tuple[AnswerSet, ...]:
        """The distinct answer sets used by the items, in order of first use."""
        seen: dict[str, AnswerSet] = {}
        for item in (*self.items, *self.extra_items):
            seen.setdefault(item.answers.name, item.answers)
        return tuple(seen.values())
