"""Reading one JSON document from untrusted text, within the limits of ``trdnav.core.limits``.

``load_json`` never lets the interpreter's own limits surface as a crash: nesting deeper than
``MAX_JSON_DEPTH``, integers longer than ``MAX_INT_DIGITS``, NaN or infinity, NUL characters and
unpaired surrogates, and documents over ``MAX_JSON_BYTES`` are all refused with an
``InvalidInput`` naming the field (``input`` for the document, or the path inside it).
``check_json_value`` applies the same checks to a document that was already parsed elsewhere
(an API body).
"""

from __future__ import annotations

import json
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.limits import (
    MAX_INT_DIGITS,
    MAX_JSON_BYTES,
    MAX_JSON_DEPTH,
    problem_in_text,
)

_INT_CEILING = 10**MAX_INT_DIGITS


class _Refused(ValueError):
    """Raised from inside the decoder's hooks; turned into an InvalidInput."""


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(f"has a number longer than {MAX_INT_DIGITS} digits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused("has a number too large to represent")
    return value


def _constant(text: str) -> float:
    raise _Refused(f"has {text}, which is not a number JSON allows")


def _depth_of(text: str) -> int:
    """The deepest nesting of ``[``/``{`` outside strings, scanning the text once."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def load_json(text: str | bytes, *, field: str = "input") -> Any:
    """One JSON document from ``text``; ``InvalidInput`` on ``field`` when it cannot be used."""
    if isinstance(text, bytes):
        if len(text) > MAX_JSON_BYTES:
            raise InvalidInput.single(field, _too_big())
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput.single(field, "is not UTF-8 text") from None
    if len(text) > MAX_JSON_BYTES:
        raise InvalidInput.single(field, _too_big())
    if _depth_of(text) > MAX_JSON_DEPTH:
        raise InvalidInput.single(field, f"is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except _Refused as exc:
        raise InvalidInput.single(field, str(exc)) from None
    except json.JSONDecodeError as exc:
        message = f"is not valid JSON: {exc.msg} at line {exc.lineno}"
        raise InvalidInput.single(field, message) from None
    except (ValueError, RecursionError):
        raise InvalidInput.single(field, "is not usable JSON") from None
    check_json_value(value, field=field)
    return value


def _too_big() -> str:
    return f"is larger than {MAX_JSON_BYTES:,} bytes"


def json_problems(value: Any, *, root: str = "input") -> list[FieldError]:
    """Every string (key or value) that cannot be stored, and numbers or nesting beyond the
    limits, in an already parsed document; paths such as ``treatments[2].notes`` (``root``
    names the document itself)."""
    errors: list[FieldError] = []
    # Iterative, so that a deep document cannot exhaust the interpreter's stack here either.
    pending: list[tuple[Any, str, int]] = [(value, "", 0)]
    while pending:
        item, at, depth = pending.pop()
        where = at or root
        if depth > MAX_JSON_DEPTH:
            errors.append(FieldError(where, f"is nested more than {MAX_JSON_DEPTH} levels deep"))
            continue
        if isinstance(item, str):
            problem = problem_in_text(item)
            if problem:
                errors.append(FieldError(where, problem))
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if abs(item) >= _INT_CEILING:
                errors.append(FieldError(where, f"is longer than {MAX_INT_DIGITS} digits"))
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                errors.append(FieldError(where, "must be a finite number"))
        elif isinstance(item, dict):
            for key, child in item.items():
                key_text = str(key)
                problem = problem_in_text(key_text)
                if problem:
                    errors.append(FieldError(where, f"has a key that {problem}"))
                    continue
                pending.append((child, f"{at}.{key_text}" if at else key_text, depth + 1))
        elif isinstance(item, list | tuple):
            for i, child in enumerate(item):
                pending.append((child, f"{at}[{i}]", depth + 1))
    return sorted(errors, key=lambda e: e.field)


def check_json_value(value: Any, *, field: str = "input") -> None:
    """``InvalidInput`` listing ``json_problems`` of ``value``, if any."""
    errors = json_problems(value, root=field)
    if errors:
        raise InvalidInput(errors)
