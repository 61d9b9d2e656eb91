"""Therapy-specific readers: sourced facts, evidence gaps and their status markers.

The generic readers (text, flag, lists, tables) are in ``trdnav.core.knowledge.fields``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.knowledge import fields
from trdnav.core.knowledge.loader import Status
from trdnav.core.knowledge.therapies.schema import Entry, Fact, Gap

Sources = Mapping[str, str]
_UNVERIFIED_MARKERS = ("from memory", "not captured", "assessment")


def items(raw: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = raw.get(key)
    if not isinstance(value, list) or not value:
        raise fields.fail(
            f"{where}.{key}",
            "must be a non-empty list (use a gap entry where the evidence is silent)",
        )
    return value


def status_of(raw: Mapping[str, Any], where: str) -> Status:
    status = fields.status(raw, where)
    marker = fields.text(raw, "marker", where)
    # The marker is the evidence file's own tag; a from-memory fact may never pass as verified.
    if status is Status.VERIFIED and marker.startswith(_UNVERIFIED_MARKERS):
        raise fields.fail(f"{where}.status", f"marker {marker!r} cannot be verified")
    return status


def fact(raw: Any, where: str, sources: Sources, text_key: str = "text") -> Fact:
    body = fields.as_table(raw, where)
    key = fields.text(body, "source", where)
    if key not in sources:
        raise fields.fail(f"{where}.source", f"unknown source key {key!r}")
    return Fact(
        text=fields.text(body, text_key, where),
        source=key,
        citation=sources[key],
        status=status_of(body, where),
        marker=fields.text(body, "marker", where),
    )


def entry(raw: Any, where: str, sources: Sources) -> Entry:
    body = fields.as_table(raw, where)
    if "gap" in body:
        return Gap(fields.text(body, "gap", where))
    return fact(body, where, sources)


def entries(raw: Mapping[str, Any], key: str, where: str, sources: Sources) -> tuple[Entry, ...]:
    values = items(raw, key, where)
    return tuple(entry(v, f"{where}.{key}[{i}]", sources) for i, v in enumerate(values))
