"""The current medication list: drug table, interaction rules, washouts (pure, no clock).

See docs/medications.md. Typical use::

    entries = parse_medications(raw["medications"])          # None = not recorded
    table = load_medication_table()
    review = review_medications(entries, table, as_of=today)  # warnings already in the list
    added = interactions_added(["maoi"], review, table)       # what a therapy would add
"""

from trdnav.core.medications.load import load_medication_table
from trdnav.core.medications.model import (
    Drug,
    InteractionFinding,
    InteractionRule,
    Mechanism,
    MedicationEntry,
    MedicationReview,
    MedicationTable,
    Severity,
    Washout,
)
from trdnav.core.medications.names import normalise, resolve
from trdnav.core.medications.parse import parse_medications
from trdnav.core.medications.review import counts_on, interactions_added, review_medications

__all__ = [
    "Drug",
    "InteractionFinding",
    "InteractionRule",
    "Mechanism",
    "MedicationEntry",
    "MedicationReview",
    "MedicationTable",
    "Severity",
    "Washout",
    "counts_on",
    "interactions_added",
    "load_medication_table",
    "normalise",
    "parse_medications",
    "resolve",
    "review_medications",
]
