"""Session values: each typed against its field spec, and figures formatted for messages.

A value of the wrong type or out of range is a ``ProtocolError`` naming the field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from fractions import Fraction
from typing import Any

from trdnav.core.protocols.model import FieldSpec, Protocol, ProtocolError

DECIMALS = 2  # shown in messages (the checks themselves compare exact fractions)


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_values(protocol: Protocol, values: Mapping[str, Any]) -> dict[str, Any]:
    """The session's values, typed; a ProtocolError names the first unusable field."""
    if not isinstance(values, Mapping):
        raise ProtocolError("values", "must be an object of field names and values")
    allowed = [f.name for f in protocol.session_fields]
    clean: dict[str, Any] = {}
    for name, value in values.items():
        spec = protocol.field_spec(str(name))
        if spec is None:
            raise ProtocolError(
                str(name),
                f"is not a field of {protocol.id}; allowed fields: {', '.join(allowed)}",
            )
        clean[spec.name] = None if is_missing(value) else _typed(spec, value)
    return clean


def typed_value(spec: FieldSpec, value: Any) -> Any:
    """One value checked against its field spec (a ProtocolError names the field)."""
    return _typed(spec, value)


def _typed(spec: FieldSpec, value: Any) -> Any:
    kind = spec.kind
    if kind in ("number", "minutes", "integer"):
        return _number(spec, value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ProtocolError(spec.name, "must be true or false")
        return value
    if kind == "datetime":
        return _datetime(spec, value)
    if not isinstance(value, str):
        raise ProtocolError(spec.name, "must be text")
    if kind == "choice" and value not in spec.choices:
        raise ProtocolError(spec.name, f"must be one of {', '.join(spec.choices)}; got {value!r}")
    return value


def _number(spec: FieldSpec, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProtocolError(spec.name, f"must be a {_kind_word(spec)}")
    number: int | float = value
    if spec.kind == "integer":
        if isinstance(value, float) and not value.is_integer():
            raise ProtocolError(spec.name, "must be a whole number")
        number = int(value)
    if spec.kind == "minutes" and number < 0:
        raise ProtocolError(spec.name, "must be a number of minutes, not negative")
    low, high = spec.min_value, spec.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise ProtocolError(spec.name, f"{_range_words(low, high, spec.unit)}; got {_fmt(number)}")
    return number


def _range_words(low: float | None, high: float | None, unit: str) -> str:
    unit = f" {unit}" if unit else ""
    if low is None:
        return f"must be at most {_fmt(high)}{unit}"
    if high is None:
        return f"must be at least {_fmt(low)}{unit}"
    return f"must be from {_fmt(low)} to {_fmt(high)}{unit}"


def _kind_word(spec: FieldSpec) -> str:
    return {"integer": "whole number", "minutes": "number of minutes"}.get(spec.kind, "number")


def _datetime(spec: FieldSpec, value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ProtocolError(spec.name, "must be a date and time as YYYY-MM-DDTHH:MM")


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(round(value, DECIMALS))
    if isinstance(value, Fraction):
        return _fmt(float(value))
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return str(value)
