"""The public PHQ-9 self-check: read the form, score it with the core scorer, say what the
score means. Nothing here touches the database, the session or a log: the answers live only
in this request (docs/public-guide.md, policy P-G1).

Every answer field is optional to the reader of the form: an incomplete form is not an error,
it just has no total (P-A1), and item 9 is read on its own so that crisis guidance shows even
when the rest is blank (P-A2, P-G2). A value that is not one of the offered answers (an edited
page, a script) is an error naming the question; it never reaches the scorer as anything but
what it was, and it never causes a server error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from trdnav.core.instruments import Definition, Item, Safety, get_instrument
from trdnav.core.instruments.phq9 import CODE, score
from trdnav.core.instruments.result import ScoreResult
from trdnav.core.knowledge.patient_guide import load_patient_guide

# The longest value any answer can have ("3"); longer input is refused without parsing it.
_MAX_VALUE_LENGTH = 2
_ITEM_PATH = re.compile(r"^items\[(\d+)\]$")


@dataclass(frozen=True)
class Problem:
    """A question whose answer could not be read, in words the reader understands."""

    number: int
    field: str
    message: str


@dataclass(frozen=True)
class Outcome:
    answers: dict[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    result: ScoreResult | None = None
    unanswered: tuple[int, ...] = ()

    @property
    def crisis(self) -> bool:
        """Item 9 answered above "not at all" — whatever else the form holds."""
        return self.result is not None and self.result.safety is Safety.POSITIVE

    @property
    def safety_unanswered(self) -> bool:
        return self.result is not None and self.result.safety is Safety.UNKNOWN

    @property
    def complete(self) -> bool:
        return self.result is not None and self.result.valid


def definition() -> Definition:
    return get_instrument(CODE).definition


def field_name(item: Item) -> str:
    return f"item{item.number}"


def question(item: Item) -> str:
    return item.label[:1].upper() + item.label[1:]


def _raw_value(raw: str) -> int | str | None:
    value = raw.strip()
    if not value:
        return None
    if value.isascii() and value.isdecimal() and len(value) <= _MAX_VALUE_LENGTH:
        return int(value)
    return value[:20]  # kept only to be refused by the scorer, never echoed in full


def _problem(item: Item) -> Problem:
    message = f"Question {item.number} ({question(item)}): please choose one of the answers shown."
    return Problem(item.number, field_name(item), message)


def check(data: Mapping[str, str]) -> Outcome:
    """Score whatever was answered. ``data`` is the posted form (item1 … item9)."""
    items = definition().items
    values = [_raw_value(str(data.get(field_name(item), ""))) for item in items]
    result = score({"items": values})
    bad = {
        int(match.group(1)) + 1
        for error in result.errors
        if (match := _ITEM_PATH.match(error.field)) is not None
    }
    problems = tuple(_problem(item) for item in items if item.number in bad)
    answers = {
        field_name(item): value
        for item, value in zip(items, values, strict=True)
        if isinstance(value, int) and item.number not in bad
    }
    unanswered = tuple(item.number for item, v in zip(items, values, strict=True) if v is None)
    return Outcome(answers=answers, problems=problems, result=result, unanswered=unanswered)


@dataclass(frozen=True)
class Meaning:
    """What a complete score means, in plain words, from the knowledge base."""

    total: int
    maximum: int
    band_text: str
    cutoff: int | None
    at_or_above_cutoff: bool


def meaning(result: ScoreResult) -> Meaning | None:
    if not result.valid or result.total is None:
        return None
    d = definition()
    texts = load_patient_guide().band_texts
    band_text = texts.get(result.severity or "", "")
    cutoff = d.cutoffs[0].at_least if d.cutoffs else None
    return Meaning(
        total=result.total,
        maximum=d.total_range[1] if d.total_range else result.total,
        band_text=band_text,
        cutoff=cutoff,
        at_or_above_cutoff=cutoff is not None and result.total >= cutoff,
    )
