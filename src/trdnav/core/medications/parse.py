"""Reads the ``medications`` list of a patient: names, or ``{"name", "stopped_on"}`` objects.

``null`` (or a missing key) means *not recorded* and returns None; ``[]`` means *none*. Every
problem is an InvalidInput naming the element, e.g. ``medications[2].stopped_on``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.medications.model import MedicationEntry

MAX_NAME_LENGTH = 120
ENTRY_KEYS = ("name", "stopped_on")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LIST_HINT = 'must be a list of drug names or {"name", "stopped_on"} objects (null = not recorded)'


def _name(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput.single(where, "must be a drug name (non-empty text)")
    name = " ".join(raw.split())
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput.single(where, f"must be at most {MAX_NAME_LENGTH} characters")
    if not name.isprintable():
        raise InvalidInput.single(where, "must not contain control characters")
    return name


def _stopped_on(raw: Any, where: str) -> date | None:
    if raw is None:
        return None
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    if not isinstance(raw, str) or not _ISO_DATE.match(raw):
        raise InvalidInput.single(where, "must be a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput.single(where, f"{raw!r} is not a real calendar date") from None


def _entry(raw: Any, where: str) -> MedicationEntry:
    if isinstance(raw, str):
        return MedicationEntry(_name(raw, where))
    if not isinstance(raw, Mapping):
        raise InvalidInput.single(where, 'must be a drug name or {"name", "stopped_on"} object')
    unknown = sorted(str(k) for k in raw if k not in ENTRY_KEYS)
    if unknown:
        allowed = ", ".join(ENTRY_KEYS)
        message = f"unknown key; allowed: {allowed}"
        raise InvalidInput([FieldError(f"{where}.{k}", message) for k in unknown])
    errors: list[FieldError] = []
    name = stopped = None
    try:
        name = _name(raw.get("name"), f"{where}.name")
    except InvalidInput as exc:
        errors.extend(exc.errors)
    try:
        stopped = _stopped_on(raw.get("stopped_on"), f"{where}.stopped_on")
    except InvalidInput as exc:
        errors.extend(exc.errors)
    if errors or name is None:
        raise InvalidInput(errors)
    return MedicationEntry(name, stopped)


def parse_medications(raw: Any, field: str = "medications") -> tuple[MedicationEntry, ...] | None:
    """The typed list, None when not recorded; InvalidInput names every bad element."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise InvalidInput.single(field, _LIST_HINT)
    entries: list[MedicationEntry] = []
    errors: list[FieldError] = []
    for i, item in enumerate(raw):
        try:
            entries.append(_entry(item, f"{field}[{i}]"))
        except InvalidInput as exc:
            errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return tuple(entries)
