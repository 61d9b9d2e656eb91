"""Size and plausibility limits on input: the one place every reader takes them from.

These are not clinical thresholds (those live in the knowledge base with their sources); they
are sanity bounds that keep absurd or hostile input (a 1 MB identifier, a dose of 10³⁰⁰ mg,
JSON nested a thousand levels deep) out of storage and away from the interpreter's own limits,
so that such input is refused with a field error instead of failing deep inside. Each bound is
far outside anything a real record holds. docs/input-limits.md lists them for users.
"""

from __future__ import annotations

from datetime import date
from typing import Final

# --- JSON documents (API bodies, the history import, the command line) -------------------
MAX_JSON_BYTES: Final = 2_500_000
"""Largest JSON document read from a file, standard input or a form (about 2.5 MB)."""
MAX_JSON_DEPTH: Final = 32
"""Deepest nesting of arrays and objects; the deepest real document (a history) uses 4."""
MAX_INT_DIGITS: Final = 30
"""Longest integer literal, in digits; larger numbers cannot be a count, a dose or a score."""

# --- Text ---------------------------------------------------------------------------------
MAX_CODE_LENGTH: Final = 100
"""Codes and identifiers (episode and treatment ids, drug codes, instrument codes)."""
MAX_NOTE_LENGTH: Final = 5_000
"""Free text such as treatment notes and report details."""
MAX_QUERY_LENGTH: Final = 200
"""Search text in a query string."""

# --- Lists --------------------------------------------------------------------------------
MAX_LIST_ITEMS: Final = 500
"""Items in any list of a document (episodes, treatments, doses, facts, medications…)."""

# --- Numbers ------------------------------------------------------------------------------
MAX_DOSE_MG_PER_DAY: Final = 100_000.0
"""A daily dose above 100 g is a typing error for every drug in the knowledge base."""
MIN_IMPROVEMENT_PCT: Final = -1_000.0
"""Worsening is negative improvement; a score ten times the baseline is the floor."""
MAX_SESSIONS: Final = 10_000
"""Sessions of one course (ECT, rTMS, psychotherapy)."""
MAX_WEEKS: Final = 10_000.0
"""Weeks of one trial (about 190 years)."""
MAX_OFFSET: Final = 1_000_000_000
"""Paging offset in list endpoints (a database's 64-bit integer would overflow at 2⁶³)."""

# --- Dates --------------------------------------------------------------------------------
EARLIEST_DATE: Final = date(1900, 1, 1)
"""No date in a record (treatment, episode, report, assessment) may be earlier."""
LATEST_DATE: Final = date(2199, 12, 31)
"""Nor later; dates that must not be in the future are checked against today as well."""


def problem_in_text(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (NUL byte, lone surrogate), or None.

    PostgreSQL refuses both; SQLite would store them silently. Refusing them everywhere keeps
    the two databases alike."""
    if "\x00" in value:
        return "must not contain a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must not contain an unpaired surrogate (invalid Unicode)"
    return None
