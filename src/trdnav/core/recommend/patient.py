"""The patient description the options engine reads, and ``parse_patient`` for its JSON form.

JSON: ``{"age", "facts": [codes], "history": {...}, "medications": [...],
"preferences": [codes], "offered": [therapy ids]}``; every key is optional. Fact and
preference codes come from ``data/recommend/vocabulary.toml``; unknown ones are refused with
the list of known codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput, UnknownCode
from trdnav.core.knowledge.therapies import TherapyKnowledge, load_therapies
from trdnav.core.recommend.history_adapter import check_history

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
    for index, code in enumerate(raw):
        if code not in known:
            raise UnknownCode(f"{field}[{index}]", code, known)
    return frozenset(raw)


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
    offered = raw.get("offered")
    return PatientProfile(
        age=_age(raw.get("age")),
        facts=_codes(raw.get("facts"), "facts", list(vocab.facts)),
        preferences=_codes(raw.get("preferences"), "preferences", list(vocab.preferences)),
        medications=_medications(raw.get("medications")),
        history=_history(raw.get("history")),
        offered=None if offered is None else _codes(offered, "offered", list(knowledge.therapies)),
    )
