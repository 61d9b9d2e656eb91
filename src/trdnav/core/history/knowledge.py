"""Typed views of the knowledge-base files used to judge trials.

Reads ``antidepressants.toml``, ``augmentation_agents.toml`` and ``adequacy_profiles.toml``
(research/instruments-and-staging.md Part B1) and checks their schema, so a broken file fails
loudly at load rather than giving a wrong verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge.loader import Status, load_document

DRUGS_FILE = "antidepressants.toml"
AGENTS_FILE = "augmentation_agents.toml"
PROFILES_FILE = "adequacy_profiles.toml"


class Basis(StrEnum):
    """How a knowledge-base figure is known (research §0 markers; ``supplied`` = on the trial)."""

    VERIFIED = "verified"
    INFERRED = "inferred"
    FROM_MEMORY = "from_memory"
    SUPPLIED = "supplied"

    @property
    def status(self) -> Status:
        # Only figures seen in a stored source count as verified; the rest need review.
        return Status.VERIFIED if self is Basis.VERIFIED else Status.UNVERIFIED


class NonResponseRule(StrEnum):
    """Whether improvement exactly at the threshold is non-response [P-B10]."""

    BELOW_THRESHOLD = "below_threshold"
    AT_OR_BELOW_THRESHOLD = "at_or_below_threshold"


@dataclass(frozen=True)
class DoseCell:
    """One cell of the dose table: a minimum daily dose with how it is known."""

    mg_per_day: float
    basis: Basis
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "mg_per_day": self.mg_per_day,
            "status": str(self.basis.status),
            "basis": str(self.basis),
            "source": self.source,
        }


@dataclass(frozen=True)
class DrugInfo:
    """An antidepressant (or augmenting agent) with its minimum doses by dose column."""

    code: str
    drug_class: str
    oral: bool
    minimum: Mapping[str, DoseCell]


@dataclass(frozen=True)
class AdequacyProfile:
    """A named convention for judging trials (B1.1, B1.3; P-B8, P-B9a, P-B10, P-B11)."""

    name: str
    label: str
    dose_column: str
    min_weeks_monotherapy: int
    min_weeks_augmentation: int
    adherence_min_pct: float
    non_response: NonResponseRule
    response_pct: float
    non_response_threshold_pct: float
    policies: tuple[str, ...]


def _dose_cell(raw: Any, where: str) -> DoseCell:
    try:
        return DoseCell(float(raw["mg_per_day"]), Basis(raw["basis"]), str(raw["source"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise KnowledgeBaseError(f"{where}: bad dose cell ({exc})") from None


def _drug(code: str, raw: Mapping[str, Any], columns: tuple[str, ...]) -> DrugInfo:
    where = f"{DRUGS_FILE}: drugs.{code}"
    missing = [c for c in (*columns, "class") if c not in raw]
    if missing:
        raise KnowledgeBaseError(f"{where} lacks {', '.join(missing)}")
    cells = {c: _dose_cell(raw[c], f"{where}.{c}") for c in columns}
    return DrugInfo(code, str(raw["class"]), raw.get("route", "oral") == "oral", cells)


@cache
def load_profiles() -> Mapping[str, AdequacyProfile]:
    """Every adequacy profile, by name."""
    doc = load_document(PROFILES_FILE)
    outcome = doc["outcome"]
    try:
        return {
            name: AdequacyProfile(
                name=name,
                label=str(raw["label"]),
                dose_column=str(raw["dose_column"]),
                min_weeks_monotherapy=int(raw["min_weeks_monotherapy"]),
                min_weeks_augmentation=int(raw["min_weeks_augmentation"]),
                adherence_min_pct=float(raw["adherence_min_pct"]),
                non_response=NonResponseRule(raw["non_response"]),
                response_pct=float(outcome["response_pct"]),
                non_response_threshold_pct=float(outcome["non_response_threshold_pct"]),
                policies=tuple(raw["policies"]),
            )
            for name, raw in doc["profiles"].items()
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise KnowledgeBaseError(f"{PROFILES_FILE}: bad profile ({exc})") from None


def default_profile_name() -> str:
    name = str(load_document(PROFILES_FILE)["default"])
    if name not in load_profiles():
        raise KnowledgeBaseError(f"{PROFILES_FILE}: default profile {name!r} is not defined")
    return name


@cache
def load_drugs() -> Mapping[str, DrugInfo]:
    """The antidepressant dose table, keyed by drug code and by each alias."""
    doc = load_document(DRUGS_FILE)
    columns = tuple(sorted({p.dose_column for p in load_profiles().values()}))
    table: dict[str, DrugInfo] = {}
    for code, raw in doc["drugs"].items():
        info = _drug(code, raw, columns)
        if info.drug_class not in doc["classes"]:
            raise KnowledgeBaseError(f"{DRUGS_FILE}: drugs.{code}: unknown class")
        for name in (code, *raw.get("aliases", ())):
            table[name] = info
    return table


def drug_classes() -> tuple[str, ...]:
    return tuple(load_document(DRUGS_FILE)["classes"])


@dataclass(frozen=True)
class AgentInfo:
    """An augmenting agent; ``min_dose`` is None where no minimum is on file [P-B13]."""

    code: str
    group: str
    min_dose: DoseCell | None


@cache
def load_agents() -> Mapping[str, AgentInfo]:
    """Augmentation agents keyed by code and alias."""
    table: dict[str, AgentInfo] = {}
    for code, raw in load_document(AGENTS_FILE)["agents"].items():
        where = f"{AGENTS_FILE}: agents.{code}.min_dose"
        cell = _dose_cell(raw["min_dose"], where) if "min_dose" in raw else None
        info = AgentInfo(code, str(raw.get("group", "other")), cell)
        for name in (code, *raw.get("aliases", ())):
            table[name] = info
    return table
