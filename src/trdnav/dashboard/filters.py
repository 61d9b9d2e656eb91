"""The dashboard's search and filters: applied to the computed rows, so they cost no query."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from trdnav.dashboard.services import DashboardRow
from trdnav.safety.state import ClinicItem

SHOW = {"": "Everyone", "attention": "Needs attention", "safety": "Open safety items"}
TREATMENT = {
    "": "Any",
    "course": "In a treatment course",
    "trial": "On a treatment (no course)",
    "none": "No current treatment recorded",
}


@dataclass(frozen=True)
class Criteria:
    q: str = ""
    show: str = ""
    stage: str = ""
    treatment: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Criteria:
        """Unknown values mean "any": a filter never fails a page."""
        show, treatment = query.get("show", ""), query.get("treatment", "")
        return cls(
            q=query.get("q", "").strip()[:100],
            show=show if show in SHOW else "",
            stage=query.get("stage", "").strip()[:20],
            treatment=treatment if treatment in TREATMENT else "",
        )

    @property
    def active(self) -> bool:
        return any((self.q, self.show, self.stage, self.treatment))


def _matches(row: DashboardRow, c: Criteria) -> bool:
    patient = row.patient
    # Both name orders ("Okafor, Dana" and "Dana Okafor") and the record number.
    given, family = patient.given_name, patient.family_name
    words = f"{family}, {given} {given} {family} {patient.record_number}"
    if c.q and c.q.casefold() not in words.casefold():
        return False
    if (c.show == "attention" and not row.needs_attention) or (
        c.show == "safety" and not row.open_safety
    ):
        return False
    if c.stage and row.stage != c.stage:
        return False
    kind = "course" if row.treatment.endswith("(course)") else "trial" if row.treatment else "none"
    return not c.treatment or kind == c.treatment


def filter_rows(rows: Iterable[DashboardRow], criteria: Criteria) -> list[DashboardRow]:
    return [row for row in rows if _matches(row, criteria)]


def stages_among(rows: Iterable[DashboardRow]) -> list[str]:
    return sorted({row.stage for row in rows if row.stage})


def open_safety_of(rows: Iterable[DashboardRow]) -> list[ClinicItem]:
    """The open safety items of all rows (before filtering), for the portal card."""
    return [ClinicItem(row.patient, item) for row in rows for item in row.open_safety]
