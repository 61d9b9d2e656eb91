"""The ``medications`` list of the patient JSON: generic names or ``{"name", "stopped_on"}``.

``None`` (key missing or null) means the list was **not recorded**, which makes every rule on
medication classes unknown; ``[]`` means the patient takes none. The signature matches the
medication module's ``parse_medications`` (``trdnav.core.medications``), so either can be used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput

ENTRY_KEYS = ("name", "stopped_on")


@dataclass(frozen=True)
class MedicationEntry:
    name: str
    stopped_on: date | None = None

    def to_json(self) -> str | dict[str, str]:
        if self.stopped_on is None:
            return self.name
        return {"name": self.name, "stopped_on": self.stopped_on.isoformat()}


def iso_date(raw: Any, field: str, errors: list[FieldError]) -> date | None:
    """An ISO date (``YYYY-MM-DD``), or a field error appended to ``errors``."""
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    errors.append(FieldError(field, "must be a date written YYYY-MM-DD"))
    return None


def _entry(raw: Any, field: str, errors: list[FieldError]) -> MedicationEntry | None:
    if isinstance(raw, str) and raw.strip():
        return MedicationEntry(raw.strip().lower())
    if not isinstance(raw, dict):
        errors.append(FieldError(field, 'must be a generic name or {"name", "stopped_on"}'))
        return None
    unknown = sorted(set(raw) - set(ENTRY_KEYS))
    errors += [
        FieldError(f"{field}.{k}", "unknown key; allowed: name, stopped_on") for k in unknown
    ]
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(FieldError(f"{field}.name", "must be a generic drug name (text)"))
    stopped = raw.get("stopped_on")
    stopped_on = None if stopped is None else iso_date(stopped, f"{field}.stopped_on", errors)
    if not isinstance(name, str) or not name.strip():
        return None
    return MedicationEntry(name.strip().lower(), stopped_on)


def parse_medications(raw: Any, field: str = "medications") -> tuple[MedicationEntry, ...] | None:
    """The entries, or ``None`` when not recorded; raises InvalidInput naming ``medications[i]``."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise InvalidInput.single(field, "must be a list of generic drug names or objects")
    errors: list[FieldError] = []
    entries = [_entry(item, f"{field}[{i}]", errors) for i, item in enumerate(raw)]
    if errors:
        raise InvalidInput(errors)
    return tuple(e for e in entries if e is not None)
