"""Small builders for persona histories (the history JSON of docs/history-schema.md)."""

from __future__ import annotations

from typing import Any


def drug(
    tid: str,
    name: str,
    start: str,
    end: str | None,
    doses: list[tuple[str, float]],
    **extra: Any,
) -> dict[str, Any]:
    """An antidepressant trial; ``doses`` are (from, mg/day) steps."""
    return {
        "id": tid,
        "episode": extra.pop("episode", "current"),
        "kind": "antidepressant",
        "drug": name,
        "start": start,
        "end": end,
        "doses": [{"from": day, "mg_per_day": mg} for day, mg in doses],
        **extra,
    }


def augment(
    tid: str, agent: str, base: str, start: str, end: str | None, mg: float, **extra: Any
) -> dict[str, Any]:
    return {
        "id": tid,
        "episode": "current",
        "kind": "augmentation",
        "agent": agent,
        "augments": base,
        "start": start,
        "end": end,
        "doses": [{"from": start, "mg_per_day": mg}],
        **extra,
    }


def course(tid: str, kind: str, start: str, end: str | None, **extra: Any) -> dict[str, Any]:
    return {"id": tid, "episode": "current", "kind": kind, "start": start, "end": end, **extra}
