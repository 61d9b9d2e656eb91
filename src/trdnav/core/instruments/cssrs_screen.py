"""C-SSRS screen: clinician-entered yes/no answers in, triage out (Part A7).

Input: ``{"q1": bool, …, "q6": bool, "q6_past_3_months": bool or null, "version": …}``; null or
absent = not asked. There is no total score. A rejected form (a wrong type, an unknown key) still
reports the risk its valid answers show (spec §0 rule 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.errors import FieldError
from trdnav.core.instruments.answers import check_object, shown
from trdnav.core.instruments.cssrs_triage import CODE, SINCE_LAST_CONTACT, rules, triage
from trdnav.core.instruments.definition import Definition
from trdnav.core.instruments.loader import load_definition
from trdnav.core.instruments.result import Priority, Safety, ScoreResult
from trdnav.core.knowledge import fields


def score(answers: Mapping[str, Any]) -> ScoreResult:
    definition = load_definition(CODE)
    values, version, errors = _read(definition, answers)
    found = triage(values, version)
    risk = found.risk()
    return ScoreResult(
        instrument=CODE,
        valid=not errors and not found.missing,
        rejected=bool(errors),
        total=None,
        severity=None,
        severity_scheme=None,
        safety=_safety(risk),
        safety_priority=Priority.HIGH if risk == "high" else None,
        errors=tuple(errors),
        missing=tuple(found.missing),
        details={
            "risk": risk,
            "version": version,
            "review_required": found.review_required,
            "warnings": found.warnings,
        },
        policies=definition.policies,
        definition_version=definition.provenance.version,
    )


def _safety(risk: str | None) -> Safety:
    if risk is None:
        return Safety.UNKNOWN
    return Safety.NEGATIVE if risk == "none" else Safety.POSITIVE


def _versions(definition: Definition) -> tuple[str, tuple[str, ...]]:
    where = "instruments/cssrs_screen.toml [algorithm.versions]"
    spec = fields.table(definition.algorithm, "versions", where)
    return fields.text(spec, "default", where), fields.texts(spec, "allowed", where)


def _read(
    definition: Definition, answers: Mapping[str, Any]
) -> tuple[dict[str, bool | None], str, list[FieldError]]:
    keys = [item.key for item in definition.items]
    errors = check_object(answers, [*keys, "version"])
    default, allowed = _versions(definition)
    if not isinstance(answers, Mapping):
        return {}, default, errors
    version = answers.get("version", default)
    if version not in allowed:
        errors.append(
            FieldError("version", f"must be one of {', '.join(allowed)}; got {shown(version)}")
        )
        version = default
    values: dict[str, bool | None] = {}
    for item in definition.items:
        value = answers.get(item.key)
        if value is None or isinstance(value, bool):
            values[item.key] = value
        else:
            errors.append(
                FieldError(item.key, f"must be {item.answers.describe()}; got {shown(value)}")
            )
    recent = rules().behaviour_recent
    if version == SINCE_LAST_CONTACT and values.get(recent) is not None:
        errors.append(
            FieldError(recent, "not part of the since-last-contact version; must be null")
        )
    return values, str(version), errors
