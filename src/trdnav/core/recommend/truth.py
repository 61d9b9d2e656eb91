"""Three-valued logic for rule conditions: TRUE, FALSE or UNKNOWN (Kleene's strong logic).

An unknown is never read as absent (policy P-O13): a condition on a fact nobody assessed, an
unknown age, an unrecorded medication list or a missing treatment history is UNKNOWN.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Truth(Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verdict:
    """A truth value and, when UNKNOWN, what is unknown (fact codes or ``age``, ...)."""

    truth: Truth
    unknown: tuple[str, ...] = ()


YES = Verdict(Truth.TRUE)
NO = Verdict(Truth.FALSE)


def maybe(*what: str) -> Verdict:
    return Verdict(Truth.UNKNOWN, what)


def all_of(verdicts: Iterable[Verdict]) -> Verdict:
    """Kleene AND: FALSE if any is FALSE, else UNKNOWN if any is UNKNOWN, else TRUE."""
    unknown: list[str] = []
    for verdict in verdicts:
        if verdict.truth is Truth.FALSE:
            return NO
        if verdict.truth is Truth.UNKNOWN:
            unknown += [u for u in verdict.unknown if u not in unknown]
    return maybe(*unknown) if unknown else YES


def any_of(verdicts: Iterable[Verdict]) -> Verdict:
    """Kleene OR: TRUE if any is TRUE, else UNKNOWN if any is UNKNOWN, else FALSE."""
    unknown: list[str] = []
    for verdict in verdicts:
        if verdict.truth is Truth.TRUE:
            return YES
        if verdict.truth is Truth.UNKNOWN:
            unknown += [u for u in verdict.unknown if u not in unknown]
    return maybe(*unknown) if unknown else NO
