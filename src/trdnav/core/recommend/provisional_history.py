"""A minimal reader of the history JSON, used only when the history engine is not installed.

It checks the shape of the JSON, finds the current episode and lists current-episode
treatments recorded as non-response (``outcome: non_response`` or ``improvement_pct`` < 25,
the default profile's non-response threshold, P-B10). It cannot judge dose, duration or
adherence, so every result says that adequacy was not assessed, and it gives no TRD status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.recommend.history_summary import COURSE_DETAIL_FIELD, FailedItem, HistorySummary

KINDS = ("antidepressant", "augmentation", "ect", "tms", "ketamine", "esketamine", "psychotherapy")
NON_RESPONSE_BELOW_PCT = 25
SOURCE = "provisional reader (history engine not installed; adequacy not assessed)"


def _list(raw: Mapping[str, Any], key: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise InvalidInput.single(key, "must be a list")
    return value


def _treatment_errors(index: int, item: Any) -> list[FieldError]:
    where = f"treatments[{index}]"
    if not isinstance(item, Mapping):
        return [FieldError(where, "must be an object")]
    errors = []
    if not isinstance(item.get("id"), str):
        errors.append(FieldError(f"{where}.id", "must be text"))
    if item.get("kind") not in KINDS:
        errors.append(FieldError(f"{where}.kind", f"must be one of {', '.join(KINDS)}"))
    return errors


def read(raw: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], Mapping[str, Any] | None]:
    """The treatments and the current episode (``end`` null), or InvalidInput."""
    episodes = [e for e in _list(raw, "episodes") if isinstance(e, Mapping)]
    treatments = _list(raw, "treatments")
    errors = [e for i, t in enumerate(treatments) for e in _treatment_errors(i, t)]
    if errors:
        raise InvalidInput(errors)
    current = next((e for e in episodes if e.get("end") is None), None)
    return treatments, current


def _non_response(item: Mapping[str, Any]) -> bool:
    if item.get("outcome") is not None:
        return item.get("outcome") == "non_response"
    pct = item.get("improvement_pct")
    return isinstance(pct, int | float) and pct < NON_RESPONSE_BELOW_PCT


def _item(t: Mapping[str, Any]) -> FailedItem:
    kind = str(t["kind"])
    if kind == "antidepressant":
        role = str(t.get("role", "monotherapy"))
        return FailedItem.antidepressant(
            str(t.get("drug", "")), t.get("drug_class"), role, (t["id"],)
        )
    if kind == "augmentation":
        return FailedItem.augmentation(str(t.get("agent", "")), None, str(t["id"]))
    detail = t.get(COURSE_DETAIL_FIELD.get(kind, ""))
    return FailedItem.course(kind, None if detail is None else str(detail), str(t["id"]))


def summarise(raw: Mapping[str, Any]) -> HistorySummary:
    treatments, current = read(raw)
    current_id = None if current is None else current.get("id")
    in_episode = [t for t in treatments if current_id is None or t.get("episode") == current_id]
    failed = tuple(_item(t) for t in in_episode if _non_response(t))
    drugs = {f.fields.get("drug") for f in failed if f.kind == "antidepressant"}
    note = (
        "Adequacy of dose, duration and adherence was not assessed; "
        "failures are recorded non-responses."
    )
    return HistorySummary(
        given=True,
        source=SOURCE,
        failed=failed,
        failed_antidepressants=len(drugs),
        psychotic_features=bool(current and current.get("psychotic_features")),
        notes=(note,),
    )
