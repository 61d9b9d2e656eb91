"""Golden vectors whose ``expect`` is matched as a subset of a whole JSON result (history, staging).

Cases live in one file per topic under tests/fixtures/golden/<folder>/, each with its source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

GOLDEN_DIR = Path(__file__).parent / "fixtures" / "golden"


def subset_cases(folder: str, filename: str) -> list[Any]:
    """Each case as a pytest param with its id; every case must name its source."""
    document = json.loads((GOLDEN_DIR / folder / filename).read_text(encoding="utf-8"))
    cases = document["cases"]
    for case in cases:
        assert case.get("source"), f"golden case {case.get('id')} has no source"
    return [pytest.param(case, id=case["id"]) for case in cases]


def assert_subset(expected: Any, actual: Any, path: str = "$") -> None:
    """Every key in ``expected`` has the same value in ``actual``; lists match element-wise."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key}: missing"
            assert_subset(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), f"{path}: {len(actual)} items, not {len(expected)}"
        for i, (want, got) in enumerate(zip(expected, actual, strict=True)):
            assert_subset(want, got, f"{path}[{i}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
