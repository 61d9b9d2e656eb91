"""The patient description the options engine reads, and ``parse_patient`` for its JSON form.

JSON: ``{"age", "date_of_birth", "facts": [codes or {"code", "on", "trimester"}],
"absent_facts": [codes], "history": {...}, "medications": [names or {"name", "stopped_on"}],
"preferences": [codes], "offered": [therapy ids]}``; every key is optional. Fact and
preference codes come from ``data/recommend/vocabulary.toml``; unknown ones are refused with
the list of known codes. A fact neither present nor absent is unknown; a missing or null
``medications`` means not recorded (unknown), ``[]`` means none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from trdnav.core.errors import FieldError, InvalidInput, UnknownCode
from trdnav.core.knowledge.therapies import TherapyKnowledge, load_therapies
from trdnav.core.medications import MedicationEntry, parse_medications
from trdnav.core.recommend.fact_input import FactEntry, iso_date, parse_absent, parse_facts
from trdnav.core.recommend.history_adapter import check_history

T = TypeVar("T")
ALLOWED_KEYS = (
    "age",
    "date_of_birth",
    "facts",
    "absent_facts",
    "history",
    "medications",
    "preferences",
    "offered",
)
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
    date_of_birth: date | None = None
    absent_facts: frozenset[str] = frozenset()
    fact_entries: tuple[FactEntry, ...] = ()
    medication_entries: tuple[MedicationEntry, ...] = ()
    medications_recorded: bool = False

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day``: from the date of birth when given, else ``age``."""
        if self.date_of_birth is None:
            return self.age
        return years_between(self.date_of_birth, day)


def years_between(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


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


def _date_of_birth(raw: Any, as_of: date | None) -> date | None:
    if raw is None:
        return None
    errors: list[FieldError] = []
    born = iso_date(raw, "date_of_birth", errors)
    if born is None:
        raise InvalidInput(errors)
    if as_of is not None and not 0 <= years_between(born, as_of) <= MAX_AGE:
        raise InvalidInput.single("date_of_birth", f"gives an age outside 0 to {MAX_AGE}")
    return born


def _agreeing_age(age: int | None, born: date | None, as_of: date | None) -> InvalidInput | None:
    if age is None or born is None or as_of is None or years_between(born, as_of) == age:
        return None
    implied = years_between(born, as_of)
    return InvalidInput.single(
        "age", f"is {age} but date_of_birth gives {implied} on {as_of.isoformat()}"
    )


def _medications(raw: Any, as_of: date | None) -> tuple[MedicationEntry, ...] | None:
    """The list (None = not recorded); with ``as_of``, no stop date may be after it."""
    entries = parse_medications(raw)
    late = [
        FieldError(
            f"medications[{i}].stopped_on",
            f"is after the decision date {as_of.isoformat()}",
        )
        for i, entry in enumerate(entries or ())
        if as_of is not None and entry.stopped_on is not None and entry.stopped_on > as_of
    ]
    if late:
        raise InvalidInput(late)
    return entries


def _history(raw: Any) -> Mapping[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InvalidInput.single("history", "must be an object (see docs/history-schema.md)")
    check_history(raw)
    return raw


def parse_patient(
    raw: Any, knowledge: TherapyKnowledge | None = None, *, as_of: date | None = None
) -> PatientProfile:
    """Validate the patient JSON; raises InvalidInput / UnknownCode naming every wrong field.

    With ``as_of`` the dates are checked against the decision date too (age and date of birth
    agree; no event after it).
    """
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
    born = _collecting(caught, lambda v: _date_of_birth(v, as_of), raw.get("date_of_birth"))
    disagreement = _agreeing_age(age, born, as_of)
    caught += [disagreement] if disagreement else []
    entries, fact_errors = parse_facts(raw.get("facts"), vocab, as_of)
    present = frozenset(e.code for e in entries)
    absent, absent_errors = parse_absent(raw.get("absent_facts"), vocab, present)
    caught += fact_errors + absent_errors
    preferences = codes("preferences", list(vocab.preferences))
    medications = _collecting(caught, lambda v: _medications(v, as_of), raw.get("medications"))
    history = _collecting(caught, _history, raw.get("history"))
    offered = None if raw.get("offered") is None else codes("offered", list(knowledge.therapies))
    _raise_together(caught)
    return PatientProfile(
        age=age,
        facts=present,
        preferences=preferences or frozenset(),
        medications=tuple(m.name for m in medications or ()),
        history=history,
        offered=offered,
        date_of_birth=born,
        absent_facts=absent,
        fact_entries=entries,
        medication_entries=medications or (),
        medications_recorded=raw.get("medications") is not None,
    )
