"""Builds a ``Definition`` from ``knowledge/data/instruments/<code>.toml`` and checks its schema.

A file may say ``extends = "<code>"`` in its ``[instrument]`` table (QIDS-C16 is the clinician twin
of QIDS-SR16): its tables are then laid over the base file's, one level deep.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.instruments import raw
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
from trdnav.core.knowledge import Status, load_document
from trdnav.core.knowledge.loader import Provenance, parse_provenance

_E = TypeVar("_E", bound=StrEnum)


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
    head = raw.table(document, "instrument", where)
    file_status = provenance.status
    answer_sets = _answer_sets(document, file_status, where)
    total = raw.optional_table(head, "total", where)
    return Definition(
        code=raw.text(head, "code", where),
        abbreviation=raw.text(head, "abbreviation", where),
        name=raw.text(head, "name", where),
        respondent=_enum(Respondent, raw.text(head, "respondent", where), where),
        input_kind=_enum(InputKind, raw.text(head, "input", where), where),
        scoring=raw.text(head, "scoring", where),
        recall=_text_fact(head, "recall", file_status, where),
        licence=_required_fact(head, "licence", file_status, where),
        items=_items(document, "items", answer_sets, where),
        extra_items=_items(document, "extra_items", answer_sets, where),
        total_range=(raw.integer(total, "min", where), raw.integer(total, "max", where))
        if total is not None
        else None,
        band_schemes=parse_band_schemes(document, file_status, where),
        cutoffs=parse_cutoffs(document, file_status, where),
        safety=parse_safety(document, file_status, where),
        outcome=parse_outcome(document, file_status, where),
        loinc=parse_loinc(document, where),
        policies=raw.texts(head, "policies", where),
        notes=raw.texts(head, "notes", where),
        provenance=provenance,
        algorithm=raw.optional_table(document, "algorithm", where) or {},
    )


def _enum(kind: type[_E], value: str, where: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise KnowledgeBaseError(f"{where}: {value!r} is not one of {allowed}") from None


def _text_fact(head: raw.Table, key: str, default: Status, where: str) -> TextFact | None:
    fact = raw.optional_table(head, key, where)
    if fact is None:
        return None
    here = f"{where} [instrument.{key}]"
    return TextFact(
        raw.text(fact, "text", here),
        raw.status(fact, here, default),
        raw.text(fact, "source", here),
    )


def _required_fact(head: raw.Table, key: str, default: Status, where: str) -> TextFact:
    fact = _text_fact(head, key, default, where)
    if fact is None:
        raise KnowledgeBaseError(f"{where}: [instrument.{key}] is required")
    return fact


def _answer_sets(document: raw.Table, default: Status, where: str) -> dict[str, AnswerSet]:
    sets = raw.optional_table(document, "answer_sets", where) or {}
    return {name: _answer_set(name, raw.table(sets, name, where), default, where) for name in sets}


def _answer_set(name: str, spec: raw.Table, default: Status, where: str) -> AnswerSet:
    here = f"{where} [answer_sets.{name}]"
    options = tuple(
        AnswerOption(
            value=raw.integer(o, "value", here),
            code=raw.optional_text(o, "code", here),
            label=raw.text(o, "label", here),
            loinc=raw.optional_text(o, "loinc", here),
        )
        for o in raw.tables(spec, "options", here)
    )
    return AnswerSet(
        name=name,
        kind=spec.get("kind", "integer"),
        minimum=raw.integer(spec, "min", here),
        maximum=raw.integer(spec, "max", here),
        options=options,
        not_assessed=raw.optional_integer(spec, "not_assessed", here),
        not_assessed_scores=raw.optional_integer(spec, "not_assessed_scores", here),
        status=raw.status(spec, here, default),
        source=raw.text(spec, "source", here),
    )


def _items(
    document: raw.Table, key: str, answer_sets: dict[str, AnswerSet], where: str
) -> tuple[Item, ...]:
    items = []
    for number, spec in enumerate(raw.tables(document, key, where), start=1):
        here = f"{where} {key}[{number - 1}]"
        set_name = raw.text(spec, "answers", here)
        if set_name not in answer_sets:
            raise KnowledgeBaseError(f"{here}: unknown answer set {set_name!r}")
        items.append(
            Item(
                number=number,
                key=raw.optional_text(spec, "key", here) or f"item{number}",
                label=raw.text(spec, "label", here),
                answers=answer_sets[set_name],
                loinc=raw.optional_text(spec, "loinc", here),
            )
        )
    return tuple(items)
