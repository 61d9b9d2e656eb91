"""Editing the treatment-history JSON document one episode or treatment at a time.

Pure functions on plain dicts: each returns a new document and never changes its input, so a
refused save leaves nothing half-changed. Whether the result is a valid history is the core's
decision (``parse_history``), made by the caller on the whole document.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput

Doc = dict[str, Any]
_PATH = re.compile(r"^(?P<section>episodes|treatments)\[(?P<index>\d+)\](?:\.(?P<rest>.+))?$")


def revision(doc: Mapping[str, Any] | None) -> str:
    """A short fingerprint of the document, to notice that someone else changed it meanwhile."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _copy(doc: Mapping[str, Any] | None) -> Doc:
    base: Doc = copy.deepcopy(dict(doc)) if doc else {"episodes": []}
    base.setdefault("episodes", [])
    base.setdefault("treatments", [])
    return base


def new_id(base: str, taken: Iterable[str]) -> str:
    """A readable id from ``base`` (``sertraline``, ``sertraline-2``…) not already taken."""
    stem = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "item"
    used = set(taken)
    candidate, n = stem, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def ids(doc: Mapping[str, Any] | None, section: str) -> list[str]:
    items = (doc or {}).get(section) or []
    return [str(item.get("id")) for item in items if isinstance(item, Mapping)]


def item(doc: Mapping[str, Any] | None, section: str, index: int) -> dict[str, Any] | None:
    items = (doc or {}).get(section) or []
    if 0 <= index < len(items) and isinstance(items[index], Mapping):
        return dict(items[index])
    return None


def put(doc: Mapping[str, Any] | None, section: str, value: Doc, index: int | None) -> Doc:
    """The document with ``value`` appended (``index`` None) or replacing item ``index``."""
    result = _copy(doc)
    if index is None:
        result[section].append(value)
    else:
        result[section][index] = value
    return result


def remove_episode(doc: Mapping[str, Any] | None, index: int) -> Doc | None:
    """Without episode ``index``; refused while treatments belong to it. None when empty."""
    result = _copy(doc)
    episode_id = result["episodes"][index].get("id")
    owned = [t for t in result["treatments"] if t.get("episode") == episode_id]
    if owned:
        raise InvalidInput.single(
            "episode",
            f"{len(owned)} treatment(s) belong to this episode: remove them or move them to "
            "another episode first",
        )
    del result["episodes"][index]
    if result.get("current_episode") == episode_id:
        del result["current_episode"]
    return result if result["episodes"] else None


def remove_treatment(doc: Mapping[str, Any] | None, index: int) -> Doc:
    """Without treatment ``index``; refused while another treatment refers to it."""
    result = _copy(doc)
    treatment_id = result["treatments"][index].get("id")
    refs = [t.get("id") for t in result["treatments"] if treatment_id in _refs(t)]
    if refs:
        names = ", ".join(repr(r) for r in refs)
        raise InvalidInput.single(
            "treatment", f"{names} refer(s) to this treatment (with/augments): change it first"
        )
    del result["treatments"][index]
    return result


def _refs(treatment: Mapping[str, Any]) -> tuple[Any, ...]:
    return (treatment.get("with"), treatment.get("augments"))


@dataclass
class SplitErrors:
    """A save's errors: those about the item being edited (by its own sub-path) and the rest."""

    mine: dict[str, list[str]] = field(default_factory=dict)
    others: list[FieldError] = field(default_factory=list)


def split_errors(errors: Sequence[FieldError], section: str, index: int | None) -> SplitErrors:
    """``treatments[2].doses[0].mg_per_day`` → ``mine["doses[0].mg_per_day"]`` when editing
    treatment 2; anything about another item or the whole document goes to ``others``."""
    split = SplitErrors()
    for error in errors:
        match = _PATH.match(error.field)
        if match and match["section"] == section and int(match["index"]) == index:
            split.mine.setdefault(match["rest"] or "", []).append(error.message)
        else:
            split.others.append(error)
    return split
