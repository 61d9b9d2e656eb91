"""HAM-D17: total 0–52 under both named banding schemes, item 3 safety flag (Part A6).

Item 16 accepts 3 = not assessed, which scores 0 (the answer set in the data says so); all 17
items are required (P-A4); both schemes are reported by name (P-A5).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.instruments.answers import Values
from trdnav.core.instruments.definition import Definition
from trdnav.core.instruments.engine import score_form
from trdnav.core.instruments.loader import load_definition
from trdnav.core.instruments.result import ScoreResult

CODE = "hamd17"
WEIGHT_LOSS_ITEM = 16


def score(answers: Mapping[str, Any]) -> ScoreResult:
    return score_form(load_definition(CODE), answers, details=_details)


def _details(
    definition: Definition, answered: Values | None, total: int | None
) -> dict[str, object]:
    """Whether item 16 was rated 'not assessed' (and so scored 0)."""
    if answered is None:
        return {"item16_not_assessed": None}
    not_assessed = definition.item(WEIGHT_LOSS_ITEM).answers.not_assessed
    return {"item16_not_assessed": answered[WEIGHT_LOSS_ITEM - 1] == not_assessed}
