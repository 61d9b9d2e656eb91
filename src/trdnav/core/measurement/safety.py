"""The two safety rules every page shares (policies P-W1 and P-P9, docs/clinical-policies.md).

* **Needs review**: a safety item that is positive, or unknown (unanswered: unknown is never
  treated as negative, spec §0 rule 2), needs a clinician's review and puts crisis guidance on
  the patient's screen.
* **Latest answer per instrument**: only the most recent answer to each instrument's safety
  item counts, so a later negative answer to the same instrument clears an earlier positive
  one, while another instrument's answer does not. "Most recent" is the greatest
  ``RECENCY`` key: the day it was given, then when it was recorded, then its id.

The app stores answers in the database and asks for them with one query
(``trdnav.assessments.queries.latest_safety_for``), which orders by ``RECENCY``; this module
states the rules, with a pure version of the query for callers that hold answers in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from trdnav.core.instruments.result import Priority, Safety

# The answers that need a clinician's review (and show crisis guidance in the portal).
NEEDS_REVIEW = frozenset({Safety.POSITIVE, Safety.UNKNOWN})

# Field names, oldest to newest: the latest answer is the greatest by these, in this order.
RECENCY = ("administered_on", "recorded_at", "id")


def needs_review(safety: Safety | str | None) -> bool:
    """True for a positive or unknown safety item; False for negative or no safety item."""
    return safety is not None and Safety(safety) in NEEDS_REVIEW


@dataclass(frozen=True)
class SafetyAnswer:
    """What one stored result said about its instrument's safety item."""

    instrument: str
    safety: Safety
    priority: Priority | None
    administered_on: date
    recorded_at: datetime
    id: int

    @property
    def needs_review(self) -> bool:
        return needs_review(self.safety)

    @property
    def high_priority(self) -> bool:
        return self.priority == Priority.HIGH


def latest_per_instrument(answers: Iterable[SafetyAnswer]) -> dict[str, SafetyAnswer]:
    """Per instrument, its most recent answer (the greatest ``RECENCY`` key)."""
    latest: dict[str, SafetyAnswer] = {}
    for answer in answers:
        held = latest.get(answer.instrument)
        if held is None or _recency(answer) > _recency(held):
            latest[answer.instrument] = answer
    return latest


def _recency(answer: SafetyAnswer) -> tuple[date, datetime, int]:
    return answer.administered_on, answer.recorded_at, answer.id
