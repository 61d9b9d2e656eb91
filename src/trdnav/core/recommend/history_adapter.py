"""The one place the options engine meets the treatment-history engine.

``summarise_history`` turns the patient's history JSON into what the options engine needs:
the adequately failed treatments of the current episode, their count, TRD status and stages.
It calls the history engine's public interface, ``trdnav.core.history.parse_history`` and
``assess_history``. When that engine is not installed, a small provisional reader
is used instead: it finds recorded non-responses without judging dose adequacy and says so in
every result, and it never reports a TRD status or a stage.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import date
from types import ModuleType
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.recommend import provisional_history
from trdnav.core.recommend.history_summary import FailedItem, HistorySummary

ENGINE_MODULE = "trdnav.core.history"
ENGINE_NAME = "history engine (trdnav.core.history)"


def history_engine() -> ModuleType | None:
    try:
        return importlib.import_module(ENGINE_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != ENGINE_MODULE:
            raise
        return None


def _prefixed(exc: InvalidInput) -> InvalidInput:
    return InvalidInput(
        [FieldError(f"history.{e.field}".rstrip("."), e.message) for e in exc.errors]
    )


def _parse(engine: ModuleType, raw: Mapping[str, Any]) -> Any:
    try:
        return engine.parse_history(raw)
    except InvalidInput as exc:
        raise _prefixed(exc) from None


def check_history(raw: Mapping[str, Any]) -> None:
    """Raise InvalidInput (field paths start with ``history.``) if the history is unusable."""
    engine = history_engine()
    if engine is not None:
        _parse(engine, raw)
        return
    try:
        provisional_history.read(raw)
    except InvalidInput as exc:
        raise _prefixed(exc) from None


def _role_of(history: Any, trial_ids: tuple[str, ...]) -> str:
    roles = {str(history.treatment(i).role) for i in trial_ids}
    return "combination" if "combination" in roles else "monotherapy"


def _engine_items(history: Any, failed: Any) -> tuple[FailedItem, ...]:
    items = [
        FailedItem.antidepressant(a.drug, a.drug_class, _role_of(history, a.trial_ids), a.trial_ids)
        for a in failed.antidepressants
    ]
    items += [FailedItem.augmentation(a.agent, a.group, a.trial_id) for a in failed.augmentations]
    items += [FailedItem.course(str(c.kind), c.detail, c.trial_id) for c in failed.courses]
    return tuple(items)


def _from_engine(engine: ModuleType, raw: Mapping[str, Any], as_of: date) -> HistorySummary:
    history = _parse(engine, raw)
    assessment = engine.assess_history(history, as_of=as_of)
    data: dict[str, Any] = assessment.to_dict()
    failed = assessment.failed_treatments
    return HistorySummary(
        given=True,
        source=ENGINE_NAME,
        failed=_engine_items(history, failed),
        failed_antidepressants=len(failed.antidepressants),
        trd_met=bool(assessment.is_trd),
        trd=data["trd"],
        staging=data["staging"],
        psychotic_features=bool(assessment.current_episode.psychotic_features),
        profile=str(assessment.profile),
        policies=tuple(str(p) for p in data["policies"]),
    )


def summarise_history(raw: Mapping[str, Any] | None, *, as_of: date) -> HistorySummary:
    """What the history says for option choice; an empty summary when no history is given."""
    if raw is None:
        return HistorySummary.not_given()
    engine = history_engine()
    if engine is None:
        return provisional_history.summarise(raw)
    return _from_engine(engine, raw, as_of)
