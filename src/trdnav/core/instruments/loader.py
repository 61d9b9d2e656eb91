"""Builds a ``Definition`` from ``knowledge/data/instruments/<code>.toml`` and checks its schema.

A file may say ``extends = "<code>"`` in its ``[instrument]`` table (QIDS-C16 is the clinician twin
of QIDS-SR16): its tables are then laid over the base file's, one level deep.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.instruments.definition import (
    AnswerOption,
    AnswerSet,
    Definition,
    InputKind,
    Item,
    Respondent,
    TextFact,
)
from trdnav.core.instruments.loader_parts import (
    parse_band_schemes,
    parse_cutoffs,
    parse_loinc,
    parse_outcome,
    parse_safety,
)
from trdnav.core.knowledge import Status, fields, load_document
from trdnav.core.knowledge.loader import Provenance, parse_provenance


def instrument_path(code: str) -> str:
    return f"instruments/{code}.toml"


@cache
def load_definition(code: str) -> Definition:
    """The instrument's definition; a ``KnowledgeBaseError`` names any schema problem."""
    where = instrument_path(code)
    document = _merged_document(code)
    provenance = parse_provenance(document.get("provenance"), where)
    definition = _build(document, provenance, where)
    if definition.code != code:
        raise KnowledgeBaseError(f"{where}: instrument.code is {definition.code!r}")
    return definition


def _merged_document(code: str) -> dict[str, Any]:
    document = load_document(instrument_path(code))
    base_code = document.get("instrument", {}).get("extends")
    if base_code is None:
        return dict(document)
    merged = dict(_merged_document(str(base_code)))
    for key, value in document.items():
        base_value = merged.get(key)
        both_tables = isinstance(value, dict) and isinstance(base_value, dict)
        merged[key] = {**base_value, **value} if both_tables else value  # type: ignore[dict-item]
    return merged


def _build(document: dict[str, Any], provenance: Provenance, where: str) -> Definition:
    head = fields.table(document, "instrument", where)
    file_status = provenance.status
    answer_sets = _answer_sets(document, file_status, where)
    total = fields.optional_table(head, "total", where)
    return Definition(
        code=fields.text(head, "code", where),
        abbreviation=fields.text(head, "abbreviation", where),
        name=fields.text(head, "name", where),
        respondent=fields.choice(head, "respondent", where, Respondent),
        input_kind=fields.choice(head, "input", where, InputKind),
        scoring=fields.text(head, "scoring", where),
        recall=_text_fact(head, "recall", file_status, where),
        licence=_required_fact(head, "licence", file_status, where),
        items=_items(document, "items", answer_sets, where),
        extra_items=_items(document, "extra_items", answer_sets, where),
        total_range=(fields.integer(total, "min", where), fields.integer(total, "max", where))
        if total is not None
        else None,
        band_schemes=parse_band_schemes(document, file_status, where),
        cutoffs=parse_cutoffs(document, file_status, where),
        safety=parse_safety(document, file_status, where),
        outcome=parse_outcome(document, file_status, where),
        loinc=parse_loinc(document, where),
        policies=fields.texts(head, "policies", where),
        notes=fields.texts(head, "notes", where),
        provenance=provenance,
        algorithm=fields.optional_table(document, "algorithm", where) or {},
    )


def _text_fact(head: fields.Table, key: str, default: Status, where: str) -> TextFact | None:
    fact = fields.optional_table(head, key, where)
    if fact is None:
        return None
    here = f"{where} [instrument.{key}]"
    return TextFact(
        fields.text(fact, "text", here),
        fields.status(fact, here, default),
        fields.text(fact, "source", here),
    )


def _required_fact(head: fields.Table, key: str, default: Status, where: str) -> TextFact:
    fact = _text_fact(head, key, default, where)
    if fact is None:
        raise KnowledgeBaseError(f"{where}: [instrument.{key}] is required")
    return fact


def _answer_sets(document: fields.Table, default: Status, where: str) -> dict[str, AnswerSet]:
    sets = fields.optional_table(document, "answer_sets", where) or {}
    return {
        name: _answer_set(name, fields.table(sets, name, where), default, where) for name in sets
    }


def _answer_set(name: str, spec: fields.Table, default: Status, where: str) -> AnswerSet:
    here = f"{where} [answer_sets.{name}]"
    options = tuple(
        AnswerOption(
            value=fields.integer(o, "value", here),
            code=fields.optional_text(o, "code", here),
            label=fields.text(o, "label", here),
            loinc=fields.optional_text(o, "loinc", here),
        )
        for o in fields.tables(spec, "options", here)
    )
    return AnswerSet(
        name=name,
        kind=spec.get("kind", "integer"),
        minimum=fields.integer(spec, "min", here),
        maximum=fields.integer(spec, "max", here),
        options=options,
        not_assessed=fields.optional_integer(spec, "not_assessed", here),
        not_assessed_scores=fields.optional_integer(spec, "not_assessed_scores", here),
        status=fields.status(spec, here, default),
        source=fields.text(spec, "source", here),
    )


def _items(
    document: fields.Table, key: str, answer_sets: dict[str, AnswerSet], where: str
) -> tuple[Item, ...]:
    items = []
    for number, spec in enumerate(fields.tables(document, key, where), start=1):
        here = f"{where} {key}[{number - 1}]"
        set_name = fields.text(spec, "answers", here)
        if set_name not in answer_sets:
            raise KnowledgeBaseError(f"{here}: unknown answer set {set_name!r}")
        items.append(
            Item(
                number=number,
                key=fields.optional_text(spec, "key", here) or f"item{number}",
                label=fields.text(spec, "label", here),
                answers=answer_sets[set_name],
                loinc=fields.optional_text(spec, "loinc", here),
            )
        )
    return tuple(items)
