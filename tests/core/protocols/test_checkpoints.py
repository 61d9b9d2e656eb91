"""Every checkpoint of every protocol, at its boundary: it fires once its session count or day
is reached and its condition holds on the latest score, not one session or day earlier, and not
when the course is working (policy P-C9; sources named on each checkpoint, listed by
``trdnav protocols show ID``)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trdnav.core.instruments import get_instrument
from trdnav.core.protocols import CheckpointSpec, Protocol, course_outcome, load_protocols

START = date(2026, 11, 2)
CASES = [
    (protocol, checkpoint)
    for protocol in load_protocols().values()
    for checkpoint in protocol.checkpoints
]


def _alerts(protocol: Protocol, spec: CheckpointSpec, score: int, shift: int) -> list[str]:
    """Rules alerted with one score, ``shift`` sessions/days from the checkpoint."""
    high = (get_instrument(protocol.primary_instrument).definition.total_range or (0, 0))[1]
    sessions = (spec.after_sessions or 0) + shift if spec.after_sessions else 0
    days = (spec.after_days + shift) if spec.after_days else 1
    as_of = START + timedelta(days=max(days, 1))
    result = course_outcome(
        protocol.id,
        instrument=protocol.primary_instrument,
        baseline=_baseline(high),
        scores=[(as_of, score)],
        start=START,
        sessions_done=max(sessions, 0),
        as_of=as_of,
    )
    return [a.rule for a in result.alerts]


def _baseline(high: int) -> int:
    return high * 3 // 4


@pytest.mark.parametrize(("protocol", "spec"), CASES, ids=[f"{p.id}:{c.rule}" for p, c in CASES])
def test_a_checkpoint_fires_at_its_boundary_when_the_course_is_not_working(
    protocol: Protocol, spec: CheckpointSpec
) -> None:
    high = (get_instrument(protocol.primary_instrument).definition.total_range or (0, 0))[1]
    unchanged = _baseline(high)
    assert spec.rule in _alerts(protocol, spec, unchanged, 0)
    assert spec.rule not in _alerts(protocol, spec, unchanged, -1)
    assert spec.rule not in _alerts(protocol, spec, 0, 0)  # remission: nothing to alert


def test_every_checkpoint_says_consider_or_review_never_stop() -> None:
    for _, spec in CASES:
        words = spec.message.lower()
        assert "consider" in words or "review" in words or "evaluate" in words, spec.rule
        assert "stop treatment" not in words
