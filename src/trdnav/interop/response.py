"""An instrument's answers object (what the core scores) to a QuestionnaireResponse and back.

Reading a response checks it against the instrument's Questionnaire: every answer must be one of
the item's options (by system and code) or a boolean for a yes/no item; an unknown ``linkId``,
a second answer or a wrong type is an error whose field names the item
(``item[linkId=item9].answer``). Range checks and completeness stay the core's job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.core.errors import FieldError
from trdnav.core.instruments.definition import Definition, InputKind, Item
from trdnav.core.instruments.registry import INSTRUMENT_CODES, get_instrument
from trdnav.interop.base import (
    CANONICAL,
    Resource,
    reference,
    reference_id,
)
from trdnav.interop.questionnaire import (
    TOTAL_LINK_ID,
    VERSION_LINK_ID,
    option_coding,
    version_coding,
)


@dataclass(frozen=True)
class ResponseRecord:
    """What a QuestionnaireResponse carries, in the core's terms."""

    instrument: str
    answers: dict[str, Any]
    patient_id: str | None
    authored: date | None


def _all_items(definition: Definition) -> tuple[Item, ...]:
    return (*definition.items, *definition.extra_items)


def answer_values(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """``{linkId: raw value or None}`` from the core's answers object."""
    if definition.input_kind is InputKind.ITEMS:
        listed = list(answers.get("items") or [])
        values: dict[str, Any] = {
            item.key: listed[n] if n < len(listed) else None
            for n, item in enumerate(definition.items)
        }
        values.update({item.key: answers.get(item.key) for item in definition.extra_items})
        return values
    return {item.key: answers.get(item.key) for item in definition.items}


def _answer(definition: Definition, item: Item, value: Any) -> dict[str, Any]:
    if item.answers.kind == "boolean":
        return {"valueBoolean": bool(value)}
    return {"valueCoding": option_coding(definition, item, int(value))}


def build_response(
    instrument: str,
    answers: Mapping[str, Any],
    *,
    response_id: str,
    patient_id: str | None = None,
    authored: date | None = None,
) -> Resource:
    """A completed response holding every answered item (unanswered items are left out)."""
    definition = get_instrument(instrument).definition
    items: list[dict[str, Any]] = []
    if definition.input_kind is InputKind.CSSRS and "version" in answers:
        version = version_coding(definition, str(answers["version"]))
        items.append({"linkId": VERSION_LINK_ID, "answer": [{"valueCoding": version}]})
    values = answer_values(definition, answers)
    for item in _all_items(definition):
        value = values.get(item.key)
        if value is not None:
            answer = _answer(definition, item, value)
            items.append({"linkId": item.key, "text": item.label, "answer": [answer]})
    response: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": f"{CANONICAL}/Questionnaire/{instrument}|{definition.provenance.version}",
        "status": "completed",
        "item": items,
    }
    if patient_id is not None:
        response["subject"] = reference("Patient", patient_id)
    if authored is not None:
        response["authored"] = authored.isoformat()
    return response


def instrument_of(response: Mapping[str, Any]) -> str | FieldError:
    """The instrument a response answers, from its ``questionnaire`` canonical."""
    canonical = str(response.get("questionnaire") or "").split("|", 1)[0]
    prefix = f"{CANONICAL}/Questionnaire/"
    code = canonical[len(prefix) :] if canonical.startswith(prefix) else ""
    if code not in INSTRUMENT_CODES:
        known = ", ".join(f"{prefix}{c}" for c in INSTRUMENT_CODES)
        return FieldError("questionnaire", f"unknown Questionnaire {canonical!r}; known: {known}")
    return code


def read_response(response: Mapping[str, Any]) -> ResponseRecord | list[FieldError]:
    """The answers object of a QuestionnaireResponse, or the errors naming each bad item."""
    instrument = instrument_of(response)
    if isinstance(instrument, FieldError):
        return [instrument]
    definition = get_instrument(instrument).definition
    entries = response.get("item", [])
    if not isinstance(entries, list):
        return [FieldError("item", "must be a list of answered items")]
    values, errors = _read_items(definition, entries)
    if errors:
        return errors
    authored = response.get("authored")
    return ResponseRecord(
        instrument=instrument,
        answers=answers_object(definition, values),
        patient_id=reference_id(response.get("subject"), "Patient"),
        authored=date.fromisoformat(authored[:10]) if isinstance(authored, str) else None,
    )


