"""Adequate dose and duration of a medication trial, read from the treatment-history adequacy
tables (``trdnav.core.history``) so that a trial planned here is judged adequate there."""

from __future__ import annotations

from dataclasses import dataclass

from trdnav.core.history.knowledge import (
    Basis,
    default_profile_name,
    load_agents,
    load_drugs,
    load_profiles,
)


@dataclass(frozen=True)
class AdequateMinimum:
    drug: str
    mg_per_day: float
    min_weeks: int
    verified: bool
    source: str


def adequate_minimum(drug: str, kind: str = "antidepressant") -> AdequateMinimum | None:
    """The minimum adequate daily dose and weeks for ``drug`` under the default adequacy profile
    (P-B11), or None when the tables have no minimum for it (P-B13)."""
    profile = load_profiles()[default_profile_name()]
    code = drug.strip().lower()
    if kind == "augmentation":
        agent = load_agents().get(code)
        cell = agent.min_dose if agent else None
        weeks = profile.min_weeks_augmentation
    else:
        info = load_drugs().get(code)
        cell = info.minimum.get(profile.dose_column) if info else None
        weeks = profile.min_weeks_monotherapy
    if cell is None:
        return None
    return AdequateMinimum(
        drug=code,
        mg_per_day=cell.mg_per_day,
        min_weeks=weeks,
        verified=cell.basis is Basis.VERIFIED,
        source=cell.source,
    )
