"""Typed readers for values in parsed knowledge-base TOML; each failure names the file and key path.

Knowledge files are reviewed like code, so a schema error is a ``KnowledgeBaseError`` (a bug in the
data), never an ``InvalidInput`` (a person's mistake). ``where`` is the file and the path to the
table being read (``"instruments/phq9.toml [outcome]"``, ``"therapies/ect.toml.efficacy[0]"``);
each reader adds the key it was asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge.loader import Status

Table = Mapping[str, Any]
_E = TypeVar("_E", bound=StrEnum)


def fail(where: str, message: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(f"{where}: {message}")


def as_table(value: Any, where: str) -> Table:
    """A value already looked up (an array element, a document) that must be a table."""
    if not isinstance(value, Mapping):
        raise fail(where, "must be a table")
    return value


def table(raw: Table, key: str, where: str) -> Table:
    value = raw.get(key)
    if not isinstance(value, Mapping):
        raise fail(where, f"[{key}] must be a table")
    return value


def optional_table(raw: Table, key: str, where: str) -> Table | None:
    return table(raw, key, where) if key in raw else None


def tables(raw: Table, key: str, where: str) -> list[Table]:
    """An array of tables; a missing key is an empty array."""
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise fail(where, f"{key} must be an array of tables")
    return value


def text(raw: Table, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(where, f"{key} must be non-empty text")
    return value


def optional_text(raw: Table, key: str, where: str) -> str | None:
    return text(raw, key, where) if key in raw else None


def integer(raw: Table, key: str, where: str) -> int:
    value = raw.get(key)
    # bool is an int subclass; ``true`` is never a count.
    if not isinstance(value, int) or isinstance(value, bool):
        raise fail(where, f"{key} must be an integer")
    return value


def optional_integer(raw: Table, key: str, where: str) -> int | None:
    return integer(raw, key, where) if key in raw else None


def number(raw: Table, key: str, where: str) -> float:
    """An integer or float, returned as a float."""
    value = raw.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise fail(where, f"{key} must be a number")
    return float(value)


def flag(raw: Table, key: str, where: str, default: bool | None = None) -> bool:
    """``true``/``false``; required unless the caller supplies a default."""
    if key not in raw and default is not None:
        return default
    value = raw.get(key)
    if not isinstance(value, bool):
        raise fail(where, f"{key} must be true or false")
    return value


def integers(raw: Table, key: str, where: str) -> tuple[int, ...]:
    """A required array of integers."""
    value = raw.get(key)
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise fail(where, f"{key} must be an array of integers")
    return tuple(value)


def texts(raw: Table, key: str, where: str, *, required: bool = False) -> tuple[str, ...]:
    """An array of strings; a missing key is an empty array unless ``required``."""
    if required and key not in raw:
        raise fail(where, f"{key} is required")
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(where, f"{key} must be an array of strings")
    return tuple(value)


def choice(raw: Table, key: str, where: str, kind: type[_E]) -> _E:
    """A text value that must be one of an enum's values."""
    value = text(raw, key, where)
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise fail(where, f"{key} has unknown value {value!r}; allowed: {allowed}") from None


def status(raw: Table, where: str, default: Status | None = None) -> Status:
    """A sub-table's own ``status``; required unless the caller supplies the file's status."""
    if "status" not in raw and default is not None:
        return default
    value = text(raw, "status", where)
    try:
        return Status(value)
    except ValueError:
        raise fail(where, "status must be verified or unverified") from None
