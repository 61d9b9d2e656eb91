"""Monotonicity over generated patients for what the other property tests leave out (issue 9
acceptance review): a dated event moved closer to the decision date or given no date (an
undated event counts as recent), a pregnancy trimester or an age made unknown, and a drug
stopped later or not stopped at all. None of these may make any option more permissive. An
unknown is compared with the best of the values it could have (an unknown trimester with
trimesters 1, 2 and 3; an unknown age with every age a rule turns on): it is never more
permissive and never better placed than all of them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.core.recommend.conftest import AS_OF, advise
from tests.core.recommend.generated import DATED, KNOWLEDGE, MEDICATIONS, patients
from tests.core.recommend.test_generated_patients import (
    PAIRS,
    PERMISSIVE,
    _no_more_permissive,
    _place,
)
from trdnav.core.recommend import OptionStatus

S = OptionStatus


def _code(item: Any) -> str:
    return item if isinstance(item, str) else item["code"]


def _without(raw: dict[str, Any], code: str) -> dict[str, Any]:
    return {
        **raw,
        "facts": [f for f in raw["facts"] if _code(f) != code],
        "absent_facts": [f for f in raw["absent_facts"] if f != code],
    }


def _no_better_placed(before: Any, after: Any) -> None:
    _no_more_permissive(before, after)
    for option in before.options:
        if option.status is not S.CONTRAINDICATED:
            assert _place(after, option.id) >= _place(before, option.id), option.id


@PAIRS
@given(patients(), st.sampled_from(DATED), st.integers(0, 400), st.integers(0, 400))
def test_a_dated_event_moved_closer_to_the_decision_date_never_makes_an_option_more_permissive(
    raw: dict[str, Any], code: str, old_days: int, new_days: int
) -> None:
    assume(new_days < old_days)
    base = _without(raw, code)

    def at(days: int) -> dict[str, Any]:
        on = (AS_OF - timedelta(days=days)).isoformat()
        return {**base, "facts": [*base["facts"], {"code": code, "on": on}]}

    _no_more_permissive(advise(at(old_days)), advise(at(new_days)))


@PAIRS
@given(patients(), st.sampled_from(DATED), st.integers(0, 400))
def test_an_undated_event_is_never_better_placed_than_the_same_event_with_a_date(
    raw: dict[str, Any], code: str, days: int
) -> None:
    base = _without(raw, code)
    dated = {
        **base,
        "facts": [*base["facts"], {"code": code, "on": (AS_OF - timedelta(days=days)).isoformat()}],
    }
    undated = {**base, "facts": [*base["facts"], code]}
    _no_better_placed(advise(dated), advise(undated))


def _best_of(results: list[Any], unknown: Any) -> None:
    """``unknown`` is no more permissive, and no better placed, than the best of ``results``."""
    for option in unknown.options:
        best = max(PERMISSIVE[r.option(option.id).status] for r in results)
        assert PERMISSIVE[option.status] <= best, (option.id, option.status)
        if option.status is not S.CONTRAINDICATED:
            placed = min(_place(r, option.id) for r in results)
            assert _place(unknown, option.id) >= placed, option.id


@PAIRS
@given(patients())
def test_a_pregnancy_of_unknown_trimester_is_never_better_placed_than_every_known_trimester(
    raw: dict[str, Any],
) -> None:
    base = _without(raw, "pregnancy")
    known = [
        advise({**base, "facts": [*base["facts"], {"code": "pregnancy", "trimester": t}]})
        for t in (1, 2, 3)
    ]
    _best_of(known, advise({**base, "facts": [*base["facts"], "pregnancy"]}))


# Every age a rule or an age band turns on, and the year before it.
_EDGES = sorted(
    {
        edge
        for therapy in KNOWLEDGE.therapies.values()
        for rule in therapy.rules
        for limit in (rule.when.age_at_least, rule.when.age_below)
        if limit is not None
        for edge in (limit - 1, limit)
    }
    | {40}
)


@settings(PAIRS, max_examples=max(PAIRS.max_examples // 5, 3))
@given(patients())
def test_an_unknown_age_is_never_better_placed_than_every_known_age(raw: dict[str, Any]) -> None:
    unknown = {k: v for k, v in raw.items() if k not in ("age", "date_of_birth")}
    known = [advise({**unknown, "age": age}) for age in _EDGES]
    _best_of(known, advise(unknown))


@PAIRS
@given(
    patients(),
    st.sampled_from(MEDICATIONS),
    st.lists(st.integers(0, 60), min_size=2, max_size=2, unique=True),
)
def test_a_drug_stopped_more_recently_never_makes_an_option_more_permissive(
    raw: dict[str, Any], name: str, days: list[int]
) -> None:
    listed = raw["medications"] or []
    late, early = sorted(days)
    others = [m for m in listed if (m if isinstance(m, str) else m["name"]) != name]

    def stopped(days: int) -> dict[str, Any]:
        on = (AS_OF - timedelta(days=days)).isoformat()
        return {**raw, "medications": [*others, {"name": name, "stopped_on": on}]}

    _no_more_permissive(advise(stopped(early)), advise(stopped(late)))


@PAIRS
@given(patients(), st.sampled_from(MEDICATIONS), st.integers(0, 60))
def test_a_current_drug_is_never_more_permissive_than_the_same_drug_stopped(
    raw: dict[str, Any], name: str, days: int
) -> None:
    listed = raw["medications"] or []
    others = [m for m in listed if (m if isinstance(m, str) else m["name"]) != name]
    on = (AS_OF - timedelta(days=days)).isoformat()
    stopped = {**raw, "medications": [*others, {"name": name, "stopped_on": on}]}
    current = {**raw, "medications": [*others, name]}
    _no_more_permissive(advise(stopped), advise(current))
