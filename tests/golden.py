"""Golden vectors: hand-checked JSON cases under tests/fixtures/golden/, each with its source."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

GOLDEN_DIR = Path(__file__).parent / "fixtures" / "golden"


def golden_files(kind: str) -> list[Path]:
    return sorted((GOLDEN_DIR / kind).glob("*.json"))


def golden_cases(kind: str) -> list[Any]:
    """One pytest param per case, named "<file>: <case name>"."""
    return list(_cases(kind))


def _cases(kind: str) -> Iterator[Any]:
    for path in golden_files(kind):
        document = json.loads(path.read_text(encoding="utf-8"))
        for case in document["cases"]:
            code = case.get("instrument", document["instrument"])
            yield pytest.param(code, case, id=f"{path.stem}: {case['name']}")


def assert_matches(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> None:
    """Every expected key equals the actual value; ``errors`` entries give a field and a
    substring its message must contain."""
    for key, want in expected.items():
        if key == "errors":
            got = [(e["field"], e["message"]) for e in actual["errors"]]
            assert [field for field, _ in got] == [e["field"] for e in want], got
            for (_, message), error in zip(got, want, strict=True):
                assert error["contains"] in message, (message, error["contains"])
        else:
            assert actual[key] == want, f"{key}: {actual[key]!r} != {want!r}"
