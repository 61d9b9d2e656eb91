"""Course outcome and checkpoint alerts from the course's measures (issue 12, item 4).

Response, partial response, remission and early improvement come from
``trdnav.core.measurement`` (the instrument's own thresholds); this module only decides which
score counts and when the protocol's checkpoints fire (P-C8, P-C9).

* The latest score on or before ``as_of`` gives the outcome. Remission outranks response.
* ``too_early``: no score after baseline yet, or a score short of response before the protocol's
  evaluation point (``outcome_after_sessions``) — a response is reported whenever it is seen.
* Early improvement (protocols that define it): from the latest score within the measurement
  rule's window (two weeks); None while no such score exists.
* A checkpoint fires once its session count or day is reached and its condition holds on the
  latest score; with no score since baseline, a checkpoint asks for one instead of guessing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from trdnav.core.errors import NotAvailable
from trdnav.core.instruments import get_instrument
from trdnav.core.measurement import Outcome, classify_outcome, early_improvement_rule
from trdnav.core.protocols.load import get_protocol
from trdnav.core.protocols.model import (
    UNVERIFIED_SUFFIX,
    CheckpointSpec,
    Protocol,
    ProtocolError,
)
from trdnav.core.protocols.results import CheckpointAlert, CourseOutcome

NO_SCORE_RULE = "checkpoint_no_score"


def course_outcome(
    protocol_id: str,
    *,
    instrument: str,
    baseline: int,
    scores: Sequence[tuple[date, int]],
    start: date,
    sessions_done: int,
    as_of: date,
) -> CourseOutcome:
    protocol = get_protocol(protocol_id)
    if isinstance(sessions_done, bool) or not isinstance(sessions_done, int) or sessions_done < 0:
        raise ProtocolError("sessions_done", "must be a whole number of sessions, not negative")
    _check_scores(instrument, scores, start)
    dated = sorted((d, s) for d, s in scores if d <= as_of)
    latest = dated[-1] if dated else None
    # classify_outcome validates the instrument and both totals (InvalidInput naming the field).
    try:
        checked = classify_outcome(instrument, baseline, baseline if latest is None else latest[1])
    except NotAvailable as exc:
        raise ProtocolError("instrument", str(exc)) from None
    result = None if latest is None else checked
    early = _early(protocol, instrument, baseline, dated, start)
    outcome = "too_early"
    pct = None
    if result is not None:
        pct = result.pct_reduction
        outcome = _label(result.remission, result.response, result.partial_response)
        evaluated = protocol.outcome_after_sessions
        if outcome in ("none", "partial_response") and evaluated and sessions_done < evaluated:
            outcome = "too_early"
    alerts = _alerts(protocol, result, early, start, sessions_done, as_of)
    return CourseOutcome(
        protocol=protocol.id,
        instrument=instrument,
        baseline=baseline,
        latest=None if latest is None else latest[1],
        latest_on=None if latest is None else latest[0],
        outcome=outcome,
        percent_change=pct,
        early_improvement=early,
        alerts=alerts,
        sessions_done=sessions_done,
        as_of=as_of,
    )


def _check_scores(instrument: str, scores: Sequence[tuple[date, int]], start: date) -> None:
    """Every score is a whole total in the instrument's range, dated on or after the start."""
    low, high = get_instrument(instrument).definition.total_range or (0, 0)
    for i, (day, score) in enumerate(scores):
        if day < start:
            raise ProtocolError(f"scores[{i}]", "is dated before the course started")
        if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
            raise ProtocolError(f"scores[{i}].score", f"must be a whole total from {low} to {high}")


def _label(remission: bool | None, response: bool | None, partial: bool | None) -> str:
    if remission:
        return "remission"
    if response:
        return "response"
    if partial:
        return "partial_response"
    return "none"


def _early(
    protocol: Protocol,
    instrument: str,
    baseline: int,
    dated: Sequence[tuple[date, int]],
    start: date,
) -> bool | None:
    if not protocol.early_improvement:
        return None
    window = early_improvement_rule().within_days
    within = [(d, s) for d, s in dated if (d - start).days <= window]
    if not within:
        return None
    day, score = within[-1]
    return classify_outcome(
        instrument, baseline, score, days_since_baseline=(day - start).days
    ).early_improvement


def _reached(spec: CheckpointSpec, sessions_done: int, days: int) -> bool:
    by_sessions = spec.after_sessions is not None and sessions_done >= spec.after_sessions
    by_days = spec.after_days is not None and days >= spec.after_days
    return by_sessions or by_days


def _alerts(
    protocol: Protocol,
    result: Outcome | None,
    early: bool | None,
    start: date,
    sessions_done: int,
    as_of: date,
) -> tuple[CheckpointAlert, ...]:
    days = (as_of - start).days
    alerts: list[CheckpointAlert] = []
    for spec in protocol.checkpoints:
        if not _reached(spec, sessions_done, days):
            continue
        message = spec.message + (UNVERIFIED_SUFFIX if spec.status == "from_memory" else "")
        if result is None:
            alerts.append(
                CheckpointAlert(
                    NO_SCORE_RULE,
                    "info",
                    f"{protocol.name}: a checkpoint is reached but no score since baseline is "
                    f"recorded; rate {protocol.primary_instrument} to evaluate the course.",
                    spec.source,
                )
            )
            continue
        if _condition_holds(spec, result, early):
            alerts.append(CheckpointAlert(spec.rule, spec.level, message, spec.source))
    return tuple(dict.fromkeys(alerts))


def _condition_holds(spec: CheckpointSpec, result: Outcome, early: bool | None) -> bool:
    if spec.condition == "no_early_improvement":
        if early is not None:
            return not early
        pct = result.pct_reduction
        return pct is not None and pct < early_improvement_rule().min_pct
    if spec.condition == "no_response":
        return result.response is False
    if spec.condition == "no_reliable_improvement":
        return result.reliable_improvement is False
    return result.remission is False
