"""Properties that hold for every patient: safety of statuses and the shape of the ranking."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.recommend.conftest import advise
from trdnav.core.knowledge import load_therapies
from trdnav.core.recommend import OptionStatus

KNOWLEDGE = load_therapies()
FACTS = sorted(KNOWLEDGE.vocabulary.facts)
PREFERENCES = sorted(KNOWLEDGE.vocabulary.preferences)
THERAPIES = sorted(KNOWLEDGE.therapies)
MEDICATIONS = [
    "phenelzine",
    "sertraline",
    "bupropion",
    "lorazepam",
    "warfarin",
    "ibuprofen",
    "lithium",
    "aspirin",
    "tranylcypromine",
    "tramadol",
    "fluoxetine",
    "zorblax",
]


@st.composite
def patients(draw: st.DrawFn) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "facts": draw(st.lists(st.sampled_from(FACTS), unique=True, max_size=6)),
        "preferences": draw(st.lists(st.sampled_from(PREFERENCES), unique=True, max_size=4)),
        "medications": draw(st.lists(st.sampled_from(MEDICATIONS), unique=True, max_size=3)),
    }
    if draw(st.booleans()):
        raw["age"] = draw(st.integers(min_value=0, max_value=120))
    if draw(st.booleans()):
        raw["offered"] = draw(st.lists(st.sampled_from(THERAPIES), unique=True, max_size=10))
    return raw


# Fewer examples inside a mutation run (every mutant reruns these tests).
FAST = settings(
    max_examples=6 if os.environ.get("MUTANT_UNDER_TEST") else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FAST
@given(patients())
def test_no_contraindicated_option_is_ever_suitable_ranked_or_urgent(raw: dict[str, Any]) -> None:
    for option in advise(raw).options:
        if option.status is OptionStatus.CONTRAINDICATED:
            assert option.rank is None
            assert not option.urgent
            assert option.score is None


@FAST
@given(patients())
def test_ranks_are_a_permutation_of_one_to_n(raw: dict[str, Any]) -> None:
    result = advise(raw)
    ranks = [o.rank for o in result.options if o.rank is not None]
    assert sorted(ranks) == list(range(1, len(ranks) + 1))
    assert len(ranks) == sum(o.status is not OptionStatus.CONTRAINDICATED for o in result.options)


@FAST
@given(patients())
def test_every_option_appears_once_and_every_reason_names_its_rule(raw: dict[str, Any]) -> None:
    result = advise(raw)
    assert sorted(o.id for o in result.options) == THERAPIES
    for option in result.options:
        assert all(reason.rule and reason.text for reason in option.reasons)


@FAST
@given(patients())
def test_an_option_with_an_absolute_contraindication_rule_is_contraindicated(
    raw: dict[str, Any],
) -> None:
    for option in advise(raw).options:
        kinds = {reason.kind.value for reason in option.reasons}
        if "absolute_contraindication" in kinds:
            assert option.status is OptionStatus.CONTRAINDICATED


@FAST
@given(patients())
def test_the_score_equals_the_sum_of_its_breakdown(raw: dict[str, Any]) -> None:
    for option in advise(raw).options:
        if option.score is not None:
            assert abs(option.score - sum(i.weight for i in option.score_breakdown)) < 1e-9
