"""GAD-7: total 0–21 and its severity bands (Part A3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.instruments.engine import score_form
from trdnav.core.instruments.loader import load_definition
from trdnav.core.instruments.result import ScoreResult

CODE = "gad7"


def score(answers: Mapping[str, Any]) -> ScoreResult:
    """All seven items required (P-A1); the screening cut-off ≥10 is unverified."""
    return score_form(load_definition(CODE), answers)
