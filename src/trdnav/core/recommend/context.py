"""What is known about the patient at decision time, and whether a rule's condition holds.

``holds`` is three-valued (see ``truth``): every fact is present, absent or unknown; a group is
present if any member is, absent if all are; numbers (age, failed trials) may be unknown; the
medication list may be unrecorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from trdnav.core.knowledge.therapies import Condition
from trdnav.core.medications import MedicationEntry, MedicationReview
from trdnav.core.recommend.truth import NO, YES, Truth, Verdict, all_of, any_of, maybe

# Names of the unknowns that are not fact codes (shown in ``to_check``).
UNKNOWN_AGE = "age"
UNKNOWN_HISTORY = "treatment_history"
UNKNOWN_MEDICATIONS = "medications"
UNKNOWN_TRIMESTER = "pregnancy_trimester"
UNRECOGNISED_MEDICATIONS = "unrecognised_medications"


@dataclass(frozen=True)
class DerivedFact:
    """A fact code the engine added, and why (e.g. ``maoi_current`` from the medication list)."""

    code: str
    why: str


@dataclass(frozen=True)
class Context:
    facts: frozenset[str]
    preferences: frozenset[str]
    medication_classes: frozenset[str]
    age: int | None
    failed_trials: int | None
    derived: tuple[DerivedFact, ...]
    unrecognised_medications: tuple[str, ...]
    absent: frozenset[str] = frozenset()
    as_of: date | None = None
    dates: Mapping[str, tuple[date | None, ...]] = field(default_factory=dict)
    trimester: int | None = None
    medications_recorded: bool = True
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    age_group: str | None = None
    medication_entries: tuple[MedicationEntry, ...] = ()
    review: MedicationReview | None = None
    """The medication list read against the drug table on ``as_of``; None = not recorded."""

    def members(self, code: str) -> tuple[str, ...]:
        return self.groups.get(code, (code,))


def _recent(dates: tuple[date | None, ...], days: int, as_of: date | None) -> Verdict:
    # P-O14: an undated event (or no decision date) counts as recent.
    if as_of is None or any(d is None or (as_of - d).days <= days for d in dates):
        return YES
    return NO


def _trimester(trimester: int | None, wanted: tuple[int, ...]) -> Verdict:
    if trimester is None:
        return maybe(UNKNOWN_TRIMESTER)
    return YES if trimester in wanted else NO


def _present(member: str, when: Condition, ctx: Context) -> Verdict:
    if when.facts_within_days is not None:
        return _recent(ctx.dates.get(member, (None,)), when.facts_within_days, ctx.as_of)
    if when.trimester_in and member == "pregnancy":
        return _trimester(ctx.trimester, when.trimester_in)
    return YES


def _member(member: str, code: str, when: Condition, ctx: Context) -> Verdict:
    if member in ctx.facts:
        return _present(member, when, ctx)
    return NO if member in ctx.absent else maybe(code)


def _fact(code: str, when: Condition, ctx: Context) -> Verdict:
    return any_of(_member(m, code, when, ctx) for m in ctx.members(code))


def _facts(when: Condition, ctx: Context) -> Verdict:
    if not when.facts_any:
        return YES
    return any_of(_fact(code, when, ctx) for code in when.facts_any)


def _none_of(codes: tuple[str, ...], ctx: Context) -> Verdict:
    """Kleene NOT of "any present": TRUE when all are absent (an indication gate, P-O16)."""
    if not codes:
        return YES
    present = any_of(_member(m, c, Condition(), ctx) for c in codes for m in ctx.members(c))
    if present.truth is Truth.UNKNOWN:
        return present
    return NO if present.truth is Truth.TRUE else YES


def _medications(wanted: tuple[str, ...], ctx: Context) -> Verdict:
    if not wanted:
        return YES
    if not ctx.medications_recorded:
        return maybe(UNKNOWN_MEDICATIONS)
    if any(c in ctx.medication_classes for c in wanted):
        return YES
    return maybe(UNRECOGNISED_MEDICATIONS) if ctx.unrecognised_medications else NO


def _number(value: int | None, at_least: int | None, below: int | None, name: str) -> Verdict:
    if at_least is None and below is None:
        return YES
    if value is None:
        return maybe(name)
    inside = (at_least is None or value >= at_least) and (below is None or value < below)
    return YES if inside else NO


def _preferences(wanted: tuple[str, ...], ctx: Context) -> Verdict:
    # Preferences are always known: a missing list means none.
    return YES if not wanted or any(p in ctx.preferences for p in wanted) else NO


def verdict(when: Condition, ctx: Context) -> Verdict:
    """TRUE / FALSE / UNKNOWN for ``when`` (all keys AND-ed), with what is unknown."""
    if when.always:
        return YES
    return all_of(
        (
            _preferences(when.preferences_any, ctx),
            _number(ctx.age, when.age_at_least, when.age_below, UNKNOWN_AGE),
            _number(
                ctx.failed_trials,
                when.failed_trials_at_least,
                when.failed_trials_below,
                UNKNOWN_HISTORY,
            ),
            _facts(when, ctx),
            _none_of(when.facts_none, ctx),
            _medications(when.medication_classes_any, ctx),
        )
    )


def holds(when: Condition, ctx: Context) -> Truth:
    return verdict(when, ctx).truth
