"""Status precedence, ranking order and urgency: urgency reorders only within a status bucket."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.recommend import personas
from tests.core.recommend.conftest import advise
from trdnav.core.knowledge import load_therapies
from trdnav.core.knowledge.therapies import RuleEffect
from trdnav.core.recommend import OptionStatus
from trdnav.core.recommend.assess import OptionJudgement, status_of
from trdnav.core.recommend.ranking import Scored, assign_ranks, order_key

ABS, REL, NOTE = (
    RuleEffect.ABSOLUTE_CONTRAINDICATION,
    RuleEffect.RELATIVE_CONTRAINDICATION,
    RuleEffect.NOTE,
)
S = OptionStatus


@pytest.mark.parametrize(
    "effects, failed, offered, unknown, expected",
    [
        ((), False, True, False, S.SUITABLE),
        ((NOTE, RuleEffect.FAVOUR), False, True, False, S.SUITABLE),
        ((REL,), False, True, False, S.CAUTION),
        ((RuleEffect.NOT_APPROVED,), False, True, False, S.CAUTION),
        ((RuleEffect.AVOID,), False, True, False, S.CAUTION),
        ((RuleEffect.CAUTION,), False, True, False, S.CAUTION),
        ((), False, True, True, S.CAUTION),
        ((REL,), False, False, True, S.NOT_OFFERED),
        ((REL,), True, False, True, S.ALREADY_FAILED),
        ((ABS,), True, False, True, S.CONTRAINDICATED),
        ((NOTE, ABS), False, True, False, S.CONTRAINDICATED),
    ],
)
def test_status_follows_the_precedence_contraindicated_failed_not_offered_caution_suitable(
    effects: tuple[RuleEffect, ...], failed: bool, offered: bool, unknown: bool, expected: S
) -> None:
    assert status_of(effects, failed, offered, unknown) is expected


def _key(status: S, urgent: bool, score: float, therapy_id: str) -> tuple[int, int, float, str]:
    knowledge = load_therapies()
    judgement = OptionJudgement(knowledge.therapy(therapy_id), status, urgent, ())
    return order_key(judgement, Scored(score, (), ()), knowledge.ranking)


def test_an_urgent_caution_option_is_ordered_after_a_plain_suitable_one() -> None:
    urgent_caution = _key(S.CAUTION, True, 9.0, "ketamine_iv")
    plain_suitable = _key(S.SUITABLE, False, -5.0, "cbt")
    assert plain_suitable < urgent_caution
    ranks = assign_ranks([("ketamine_iv", urgent_caution), ("cbt", plain_suitable)])
    assert ranks == {"cbt": 1, "ketamine_iv": 2}


def test_the_order_key_is_bucket_then_urgent_then_minus_score_then_id() -> None:
    assert _key(S.CAUTION, False, 1.5, "cbt") == (1, 1, -1.5, "cbt")
    assert _key(S.SUITABLE, True, 2.0, "ect") == (0, 0, -2.0, "ect")


def test_within_a_bucket_urgent_comes_first_then_the_higher_score_then_the_id() -> None:
    assert _key(S.SUITABLE, True, 0.0, "ect") < _key(S.SUITABLE, False, 5.0, "cbt")
    assert _key(S.SUITABLE, False, 2.0, "rtms") < _key(S.SUITABLE, False, 1.0, "cbt")
    assert _key(S.SUITABLE, False, 1.0, "cbt") < _key(S.SUITABLE, False, 1.0, "rtms")
    assert _key(S.CAUTION, False, 0.0, "cbt") < _key(S.NOT_OFFERED, True, 9.0, "ect")
    assert _key(S.NOT_OFFERED, False, 0.0, "cbt") < _key(S.ALREADY_FAILED, True, 9.0, "ect")


def test_options_without_a_key_get_no_rank_and_the_rest_are_numbered_from_one() -> None:
    assert assign_ranks([("a", None), ("b", (0, 1, 0.0, "b")), ("c", (0, 0, 0.0, "c"))]) == {
        "c": 1,
        "b": 2,
    }


def _ordered_by_bucket(raw: dict[str, Any]) -> None:
    result = advise(raw)
    buckets = load_therapies().ranking.status_buckets
    ranked = result.ranked()
    assert [buckets[o.status.value] for o in ranked] == sorted(
        buckets[o.status.value] for o in ranked
    )


def test_urgent_ketamine_under_caution_is_ranked_after_every_suitable_option() -> None:
    raw = dict(personas.IRIS_NEEDS_RAPID_RELIEF, facts=["psychotic_features"])
    raw["absent_facts"] = [c for c in personas.FACT_CODES if c != "psychotic_features"]
    result = advise(raw)
    ketamine = result.option("ketamine_iv")
    assert (ketamine.status, ketamine.urgent) == (S.CAUTION, True)
    suitable = [o.rank or 0 for o in result.options if o.status is S.SUITABLE]
    assert suitable and max(suitable) < (ketamine.rank or 0)
    assert result.ranked()[0].id == "ect"
    _ordered_by_bucket(raw)


def test_a_contraindication_wins_over_an_already_failed_course_and_over_urgency() -> None:
    course = {
        "id": "t3",
        "episode": "e1",
        "kind": "esketamine",
        "sessions": 8,
        "start": "2024-08-10",
        "end": "2024-09-20",
        "improvement_pct": 5,
    }
    raw = dict(personas.IRIS_NEEDS_RAPID_RELIEF, facts=["aneurysm_or_avm"])
    raw["absent_facts"] = [c for c in personas.FACT_CODES if c != "aneurysm_or_avm"]
    raw["history"] = personas.history(*personas.TWO_FAILED_ANTIDEPRESSANTS, course)
    esketamine = advise(raw).option("esketamine")
    assert esketamine.status is S.CONTRAINDICATED
    assert (esketamine.rank, esketamine.urgent, esketamine.score) == (None, False, None)
    assert "history.already_failed" in {r.rule for r in esketamine.reasons}


@pytest.mark.parametrize(
    "buckets, ok",
    [
        ({"suitable": 0, "caution": 1, "not_offered": 2, "already_failed": 2}, True),
        ({"suitable": 0, "caution": 0, "not_offered": 1, "already_failed": 2}, False),
        ({"suitable": 0, "caution": 2, "not_offered": 2, "already_failed": 3}, False),
        ({"suitable": 1, "caution": 0, "not_offered": 2, "already_failed": 3}, False),
    ],
)
def test_status_buckets_must_put_caution_after_suitable_and_before_the_rest(
    buckets: dict[str, int], ok: bool
) -> None:
    from trdnav.core.knowledge.therapies.references import _bucket_order_problems

    assert (_bucket_order_problems(buckets) == []) is ok
