"""CADSS (23-item subjective form): raw total 0–92 and the CADSS-6 sub-total 0–24 (Part A8).

No severity bands and no cut-off exist. The CADSS-6 sub-total (items 1, 2, 6, 7, 15, 22) is
reported whenever its six items are answered, even if another item is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from trdnav.core.instruments.answers import Values
from trdnav.core.instruments.definition import Definition
from trdnav.core.instruments.engine import score_form
from trdnav.core.instruments.loader import load_definition
from trdnav.core.instruments.result import ScoreResult
from trdnav.core.knowledge import fields

CODE = "cadss"


def score(answers: Mapping[str, Any]) -> ScoreResult:
    return score_form(load_definition(CODE), answers, details=_details)


@cache
def cadss6_items() -> tuple[int, ...]:
    where = "instruments/cadss.toml [algorithm.cadss6]"
    return fields.integers(
        fields.table(load_definition(CODE).algorithm, "cadss6", where), "items", where
    )


def _details(
    definition: Definition, answered: Values | None, total: int | None
) -> dict[str, object]:
    if answered is None:
        return {"cadss6_total": None}
    six = [answered[n - 1] for n in cadss6_items()]
    return {"cadss6_total": sum(v for v in six if v is not None) if None not in six else None}
