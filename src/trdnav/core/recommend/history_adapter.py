"""The one place the options engine meets the treatment-history engine.

``summarise_history`` turns the patient's history JSON into what the options engine needs:
the adequately failed treatments of the current episode, their count, TRD status and stages,
through the history engine's public interface (``parse_history`` and ``assess_history``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.history import (
    FailedTreatments,
    HistoryAssessment,
    TreatmentHistory,
    assess_history,
    parse_history,
)
from trdnav.core.recommend.history_summary import FailedItem, HistorySummary

ENGINE_NAME = "history engine (trdnav.core.history)"


def _prefixed(exc: InvalidInput) -> InvalidInput:
    return InvalidInput(
        [FieldError(f"history.{e.field}".rstrip("."), e.message) for e in exc.errors]
    )


def _parse(raw: Mapping[str, Any]) -> TreatmentHistory:
    try:
        return parse_history(raw)
    except InvalidInput as exc:
        raise _prefixed(exc) from None


def check_history(raw: Mapping[str, Any]) -> None:
    """Raise InvalidInput (field paths start with ``history.``) if the history is unusable."""
    _parse(raw)


def _role_of(history: TreatmentHistory, trial_ids: tuple[str, ...]) -> str:
    roles = {str(getattr(history.treatment(i), "role", "")) for i in trial_ids}
    return "combination" if "combination" in roles else "monotherapy"


def _failed_items(history: TreatmentHistory, failed: FailedTreatments) -> tuple[FailedItem, ...]:
    items = [
        FailedItem.antidepressant(a.drug, a.drug_class, _role_of(history, a.trial_ids), a.trial_ids)
        for a in failed.antidepressants
    ]
    items += [FailedItem.augmentation(a.agent, a.group, a.trial_id) for a in failed.augmentations]
    items += [FailedItem.course(str(c.kind), c.detail, c.trial_id) for c in failed.courses]
    return tuple(items)


def _summary(history: TreatmentHistory, assessment: HistoryAssessment) -> HistorySummary:
    data: dict[str, Any] = assessment.to_dict()
    failed = assessment.failed_treatments
    return HistorySummary(
        given=True,
        source=ENGINE_NAME,
        failed=_failed_items(history, failed),
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
    history = _parse(raw)
    return _summary(history, assess_history(history, as_of=as_of))
