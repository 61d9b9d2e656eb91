"""Evaluating a Questionnaire's ``calculatedExpression`` with fhirpathpy, as a form filler would.

fhirpathpy has no ``ordinal()`` (LHC-Forms has it, reading the answer option's ``ordinalValue``
from ``%questionnaire``); it is supplied here with the same meaning: the ``ordinalValue`` of the
answer option whose system and code the answer carries. Within one of our Questionnaires a
system and code always carry one ordinal value, which ``ordinals`` checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import fhirpathpy
from fhirpathpy.models import models

from trdnav.interop.base import CALCULATED_EXPRESSION, ORDINAL_VALUE


def ordinals(questionnaire: Mapping[str, Any]) -> dict[tuple[str, str], Decimal]:
    found: dict[tuple[str, str], Decimal] = {}
    for item in questionnaire["item"]:
        for option in item.get("answerOption", []):
            coding = option["valueCoding"]
            for ext in option.get("extension", []):
                if ext["url"] == ORDINAL_VALUE:
                    key = (coding["system"], coding["code"])
                    value = Decimal(str(ext["valueDecimal"]))
                    assert found.setdefault(key, value) == value, f"{key} has two ordinals"
    return found


def calculated_expression(questionnaire: Mapping[str, Any]) -> str:
    for item in questionnaire["item"]:
        for ext in item.get("extension", []):
            if ext["url"] == CALCULATED_EXPRESSION:
                return str(ext["valueExpression"]["expression"])
    raise AssertionError("no calculatedExpression")


_COMPILED: dict[str, Any] = {}


def _compiled(questionnaire: Mapping[str, Any]) -> Any:
    """The parsed expression, once per Questionnaire (parsing dominates the cost)."""
    key = f"{questionnaire['url']}|{questionnaire['version']}"
    if key not in _COMPILED:
        table = ordinals(questionnaire)

        def ordinal(inputs: list[Any]) -> list[Decimal]:
            return [
                table[(c["system"], c["code"])]
                for c in inputs
                if isinstance(c, Mapping) and (c.get("system"), c.get("code")) in table
            ]

        _COMPILED[key] = fhirpathpy.compile(
            calculated_expression(questionnaire),
            models["r4"],
            {"userInvocationTable": {"ordinal": {"fn": ordinal, "arity": {0: []}}}},
        )
    return _COMPILED[key]


def evaluate_total(questionnaire: Mapping[str, Any], response: Mapping[str, Any]) -> Decimal | None:
    context = {"resource": dict(response), "questionnaire": dict(questionnaire)}
    result = _compiled(questionnaire)(dict(response), context)
    assert len(result) <= 1, result
    return Decimal(str(result[0])) if result else None
