"""JSON documents for the command line and the API: a session to check, a course to evaluate.

Every problem is an ``InvalidInput`` naming the field (``context.weight_kg``, ``scores[2].on``).

A session document is ``{"values": {...}, "context": {...}}``; a document without ``values``
is taken as the values themselves (no context). The context keys are those of
``SessionContext``: ``weight_kg``, ``age_years``, ``session_number``, ``previous_sessions`` and
``clinic_settings``, all optional.

A course document is ``{"protocol", "baseline", "scores": [{"on", "score"}], "start",
"sessions_done", "as_of"}`` with ``instrument`` optional (the protocol's primary instrument).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.protocols.load import get_protocol
from trdnav.core.protocols.model import SessionContext

MAX_AGE_YEARS = 130
MAX_WEIGHT_KG = 500


def _object(raw: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidInput.single(field, "must be a JSON object")
    return raw


def _unknown_keys(raw: Mapping[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise InvalidInput(
            [
                FieldError(f"{prefix}{key}", f"is not allowed; allowed: {', '.join(allowed)}")
                for key in unknown
            ]
        )


def _or_empty(raw: Mapping[str, Any], key: str, empty: Any) -> Any:
    """The value, or ``empty`` when the key is absent or null (a wrong type stays wrong)."""
    value = raw.get(key)
    return empty if value is None else value


def _whole(raw: Mapping[str, Any], key: str, field: str, low: int, high: int | None) -> int:
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput.single(field, "must be a whole number")
    if value < low or (high is not None and value > high):
        bound = f"at least {low}" if high is None else f"from {low} to {high}"
        raise InvalidInput.single(field, f"must be {bound}")
    return value


def _date(value: Any, field: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput.single(field, "must be a date YYYY-MM-DD")


@dataclass(frozen=True)
class SessionInput:
    values: Mapping[str, Any]
    context: SessionContext


SESSION_KEYS = ("values", "context")
CONTEXT_KEYS = ("weight_kg", "age_years", "session_number", "previous_sessions", "clinic_settings")


def parse_session_input(raw: Any) -> SessionInput:
    document = _object(raw, "input")
    if "values" not in document:
        return SessionInput(document, SessionContext())
    _unknown_keys(document, SESSION_KEYS, "")
    values = _object(document["values"], "values")
    context = _object(_or_empty(document, "context", {}), "context")
    _unknown_keys(context, CONTEXT_KEYS, "context.")
    return SessionInput(values, _context(context))


def _context(raw: Mapping[str, Any]) -> SessionContext:
    weight = raw.get("weight_kg")
    if weight is not None and (
        isinstance(weight, bool)
        or not isinstance(weight, int | float)
        or not math.isfinite(weight)
        or not 0 < weight <= MAX_WEIGHT_KG
    ):
        raise InvalidInput.single(
            "context.weight_kg", f"must be a positive number of kilograms, at most {MAX_WEIGHT_KG}"
        )
    age = None
    if raw.get("age_years") is not None:
        age = _whole(raw, "age_years", "context.age_years", 0, MAX_AGE_YEARS)
    number = 1
    if raw.get("session_number") is not None:
        number = _whole(raw, "session_number", "context.session_number", 1, None)
    previous = _or_empty(raw, "previous_sessions", [])
    if not isinstance(previous, list):
        raise InvalidInput.single("context.previous_sessions", "must be a list of objects")
    for i, session in enumerate(previous):
        _object(session, f"context.previous_sessions[{i}]")
    settings = _object(_or_empty(raw, "clinic_settings", {}), "context.clinic_settings")
    return SessionContext(
        weight_kg=None if weight is None else float(weight),
        age_years=age,
        session_number=number,
        previous_sessions=tuple(previous),
        clinic_settings=settings,
    )


@dataclass(frozen=True)
class CourseInput:
    protocol: str
    instrument: str
    baseline: int
    scores: tuple[tuple[date, int], ...]
    start: date
    sessions_done: int
    as_of: date


COURSE_KEYS = (
    "protocol",
    "instrument",
    "baseline",
    "scores",
    "start",
    "sessions_done",
    "as_of",
)


def parse_course_input(raw: Any, *, as_of: date | None = None) -> CourseInput:
    """A course document; ``as_of`` is used when the document has none."""
    document = _object(raw, "input")
    _unknown_keys(document, COURSE_KEYS, "")
    missing = [k for k in ("protocol", "baseline", "start", "sessions_done") if k not in document]
    if missing:
        raise InvalidInput([FieldError(k, "is required") for k in missing])
    if not isinstance(document["protocol"], str):
        raise InvalidInput.single("protocol", "must be a protocol id")
    protocol = get_protocol(document["protocol"])
    instrument = document.get("instrument", protocol.primary_instrument)
    if not isinstance(instrument, str):
        raise InvalidInput.single("instrument", "must be an instrument code")
    baseline = document["baseline"]
    if isinstance(baseline, bool) or not isinstance(baseline, int):
        raise InvalidInput.single("baseline", "must be a whole-number total")
    scores_raw = document.get("scores", [])
    if not isinstance(scores_raw, list):
        raise InvalidInput.single("scores", "must be a list of {on, score}")
    scores = []
    for i, item in enumerate(scores_raw):
        entry = _object(item, f"scores[{i}]")
        _unknown_keys(entry, ("on", "score"), f"scores[{i}].")
        score = entry.get("score")
        if isinstance(score, bool) or not isinstance(score, int):
            raise InvalidInput.single(f"scores[{i}].score", "must be a whole-number total")
        scores.append((_date(entry.get("on"), f"scores[{i}].on"), score))
    given_as_of = document.get("as_of")
    when = _date(given_as_of, "as_of") if given_as_of is not None else as_of
    if when is None:
        raise InvalidInput.single("as_of", "is required")
    return CourseInput(
        protocol=protocol.id,
        instrument=instrument,
        baseline=baseline,
        scores=tuple(scores),
        start=_date(document["start"], "start"),
        sessions_done=_whole(document, "sessions_done", "sessions_done", 0, None),
        as_of=when,
    )
