from __future__ import annotations

import json
from typing import Any

import pytest

from tests.golden import assert_matches, golden_cases, golden_files
from trdnav.core.instruments import INSTRUMENT_CODES, score_instrument


@pytest.mark.parametrize(("code", "case"), golden_cases("instruments"))
def test_each_golden_case_scores_as_hand_checked(code: str, case: dict[str, Any]) -> None:
    assert_matches(score_instrument(code, case["input"]).to_dict(), case["expected"])


def test_every_instrument_has_golden_vectors_and_every_case_names_its_source() -> None:
    covered = set()
    for path in golden_files("instruments"):
        document = json.loads(path.read_text(encoding="utf-8"))
        covered.add(document["instrument"])
        assert all(case["source"].strip() for case in document["cases"]), path.name
    assert covered == set(INSTRUMENT_CODES)