def _read_items(
    definition: Definition, entries: Sequence[Any]
) -> tuple[dict[str, Any], list[FieldError]]:
    by_key = {item.key: item for item in _all_items(definition)}
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for n, entry in enumerate(entries):
        link = entry.get("linkId") if isinstance(entry, Mapping) else None
        where = f"item[linkId={link}]" if isinstance(link, str) else f"item[{n}]"
        if link in values:
            errors.append(FieldError(where, "this item appears twice"))
            continue
        answers = entry.get("answer", []) if isinstance(entry, Mapping) else None
        if not isinstance(answers, list) or len(answers) > 1:
            errors.append(FieldError(f"{where}.answer", "expected at most one answer"))
            continue
        answer = answers[0] if answers else None
        if link == TOTAL_LINK_ID and definition.input_kind is not InputKind.CSSRS:
            continue  # calculated by the form; the core's total is the one that counts
        if link == VERSION_LINK_ID and definition.input_kind is InputKind.CSSRS:
            values[link], error = _read_version(definition, answer, where)
        elif isinstance(link, str) and link in by_key:
            values[link], error = _read_answer(definition, by_key[link], answer, where)
        else:
            allowed = ", ".join(by_key)
            error = FieldError(where, f"unknown item {link!r}; allowed linkIds: {allowed}")
        errors.extend([error] if error else [])
    return values, errors


def _read_answer(
    definition: Definition, item: Item, answer: Any, where: str
) -> tuple[Any, FieldError | None]:
    if answer is None:
        return None, None
    if item.answers.kind == "boolean":
        value = answer.get("valueBoolean") if isinstance(answer, Mapping) else None
        if isinstance(value, bool):
            return value, None
        return None, FieldError(f"{where}.answer", f"{item.label}: expected valueBoolean")
    given = answer.get("valueCoding") if isinstance(answer, Mapping) else None
    if isinstance(given, Mapping):
        system, code = given.get("system"), given.get("code")
        if isinstance(system, str) and isinstance(code, str):
            value = _answer_codes(definition, item).get((system, code))
            if value is not None:
                return value, None
    allowed = "; ".join(
        f"{o['code']} ({o.get('display', '')})"
        for o in (
            option_coding(definition, item, v)
            for v in range(item.answers.minimum, item.answers.maximum + 1)
        )
    )
    message = f"{item.label}: not one of the item's answer options; allowed codes: {allowed}"
    return None, FieldError(f"{where}.answer", message)


_ANSWER_CODES: dict[tuple[str, str, str], dict[tuple[str, str], int]] = {}


def _answer_codes(definition: Definition, item: Item) -> dict[tuple[str, str], int]:
    """``{(system, code): value}`` of the item's answer options, built once per item: reading
    a response looks each answer up here instead of rebuilding every option's coding."""
    key = (definition.code, definition.provenance.version, item.key)
    if key not in _ANSWER_CODES:
        table: dict[tuple[str, str], int] = {}
        for value in range(item.answers.minimum, item.answers.maximum + 1):
            option = option_coding(definition, item, value)
            table.setdefault((option["system"], option["code"]), value)  # the first, as before
        _ANSWER_CODES[key] = table
    return _ANSWER_CODES[key]


def _same(given: Mapping[str, Any], option: Mapping[str, str]) -> bool:
    return given.get("system") == option["system"] and given.get("code") == option["code"]


def _read_version(definition: Definition, answer: Any, where: str) -> tuple[Any, FieldError | None]:
    if answer is None:
        return None, None
    given = answer.get("valueCoding") if isinstance(answer, Mapping) else None
    allowed = definition.algorithm.get("versions", {}).get("allowed", [])
    for version in allowed:
        if isinstance(given, Mapping) and _same(given, version_coding(definition, version)):
            return version, None
    return None, FieldError(f"{where}.answer", f"version must be one of {', '.join(allowed)}")


def answers_object(definition: Definition, values: Mapping[str, Any]) -> dict[str, Any]:
    """The core's answers object from ``{linkId: value}`` (the reverse of ``answer_values``)."""
    if definition.input_kind is InputKind.ITEMS:
        out: dict[str, Any] = {"items": [values.get(item.key) for item in definition.items]}
        out.update({i.key: values[i.key] for i in definition.extra_items if i.key in values})
        return out
    if definition.input_kind is InputKind.SCORE:
        return {"score": values.get(definition.items[0].key)}
    out = {item.key: values.get(item.key) for item in definition.items}
    if values.get(VERSION_LINK_ID) is not None:
        out["version"] = values[VERSION_LINK_ID]
    return out
