"""Typed access to parsed TOML tables: each reader names the offending key when the schema breaks.

Knowledge files are reviewed like code, so a schema error is a ``KnowledgeBaseError`` (a bug in the
data), never an ``InvalidInput`` (a person's mistake).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge import Status

Table = Mapping[str, Any]


def table(raw: Table, key: str, where: str) -> Table:
    value = raw.get(key)
    if not isinstance(value, Mapping):
        raise KnowledgeBaseError(f"{where}: [{key}] must be a table")
    return value


def optional_table(raw: Table, key: str, where: str) -> Table | None:
    return table(raw, key, where) if key in raw else None


def tables(raw: Table, key: str, where: str) -> list[Table]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise KnowledgeBaseError(f"{where}: {key} must be an array of tables")
    return value


def text(raw: Table, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise KnowledgeBaseError(f"{where}: {key} must be a non-empty string")
    return value


def optional_text(raw: Table, key: str, where: str) -> str | None:
    return text(raw, key, where) if key in raw else None


def integer(raw: Table, key: str, where: str) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise KnowledgeBaseError(f"{where}: {key} must be an integer")
    return value


def optional_integer(raw: Table, key: str, where: str) -> int | None:
    return integer(raw, key, where) if key in raw else None


def flag(raw: Table, key: str, where: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise KnowledgeBaseError(f"{where}: {key} must be true or false")
    return value


def integers(raw: Table, key: str, where: str) -> tuple[int, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise KnowledgeBaseError(f"{where}: {key} must be an array of integers")
    return tuple(value)


def texts(raw: Table, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeBaseError(f"{where}: {key} must be an array of strings")
    return tuple(value)


def status(raw: Table, where: str, default: Status | None = None) -> Status:
    """A sub-table's own ``status``; required unless the caller supplies the file's status."""
    if "status" not in raw and default is not None:
        return default
    try:
        return Status(text(raw, "status", where))
    except ValueError:
        raise KnowledgeBaseError(f"{where}: status must be verified or unverified") from None
