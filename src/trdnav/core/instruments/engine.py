"""The scoring steps shared by every item-based instrument.

Order matters: the safety item is read first, from the raw answers, so that it is reported even
when the form is rejected or incomplete (spec §0 rule 2, policy P-A2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from trdnav.core.instruments.answers import ParsedForm, Values, parse_item_list, scored_values
from trdnav.core.instruments.definition import Definition
from trdnav.core.instruments.result import Priority, Safety, ScoreResult


@dataclass(frozen=True)
class Tally:
    """A total (None when incomplete) and the item numbers whose absence made it so."""

    total: int | None
    missing: tuple[int, ...]


TallyRule = Callable[[Definition, Values], Tally]
DetailsRule = Callable[[Definition, Values | None, int | None], dict[str, object]]


def sum_tally(definition: Definition, values: Values) -> Tally:
    """Plain sum; any missing item makes the total invalid, no prorating (P-A1, P-A4)."""
    missing = tuple(n for n, v in enumerate(values, start=1) if v is None)
    return Tally(None if missing else sum(v for v in values if v is not None), missing)


def no_details(
    definition: Definition, values: Values | None, total: int | None
) -> dict[str, object]:
    return {}


def score_form(
    definition: Definition,
    answers: Mapping[str, Any],
    *,
    tally: TallyRule = sum_tally,
    details: DetailsRule = no_details,
) -> ScoreResult:
    parsed = parse_item_list(definition, answers)
    safety, priority = evaluate_safety(definition, parsed.answered)
    values = None
    if not parsed.errors and parsed.answered is not None:
        values = scored_values(definition, parsed.answered)
    counted = tally(definition, values) if values is not None else Tally(None, ())
    total = counted.total
    scheme = definition.default_scheme()
    band = scheme.band_for(total) if scheme is not None and total is not None else None
    return ScoreResult(
        instrument=definition.code,
        valid=total is not None,
        rejected=bool(parsed.errors),
        total=total,
        severity=band.code if band else None,
        severity_scheme=scheme.name if scheme else None,
        safety=safety,
        safety_priority=priority,
        errors=parsed.errors,
        missing=tuple(f"items[{n - 1}]" for n in counted.missing),
        details={
            **common_details(definition, parsed, total),
            # Instrument rules see the raw answers (e.g. HAM-D item 16 = 3), or None when rejected.
            **details(definition, parsed.answered if values is not None else None, total),
        },
        policies=definition.policies,
        definition_version=definition.provenance.version,
    )


def evaluate_safety(
    definition: Definition, answered: Values | None
) -> tuple[Safety | None, Priority | None]:
    """The safety item alone decides; unanswered, wrong or unlocatable → UNKNOWN (P-A2)."""
    rule = definition.safety
    if rule is None:
        return None, None
    value = answered[rule.item - 1] if answered is not None else None
    if value is None:
        return Safety.UNKNOWN, None
    if value < rule.positive_at_least:
        return Safety.NEGATIVE, None
    high = rule.high_priority_at_least is not None and value >= rule.high_priority_at_least
    return Safety.POSITIVE, Priority.HIGH if high else None


def common_details(
    definition: Definition, parsed: ParsedForm, total: int | None
) -> dict[str, object]:
    """Fields every instrument of this kind prints: bands by scheme, cut-offs, the safety item."""
    out: dict[str, object] = {}
    if definition.band_schemes:
        out["bands"] = bands_by_scheme(definition, total)
    if definition.cutoffs:
        out["screening"] = screening(definition, total)
    if definition.safety is not None:
        number = definition.safety.item
        value = parsed.answered[number - 1] if parsed.answered is not None else None
        out["safety_item"] = {"item": number, "value": value}
    out.update(parsed.extras)
    return out


def bands_by_scheme(definition: Definition, total: int | None) -> dict[str, str | None]:
    """Every named banding scheme's band (P-A5: HAM-D reports both schemes)."""
    bands = {}
    for scheme in definition.band_schemes:
        band = scheme.band_for(total) if total is not None else None
        bands[scheme.name] = band.code if band else None
    return bands


def screening(definition: Definition, total: int | None) -> list[dict[str, object]]:
    return [
        {
            "name": cutoff.name,
            "at_least": cutoff.at_least,
            "positive": None if total is None else total >= cutoff.at_least,
            "status": cutoff.status.value,
        }
        for cutoff in definition.cutoffs
    ]
