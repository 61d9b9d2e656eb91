"""CGI-S, CGI-I and PGI-I: one rating each (Part A9).

For the CGI scales 0 means "not assessed": it is stored as missing, never as a score, so the form
is incomplete. CGI-I responder = 1 or 2 (S10); PGI-I responder ≤2 by analogy (P-A9).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.errors import FieldError
from trdnav.core.instruments.answers import check_object, parse_answer
from trdnav.core.instruments.definition import Definition
from trdnav.core.instruments.loader import load_definition
from trdnav.core.instruments.result import ScoreResult
from trdnav.core.knowledge import fields

CGI_S = "cgi_s"
CGI_I = "cgi_i"
PGI_I = "pgi_i"


def score_cgi_s(answers: Mapping[str, Any]) -> ScoreResult:
    return score_rating(load_definition(CGI_S), answers)


def score_cgi_i(answers: Mapping[str, Any]) -> ScoreResult:
    return score_rating(load_definition(CGI_I), answers)


def score_pgi_i(answers: Mapping[str, Any]) -> ScoreResult:
    return score_rating(load_definition(PGI_I), answers)


def score_rating(definition: Definition, answers: Mapping[str, Any]) -> ScoreResult:
    value, errors = _read(definition, answers)
    answer_set = definition.items[0].answers
    not_assessed = value is not None and value == answer_set.not_assessed
    total = None if errors or not_assessed else value
    option = answer_set.option(value) if value is not None and not errors else None
    rating = option.code if option else None
    rating_is_severity = bool(definition.algorithm.get("rating", {}).get("rating_is_severity"))
    return ScoreResult(
        instrument=definition.code,
        valid=total is not None,
        rejected=bool(errors),
        total=total,
        severity=rating if rating_is_severity and total is not None else None,
        severity_scheme=None,
        safety=None,
        safety_priority=None,
        errors=tuple(errors),
        missing=("score",) if not errors and total is None else (),
        details={"rating": rating, **_responder(definition, total)},
        policies=definition.policies,
        definition_version=definition.provenance.version,
    )


def _read(
    definition: Definition, answers: Mapping[str, Any]
) -> tuple[int | None, list[FieldError]]:
    errors = check_object(answers, ["score"])
    if not isinstance(answers, Mapping):
        return None, errors
    item = definition.items[0]
    if "score" not in answers:
        return None, [*errors, FieldError("score", f"required: {item.answers.describe()}")]
    value, error = parse_answer(item, answers["score"], "score")
    return value, [*errors, *([error] if error else [])]


def _responder(definition: Definition, total: int | None) -> dict[str, object]:
    where = f"instruments/{definition.code}.toml [algorithm.responder]"
    spec = fields.optional_table(definition.algorithm, "responder", where)
    if spec is None:
        return {}
    at_most = fields.integer(spec, "at_most", where)
    return {"responder": None if total is None else total <= at_most}
