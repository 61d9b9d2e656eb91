"""Each instrument as an SDC Questionnaire, built from its knowledge-base definition.

Answer lists are inline (``answerOption``), so the form renders without a terminology server.
Each option's code is its LOINC answer code where the knowledge base holds a verified one, else
the raw value in the instrument's own answer-set code system; ``ordinalValue`` is the value the
option adds to the total (HAM-D item 16 "not assessed" adds 0; a CGI "not assessed" adds nothing).

The total is a ``calculatedExpression`` in FHIRPath that LHC-Forms evaluates: ``ordinal()`` on the
answer (LHC-Forms reads the option's ``ordinalValue`` through ``%questionnaire``), plain ``+``
(an unanswered item leaves the total empty: no prorating, P-A1) and ``max()`` for the QIDS
domains. It avoids the SDC ``answers()`` function, which LHC-Forms does not implement.
"""

from __future__ import annotations

from typing import Any

from trdnav.core.instruments.definition import Definition, InputKind, Item
from trdnav.core.instruments.qids import domains
from trdnav.core.instruments.registry import get_instrument
from trdnav.interop.base import (
    CALCULATED_EXPRESSION,
    LOINC,
    ORDINAL_VALUE,
    SDC_QUESTIONNAIRE,
    Resource,
    answer_set_system,
    coding,
    questionnaire_url,
)

TOTAL_LINK_ID = "total"
VERSION_LINK_ID = "version"
DOMAIN_INSTRUMENTS = ("qids_sr16", "qids_c16")


def loinc_role(definition: Definition, role: str) -> str | None:
    """A verified LOINC code of the instrument by role (``panel``, ``total``), else None."""
    codes = definition.loinc.codes if definition.loinc is not None else ()
    return next((c.code for c in codes if c.role == role), None)


def option_coding(definition: Definition, item: Item, value: int) -> dict[str, str]:
    option = item.answers.option(value)
    if option is not None and option.loinc:
        return coding(LOINC, option.loinc, option.label)
    system = answer_set_system(definition.code, item.answers.name)
    return coding(system, str(value), option.label if option else str(value))


def scored(item: Item, value: int) -> int | None:
    """What an answer adds to the total: a not-assessed value scores as its data says."""
    if value == item.answers.not_assessed:
        return item.answers.not_assessed_scores
    return value


def _answer_options(definition: Definition, item: Item) -> list[dict[str, Any]]:
    options = []
    for value in range(item.answers.minimum, item.answers.maximum + 1):
        option: dict[str, Any] = {"valueCoding": option_coding(definition, item, value)}
        points = scored(item, value)
        if points is not None:
            option["extension"] = [{"url": ORDINAL_VALUE, "valueDecimal": points}]
        options.append(option)
    return options


def _question(definition: Definition, item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"linkId": item.key, "text": item.label}
    if item.loinc:
        out["code"] = [coding(LOINC, item.loinc)]
    if item.answers.kind == "boolean":
        out["type"] = "boolean"
    else:
        out["type"] = "choice"
        out["answerOption"] = _answer_options(definition, item)
    return out


def _ordinal(item: Item) -> str:
    path = f"%resource.item.where(linkId='{item.key}').answer.value"
    unscored = item.answers.not_assessed
    if unscored is not None and item.answers.not_assessed_scores is None:
        # The not-assessed option has no ordinalValue: drop it so the total stays empty.
        path += f".where(code != '{unscored}')"
    return f"{path}.ordinal()"


def total_expression(definition: Definition) -> str:
    """The FHIRPath total; empty whenever the core would give no total."""
    if definition.code in DOMAIN_INSTRUMENTS:
        return " + ".join(
            _domain(definition, d.items, d.complete_when) for d in domains(definition.code)
        )
    return " + ".join(_ordinal(item) for item in definition.items)


def _domain(definition: Definition, numbers: tuple[int, ...], complete_when: str) -> str:
    """QIDS: the highest answer of the domain's items (P-A3 either/or pairs: any answered)."""
    parts = [_ordinal(definition.item(n)) for n in numbers]
    if len(parts) == 1:
        return parts[0]
    highest = f"({' | '.join(parts)}).max()"
    if complete_when == "any":
        return highest
    every = " and ".join(f"{part}.exists()" for part in parts)
    return f"iif({every}, {highest})"


def _total_item(definition: Definition) -> dict[str, Any]:
    out: dict[str, Any] = {
        "linkId": TOTAL_LINK_ID,
        "text": "Total score",
        "type": "decimal",
        "readOnly": True,
        "extension": [
            {
                "url": CALCULATED_EXPRESSION,
                "valueExpression": {
                    "language": "text/fhirpath",
                    "expression": total_expression(definition),
                },
            }
        ],
    }
    total = loinc_role(definition, "total")
    if total:
        out["code"] = [coding(LOINC, total)]
    return out


def _skip_logic(definition: Definition, items: list[dict[str, Any]]) -> None:
    """C-SSRS: questions 3–5 only after a yes to the gate; the 3-month follow-up only after a
    yes to question 6 in the screen version (P-A7: an answer given anyway is still kept)."""
    spec = definition.algorithm.get("skip_logic", {})
    triage = definition.algorithm.get("triage", {})
    by_key = {item["linkId"]: item for item in items}
    for key in spec.get("gated", []):
        by_key[key]["enableWhen"] = [
            {"question": spec["gate"], "operator": "=", "answerBoolean": True}
        ]
    recent = triage.get("behaviour_recent")
    if recent in by_key:
        by_key[recent]["enableBehavior"] = "all"
        by_key[recent]["enableWhen"] = [
            {"question": triage["behaviour"], "operator": "=", "answerBoolean": True},
            {
                "question": VERSION_LINK_ID,
                "operator": "!=",
                "answerCoding": version_coding(definition, "since_last_contact"),
            },
        ]


def version_coding(definition: Definition, version: str) -> dict[str, str]:
    return coding(answer_set_system(definition.code, "version"), version, version.replace("_", " "))


def _version_item(definition: Definition) -> dict[str, Any]:
    versions = definition.algorithm.get("versions", {})
    return {
        "linkId": VERSION_LINK_ID,
        "text": "Version of the screen",
        "type": "choice",
        "answerOption": [
            {
                "valueCoding": version_coding(definition, v),
                **({"initialSelected": True} if v == versions.get("default") else {}),
            }
            for v in versions.get("allowed", [])
        ],
    }


def build_questionnaire(code: str) -> Resource:
    """The SDC Questionnaire of instrument ``code`` (``UnknownInstrument`` for an unknown one)."""
    definition = get_instrument(code).definition
    items = [_question(definition, item) for item in (*definition.items, *definition.extra_items)]
    if definition.input_kind is InputKind.CSSRS:
        items.insert(0, _version_item(definition))
        _skip_logic(definition, items)
    else:
        items.append(_total_item(definition))
    questionnaire: Resource = {
        "resourceType": "Questionnaire",
        "id": code.replace("_", "-"),
        "meta": {"profile": [SDC_QUESTIONNAIRE]},
        "url": questionnaire_url(code),
        "version": definition.provenance.version,
        "name": "".join(ch for ch in definition.abbreviation if ch.isalnum()),
        "title": definition.name,
        "status": "active",
        "subjectType": ["Patient"],
        "copyright": definition.licence.text,
        "item": items,
    }
    panel = loinc_role(definition, "panel")
    if panel:
        questionnaire["code"] = [coding(LOINC, panel)]
    return questionnaire
