"""The patient description the options engine reads, and ``parse_patient`` for its JSON form.

JSON: ``{"age", "facts": [codes], "history": {...}, "medications": [...],
"preferences": [codes], "offered": [therapy ids]}``; every key is optional. Fact and
preference codes come from ``data/recommend/vocabulary.toml``; unknown ones are refused with
the list of known codes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from trdnav.core.errors import FieldError, InvalidInput, UnknownCode
from trdnav.core.knowledge.therapies import TherapyKnowledge, load_therapies
from trdnav.core.recommend.history_adapter import check_history

T = TypeVar("T")
ALLOWED_KEYS = ("age", "facts", "history", "medications", "preferences", "offered")
MAX_AGE = 120


@dataclass(frozen=True)
class PatientProfile:
    """One patient's facts, preferences, medications, history and the clinic's offer."""

    age: int | None = None
    facts: frozenset[str] = frozenset()
    preferences: frozenset[str] = frozenset()
    medications: tuple[str, ...] = ()
    history: Mapping[str, Any] | None = None
    offered: frozenset[str] | None = None


def _codes(raw: Any, field: str, known: Sequence[str]) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise InvalidInput.single(field, "must be a list of codes (text)")
    unknown = [
        UnknownCode(f"{field}[{index}]", code, known)
        for index, code in enumerate(raw)
        if code not in known
    ]
    _raise_together(unknown)
    return frozenset(raw)


def _raise_together(caught: Sequence[InvalidInput]) -> None:
    """One problem is raised as it is (e.g. ``UnknownCode``); several as one ``InvalidInput``,
    so that the caller sees every wrong field at once."""
    if len(caught) == 1:
        raise caught[0]
    if caught:
        raise InvalidInput([error for exc in caught for error in exc.errors])


def _collecting(caught: list[InvalidInput], parse: Callable[[Any], T], raw: Any) -> T | None:
    try:
        return parse(raw)
    except InvalidInput as exc:
        caught.append(exc)
        return None


def _age(raw: Any) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_AGE:
        raise InvalidInput.single("age", f"must be a whole number of years from 0 to {MAX_AGE}")
    return raw


def _medications(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(m, str) and m.strip() for m in raw):
        raise InvalidInput.single("medications", "must be a list of generic drug names (text)")
    return tuple(m.strip().lower() for m in raw)


def _history(raw: Any) -> Mapping[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InvalidInput.single("history", "must be an object (see docs/history-schema.md)")
    check_history(raw)
    return raw


def parse_patient(raw: Any, knowledge: TherapyKnowledge | None = None) -> PatientProfile:
    """Validate the patient JSON; raises InvalidInput / UnknownCode naming the field."""
    knowledge = knowledge or load_therapies()
    if not isinstance(raw, Mapping):
        raise InvalidInput.single("patient", "must be a JSON object")
    unknown = sorted(set(raw) - set(ALLOWED_KEYS))
    if unknown:
        allowed = ", ".join(ALLOWED_KEYS)
        raise InvalidInput([FieldError(k, f"unknown key; allowed: {allowed}") for k in unknown])
    vocab = knowledge.vocabulary
    caught: list[InvalidInput] = []

    def codes(field: str, known: Sequence[str]) -> frozenset[str] | None:
        return _collecting(caught, lambda value: _codes(value, field, known), raw.get(field))

    age = _collecting(caught, _age, raw.get("age"))
    facts = codes("facts", list(vocab.facts))
    preferences = codes("preferences", list(vocab.preferences))
    medications = _collecting(caught, _medications, raw.get("medications"))
    history = _collecting(caught, _history, raw.get("history"))
    offered = None if raw.get("offered") is None else codes("offered", list(knowledge.therapies))
    _raise_together(caught)
    return PatientProfile(
        age=age,
        facts=facts or frozenset(),
        preferences=preferences or frozenset(),
        medications=medications or (),
        history=history,
        offered=offered,
    )
