"""Typed form of the medication knowledge: drugs, classes, interaction rules and review results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from trdnav.core.knowledge.therapies.schema import Fact


class Severity(StrEnum):
    """How bad a combination is; the engine maps contraindicated → contraindicated, else caution."""

    CONTRAINDICATED = "contraindicated"
    MAJOR = "major"
    MODERATE = "moderate"

    @property
    def rank(self) -> int:
        """Higher is more severe (contraindicated 3, major 2, moderate 1)."""
        return {"contraindicated": 3, "major": 2, "moderate": 1}[self.value]


class Mechanism(StrEnum):
    SEROTONIN_SYNDROME = "serotonin_syndrome"
    HYPERTENSIVE_CRISIS = "hypertensive_crisis"
    QT_PROLONGATION = "qt_prolongation"
    LITHIUM_TOXICITY = "lithium_toxicity"
    SEIZURE_THRESHOLD = "seizure_threshold"
    CNS_RESPIRATORY_DEPRESSION = "cns_respiratory_depression"
    BLOOD_PRESSURE = "blood_pressure"
    BLEEDING = "bleeding"


@dataclass(frozen=True)
class MedicationEntry:
    """One line of the patient's medication list: a name as typed, and when it was stopped."""

    name: str
    stopped_on: date | None = None

    def to_json(self) -> str | dict[str, str]:
        """Back to the patient-JSON form: a name, or ``{"name", "stopped_on"}``."""
        if self.stopped_on is None:
            return self.name
        return {"name": self.name, "stopped_on": self.stopped_on.isoformat()}


@dataclass(frozen=True)
class Washout:
    """Days after stopping during which the drug still counts for interactions."""

    days: int
    fact: Fact


@dataclass(frozen=True)
class Drug:
    id: str
    aliases: tuple[str, ...]
    classes: frozenset[str]
    washout: Washout | None
    fact: Fact

    @property
    def label(self) -> str:
        """The generic name for people: ``st_johns_wort`` → ``st johns wort``."""
        return self.id.replace("_", " ")


@dataclass(frozen=True)
class InteractionRule:
    """Drugs on side ``a`` combined with drugs on side ``b`` (either order); ids or class ids."""

    id: str
    a: frozenset[str]
    b: frozenset[str]
    severity: Severity
    mechanism: Mechanism
    washout_days: int | None
    fact: Fact


@dataclass(frozen=True)
class MedicationTable:
    drugs: Mapping[str, Drug]
    classes: Mapping[str, str]
    rules: tuple[InteractionRule, ...]
    names: Mapping[str, str]
    """Normalised name or alias → drug id."""

    def members(self, class_id: str) -> tuple[Drug, ...]:
        return tuple(d for d in self.drugs.values() if class_id in d.classes)


@dataclass(frozen=True)
class InteractionFinding:
    """One dangerous pair: the winning rule, its severity, the two drug (or class) ids, and why."""

    rule: str
    severity: Severity
    drugs: tuple[str, str]
    text: str
    fact: Fact
    mechanism: Mechanism

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "mechanism": self.mechanism.value,
            "drugs": list(self.drugs),
            "text": self.text,
            **self.fact.cite(),
        }


@dataclass(frozen=True)
class MedicationReview:
    """What the list means today: drugs that count (including inside a washout), names not
    recognised, dangerous pairs already in the list, and the classes present."""

    active: tuple[str, ...]
    unrecognised: tuple[str, ...]
    warnings: tuple[InteractionFinding, ...]
    classes: frozenset[str]
    stopped_in_washout: tuple[str, ...] = ()

    @property
    def codes(self) -> frozenset[str]:
        """Class ids and drug ids that count now: what ``medication_classes_any`` can match
        (drug and class ids never collide; the loader refuses it)."""
        return self.classes | frozenset(self.active)
