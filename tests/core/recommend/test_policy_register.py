"""The options engine's policy list and the policy register (docs/clinical-policies.md) name the
same next-step policies, in the same order: a new ``### P-O<n>`` heading without its entry in
``engine.POLICIES`` (or an entry without its heading) fails here."""

from __future__ import annotations

import re
from pathlib import Path

from trdnav.core.recommend.engine import POLICIES

REGISTER = Path(__file__).resolve().parents[3] / "docs" / "clinical-policies.md"


def _register() -> str:
    return REGISTER.read_text(encoding="utf-8")


def test_every_next_step_policy_of_the_register_is_applied_and_no_other() -> None:
    headings = re.findall(r"^### (P-O\d+) — ", _register(), flags=re.MULTILINE)
    assert headings, "no P-O headings found: has the register moved?"
    assert list(POLICIES) == headings


def test_every_next_step_policy_the_register_mentions_has_its_heading() -> None:
    mentioned = set(re.findall(r"\bP-O\d+\b", _register()))
    assert mentioned <= set(POLICIES), sorted(mentioned - set(POLICIES))
