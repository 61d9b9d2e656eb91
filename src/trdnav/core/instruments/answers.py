"""Reading answers from the command line's / API's JSON object, never clipping (spec §0 rule 1).

Every problem becomes a ``FieldError`` whose path names the item (``items[8]`` is item 9) and
whose message says what is allowed. Valid answers are kept even when others are wrong, so the
safety item can still be reported (spec §0 rule 2).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from trdnav.core.errors import FieldError
from trdnav.core.instruments.definition import Definition, Item

Values = tuple[int | None, ...]


@dataclass(frozen=True)
class ParsedForm:
    """``answered`` holds each valid answer (None when unanswered or wrong); it is None when the
    item list itself could not be located (missing, not a list, wrong count)."""

    answered: Values | None
    errors: tuple[FieldError, ...]
    unanswered: tuple[int, ...] = ()
    extras: Mapping[str, int | None] = field(default_factory=dict)


def shown(value: object) -> str:
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def check_object(answers: object, allowed: Sequence[str]) -> list[FieldError]:
    """Errors for a non-object or for keys the instrument does not take."""
    if not isinstance(answers, Mapping):
        return [FieldError("input", f"expected a JSON object with keys: {', '.join(allowed)}")]
    return [
        FieldError(str(key), f"unknown field; allowed: {', '.join(allowed)}")
        for key in answers
        if key not in allowed
    ]


def parse_answer(item: Item, value: object, path: str) -> tuple[int | None, FieldError | None]:
    """One integer answer: None when unanswered; an error when of the wrong type or out of range."""
    if value is None:
        return None, None
    # The allowed values are worded only for an error: valid answers are the hot path.
    if isinstance(value, bool) or not isinstance(value, int):
        allowed = item.answers.describe()
        return None, FieldError(
            path, f"{_name(item)}: must be one of {allowed}; got {shown(value)}"
        )
    if not item.answers.allows(value):
        message = f"{_name(item)}: {value} is out of range; allowed: {item.answers.describe()}"
        return None, FieldError(path, message)
    return value, None


def _name(item: Item) -> str:
    return f"item {item.number}" if item.key.startswith("item") else item.key


def parse_item_list(definition: Definition, answers: object) -> ParsedForm:
    """The ``{"items": [...]}`` object of an item-based instrument."""
    extra_keys = [item.key for item in definition.extra_items]
    errors = check_object(answers, ["items", *extra_keys])
    if not isinstance(answers, Mapping):
        return ParsedForm(None, tuple(errors))
    extras, extra_errors = _extras(definition, answers)
    located = _locate_items(definition, answers.get("items"), "items" in answers)
    if isinstance(located, FieldError):
        return ParsedForm(None, (*errors, located, *extra_errors), extras=extras)
    answered: list[int | None] = []
    for item, value in zip(definition.items, located, strict=True):
        parsed, error = parse_answer(item, value, f"items[{item.number - 1}]")
        answered.append(parsed)
        errors.extend([error] if error else [])
    unanswered = tuple(n for n, v in enumerate(located, start=1) if v is None)
    return ParsedForm(tuple(answered), (*errors, *extra_errors), unanswered, extras)


def _locate_items(
    definition: Definition, value: object, present: bool
) -> list[object] | FieldError:
    count = definition.item_count
    sets = {item.answers.name for item in definition.items}
    each = definition.items[0].answers.describe() if len(sets) == 1 else "ranges differ by item"
    wanted = f"a list of {count} answers ({each})"
    if not present:
        return FieldError("items", f"required: {wanted}")
    if not isinstance(value, list):
        return FieldError("items", f"must be {wanted}; got {shown(value)}")
    if len(value) != count:
        return FieldError("items", f"expected {count} answers, got {len(value)}")
    return value


def _extras(
    definition: Definition, answers: Mapping[str, object]
) -> tuple[dict[str, int | None], list[FieldError]]:
    values: dict[str, int | None] = {}
    errors: list[FieldError] = []
    for item in definition.extra_items:
        values[item.key], error = parse_answer(item, answers.get(item.key), item.key)
        errors.extend([error] if error else [])
    return values, errors


def scored_values(definition: Definition, answered: Values) -> Values:
    """Answers as they count towards totals: a not-assessed code scores as its data says
    (HAM-D item 16: 3 → 0), or as unanswered when the data gives no score."""
    return tuple(
        _scored(item, value) for item, value in zip(definition.items, answered, strict=True)
    )


def _scored(item: Item, value: int | None) -> int | None:
    if value is not None and value == item.answers.not_assessed:
        return item.answers.not_assessed_scores
    return value
