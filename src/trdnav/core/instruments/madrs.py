"""MADRS: total 0–60, Snaith 1986 bands, item 10 safety flag (Part A5, policy P-A6)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.instruments.engine import score_form
from trdnav.core.instruments.loader import load_definition
from trdnav.core.instruments.result import ScoreResult

CODE = "madrs"


def score(answers: Mapping[str, Any]) -> ScoreResult:
    """Item 10 > 0 is surfaced, ≥4 is high priority (P-A6); all ten items required (P-A1)."""
    return score_form(load_definition(CODE), answers)
