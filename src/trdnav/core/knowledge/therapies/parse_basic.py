"""Small typed readers for TOML values; each failure names the file and the key path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge.loader import Status
from trdnav.core.knowledge.therapies.schema import Entry, Fact, Gap

Sources = Mapping[str, str]
_UNVERIFIED_MARKERS = ("from memory", "not captured", "assessment")


def fail(where: str, message: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(f"{where}: {message}")


def table(raw: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise fail(where, "must be a table")
    return raw


def text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(f"{where}.{key}", "must be non-empty text")
    return value


def flag(raw: Mapping[str, Any], key: str, where: str) -> bool:
    value = raw.get(key)
    if not isinstance(value, bool):
        raise fail(f"{where}.{key}", "must be true or false")
    return value


def items(raw: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = raw.get(key)
    if not isinstance(value, list) or not value:
        raise fail(
            f"{where}.{key}",
            "must be a non-empty list (use a gap entry where the evidence is silent)",
        )
    return value


def strings(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"{where}.{key}", "must be a list of text")
    return tuple(value)


def status_of(raw: Mapping[str, Any], where: str) -> Status:
    try:
        status = Status(text(raw, "status", where))
    except ValueError:
        raise fail(f"{where}.status", "must be verified or unverified") from None
    marker = text(raw, "marker", where)
    # The marker is the evidence file's own tag; a from-memory fact may never pass as verified.
    if status is Status.VERIFIED and marker.startswith(_UNVERIFIED_MARKERS):
        raise fail(f"{where}.status", f"marker {marker!r} cannot be verified")
    return status


def fact(raw: Any, where: str, sources: Sources, text_key: str = "text") -> Fact:
    body = table(raw, where)
    key = text(body, "source", where)
    if key not in sources:
        raise fail(f"{where}.source", f"unknown source key {key!r}")
    return Fact(
        text=text(body, text_key, where),
        source=key,
        citation=sources[key],
        status=status_of(body, where),
        marker=text(body, "marker", where),
    )


def entry(raw: Any, where: str, sources: Sources) -> Entry:
    body = table(raw, where)
    if "gap" in body:
        return Gap(text(body, "gap", where))
    return fact(body, where, sources)


def entries(raw: Mapping[str, Any], key: str, where: str, sources: Sources) -> tuple[Entry, ...]:
    values = items(raw, key, where)
    return tuple(entry(v, f"{where}.{key}[{i}]", sources) for i, v in enumerate(values))
