"""PHQ-2: items 1 and 2 of the PHQ-9, total 0–6 and its screening cut-offs (Part A2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.instruments.engine import score_form
from trdnav.core.instruments.loader import load_definition
from trdnav.core.instruments.result import ScoreResult

CODE = "phq2"


def score(answers: Mapping[str, Any]) -> ScoreResult:
    """Both items required (P-A1); screening at ≥3 (standard) and ≥2 (sensitive)."""
    return score_form(load_definition(CODE), answers)
