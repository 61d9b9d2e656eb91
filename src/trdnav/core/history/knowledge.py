"""Typed views of the knowledge-base files used to judge trials.

Reads ``antidepressants.toml``, ``augmentation_agents.toml`` and ``adequacy_profiles.toml``
(instrument_notes Part B1) and checks their schema, so a broken file fails
loudly at load rather than giving a wrong verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge import fields
from trdnav.core.knowledge.loader import Status, load_document
from trdnav.core.vocabulary import DRUGS_FILE
from trdnav.core.vocabulary import drug_classes as drug_classes  # shared with staging

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
    cell = fields.as_table(raw, where)
    return DoseCell(
        fields.number(cell, "mg_per_day", where),
        fields.choice(cell, "basis", where, Basis),
        fields.text(cell, "source", where),
    )


def _drug(code: str, raw: fields.Table, columns: tuple[str, ...]) -> DrugInfo:
    where = f"{DRUGS_FILE} [drugs.{code}]"
    missing = [c for c in (*columns, "class") if c not in raw]
    if missing:
        raise KnowledgeBaseError(f"{where}: lacks {', '.join(missing)}")
    cells = {c: _dose_cell(raw[c], f"{where}.{c}") for c in columns}
    oral = (fields.optional_text(raw, "route", where) or "oral") == "oral"
    return DrugInfo(code, fields.text(raw, "class", where), oral, cells)


def _profile(name: str, raw: fields.Table, outcome: fields.Table) -> AdequacyProfile:
    where = f"{PROFILES_FILE} [profiles.{name}]"
    here = f"{PROFILES_FILE} [outcome]"
    return AdequacyProfile(
        name=name,
        label=fields.text(raw, "label", where),
        dose_column=fields.text(raw, "dose_column", where),
        min_weeks_monotherapy=fields.integer(raw, "min_weeks_monotherapy", where),
        min_weeks_augmentation=fields.integer(raw, "min_weeks_augmentation", where),
        adherence_min_pct=fields.number(raw, "adherence_min_pct", where),
        non_response=fields.choice(raw, "non_response", where, NonResponseRule),
        response_pct=fields.number(outcome, "response_pct", here),
        non_response_threshold_pct=fields.number(outcome, "non_response_threshold_pct", here),
        policies=fields.texts(raw, "policies", where, required=True),
    )


@cache
def load_profiles() -> Mapping[str, AdequacyProfile]:
    """Every adequacy profile, by name."""
    doc = load_document(PROFILES_FILE)
    outcome = fields.table(doc, "outcome", PROFILES_FILE)
    profiles = fields.table(doc, "profiles", PROFILES_FILE)
    return {
        name: _profile(name, fields.as_table(raw, f"{PROFILES_FILE} [profiles.{name}]"), outcome)
        for name, raw in profiles.items()
    }


def default_profile_name() -> str:
    name = fields.text(load_document(PROFILES_FILE), "default", PROFILES_FILE)
    if name not in load_profiles():
        raise KnowledgeBaseError(f"{PROFILES_FILE}: default profile {name!r} is not defined")
    return name


@cache
def load_drugs() -> Mapping[str, DrugInfo]:
    """The antidepressant dose table, keyed by drug code and by each alias."""
    doc = load_document(DRUGS_FILE)
    columns = tuple(sorted({p.dose_column for p in load_profiles().values()}))
    table: dict[str, DrugInfo] = {}
    for code, raw in fields.table(doc, "drugs", DRUGS_FILE).items():
        info = _drug(code, fields.as_table(raw, f"{DRUGS_FILE} [drugs.{code}]"), columns)
        if info.drug_class not in drug_classes():
            raise KnowledgeBaseError(f"{DRUGS_FILE} [drugs.{code}]: unknown class")
        for name in (code, *fields.texts(raw, "aliases", f"{DRUGS_FILE} [drugs.{code}]")):
            table[name] = info
    return table


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
    for code, value in fields.table(load_document(AGENTS_FILE), "agents", AGENTS_FILE).items():
        where = f"{AGENTS_FILE} [agents.{code}]"
        raw = fields.as_table(value, where)
        cell = _dose_cell(raw["min_dose"], f"{where}.min_dose") if "min_dose" in raw else None
        info = AgentInfo(code, fields.optional_text(raw, "group", where) or "other", cell)
        for name in (code, *fields.texts(raw, "aliases", where)):
            table[name] = info
    return table


CGI_S_FILE = "instruments/cgi_s.toml"


@cache
def cgi_s_range() -> tuple[int, int]:
    """The CGI-S rating range a history episode accepts: the instrument file's total range (a
    rating of 0 means "not assessed" there, so it is not a severity)."""
    instrument = fields.table(load_document(CGI_S_FILE), "instrument", CGI_S_FILE)
    total = fields.table(instrument, "total", f"{CGI_S_FILE} [instrument]")
    where = f"{CGI_S_FILE} [instrument] total"
    return fields.integer(total, "min", where), fields.integer(total, "max", where)
