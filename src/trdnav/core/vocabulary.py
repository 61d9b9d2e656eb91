"""Vocabulary shared by more than one core package, defined once.

``staging`` scores the published models from their parameters and ``history`` builds those
parameters from a treatment history, so the codes both speak live here, below both of them:
the episode severity categories and the antidepressant class codes. Nothing here decides
anything; see CONTRIBUTING.md (package map) for the layers.
"""

from __future__ import annotations

from enum import StrEnum

from trdnav.core.knowledge import fields
from trdnav.core.knowledge.loader import load_document

DRUGS_FILE = "antidepressants.toml"


class Severity(StrEnum):
    """Episode severity in the Maudsley Staging Method's five categories (Fekadu 2009, S11)."""

    SUBSYNDROMAL = "subsyndromal"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE_WITHOUT_PSYCHOSIS = "severe_without_psychosis"
    SEVERE_WITH_PSYCHOSIS = "severe_with_psychosis"


def drug_classes() -> tuple[str, ...]:
    """Antidepressant class codes of ``antidepressants.toml`` (``[classes]``), in file order."""
    return tuple(fields.table(load_document(DRUGS_FILE), "classes", DRUGS_FILE))
