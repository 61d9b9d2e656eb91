"""The ``facts`` and ``absent_facts`` of the patient JSON, checked against the vocabulary.

A fact is a code (present now) or ``{"code", "on", "trimester"}``: ``on`` dates an event of a
``dated = true`` fact, ``trimester`` (1–3) goes with ``pregnancy``. ``absent_facts`` lists codes
(or groups) assessed and found absent. Every wrong item is reported, each with its path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput, UnknownCode
from trdnav.core.knowledge.therapies.policy import Vocabulary

FACT_KEYS = ("code", "on", "trimester")
TRIMESTERS = (1, 2, 3)


def iso_date(raw: Any, field: str, errors: list[FieldError]) -> date | None:
    """An ISO date (``YYYY-MM-DD``), or a field error appended to ``errors``."""
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    errors.append(FieldError(field, "must be a date written YYYY-MM-DD"))
    return None


@dataclass(frozen=True)
class FactEntry:
    code: str
    on: date | None = None
    trimester: int | None = None

    def to_json(self) -> str | dict[str, Any]:
        if self.on is None and self.trimester is None:
            return self.code
        found: dict[str, Any] = {"code": self.code}
        if self.on is not None:
            found["on"] = self.on.isoformat()
        if self.trimester is not None:
            found["trimester"] = self.trimester
        return found


def _code(raw: Any, field: str, vocab: Vocabulary, groups: bool) -> str:
    if not isinstance(raw, str):
        raise InvalidInput.single(field, "must be a fact code (text)")
    code = vocab.aliases.get(raw, raw)
    known = [*vocab.facts, *vocab.aliases, *(vocab.groups if groups else ())]
    if code not in vocab.facts and not (groups and code in vocab.groups):
        raise UnknownCode(field, raw, known)
    return code


def _trimester(raw: Any, field: str, code: str, errors: list[FieldError]) -> int | None:
    if code != "pregnancy":
        errors.append(FieldError(field, "only pregnancy takes a trimester"))
    elif isinstance(raw, bool) or raw not in TRIMESTERS:
        errors.append(FieldError(field, "must be 1, 2 or 3"))
    else:
        return int(raw)
    return None


def _on(raw: Any, field: str, code: str, vocab: Vocabulary, as_of: date | None) -> date | None:
    errors: list[FieldError] = []
    if not vocab.facts[code].dated:
        dated = ", ".join(c for c, f in vocab.facts.items() if f.dated)
        raise InvalidInput.single(field, f"only dated facts take a date ({dated})")
    on = iso_date(raw, field, errors)
    if errors:
        raise InvalidInput(errors)
    if on is not None and as_of is not None and on > as_of:
        raise InvalidInput.single(field, f"is after the decision date {as_of.isoformat()}")
    return on


def _object(raw: dict[str, Any], field: str, vocab: Vocabulary, as_of: date | None) -> FactEntry:
    errors = [
        FieldError(f"{field}.{k}", "unknown key; allowed: code, on, trimester")
        for k in sorted(set(raw) - set(FACT_KEYS))
    ]
    code = _code(raw.get("code"), f"{field}.code", vocab, groups=False)
    on = None
    if raw.get("on") is not None:
        try:
            on = _on(raw["on"], f"{field}.on", code, vocab, as_of)
        except InvalidInput as exc:
            errors += exc.errors
    trimester = raw.get("trimester")
    tri = None if trimester is None else _trimester(trimester, f"{field}.trimester", code, errors)
    if errors:
        raise InvalidInput(errors)
    return FactEntry(code, on, tri)


def _fact(raw: Any, field: str, vocab: Vocabulary, as_of: date | None) -> FactEntry:
    if isinstance(raw, dict):
        return _object(raw, field, vocab, as_of)
    if isinstance(raw, str):
        return FactEntry(_code(raw, field, vocab, groups=False))
    raise InvalidInput.single(field, 'must be a fact code or {"code", "on", "trimester"}')


def _each(raw: Any, field: str, read: Any) -> tuple[list[Any], list[InvalidInput]]:
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [InvalidInput.single(field, "must be a list")]
    found, caught = [], []
    for index, item in enumerate(raw):
        try:
            found.append(read(item, f"{field}[{index}]"))
        except InvalidInput as exc:
            caught.append(exc)
    return found, caught


def parse_facts(
    raw: Any, vocab: Vocabulary, as_of: date | None
) -> tuple[tuple[FactEntry, ...], list[InvalidInput]]:
    found, caught = _each(raw, "facts", lambda item, f: _fact(item, f, vocab, as_of))
    return tuple(found), caught


def parse_absent(
    raw: Any, vocab: Vocabulary, present: frozenset[str]
) -> tuple[frozenset[str], list[InvalidInput]]:
    """Absent fact codes (a group stands for all its members); none may also be present."""

    def read(item: Any, field: str) -> tuple[str, ...]:
        members = vocab.members(_code(item, field, vocab, groups=True))
        clash = [m for m in members if m in present]
        if clash:
            raise InvalidInput.single(field, f"{', '.join(clash)} is also listed in facts")
        return members

    found, caught = _each(raw, "absent_facts", read)
    return frozenset(code for members in found for code in members), caught
