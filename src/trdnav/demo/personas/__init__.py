"""Named patient personas with full treatment histories: the demo clinic's patients and the
fixtures every layer's tests reuse (``tests/personas.py`` imports them from here).

Each persona is a function whose docstring tells the clinical story; ``PERSONAS`` holds the
built ``Persona`` values by key. ``history`` is the history JSON of docs/history-schema.md;
``facts`` are clinical codes the options engine reads (e.g. ``psychotic_features``,
``high_suicide_risk``, ``uncontrolled_hypertension``, ``cochlear_implant``); ``absent_facts``
are the vocabulary's other facts, which the clinician checked and found absent (a fact nobody
checked is unknown, and the options that depend on it are never ``suitable``); ``as_of`` is the
date the persona's record is reviewed. The people are invented.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.demo.personas.builders import augment, course, drug
from trdnav.demo.personas.early import ben, carla, george, iris
from trdnav.demo.personas.resistant import dana, ed, farah

__all__ = ["PERSONAS", "Persona", "augment", "course", "drug"]


@dataclass(frozen=True)
class Persona:
    key: str
    name: str
    age: int
    as_of: date
    facts: tuple[str, ...]
    history: dict[str, Any]
    story: str
    absent_facts: tuple[str, ...] = ()


def checked_absent(present: tuple[str, ...]) -> tuple[str, ...]:
    """Every vocabulary fact other than ``present``: a completed pre-treatment check."""
    from trdnav.core.knowledge import load_therapies

    return tuple(sorted(set(load_therapies().vocabulary.facts) - set(present)))


def _build(story: Callable[[], dict[str, Any]]) -> Persona:
    told = story()
    return Persona(
        key=story.__name__,
        story=inspect.cleandoc(story.__doc__ or ""),
        absent_facts=checked_absent(told["facts"]),
        **told,
    )


PERSONAS: dict[str, Persona] = {
    p.key: p for p in map(_build, (dana, ben, carla, ed, farah, george, iris))
}
