"""Property-based checks that hold for every item-based instrument (spec §0 rules 1 and 2)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trdnav.core.instruments import Definition, get_instrument, score_instrument
from trdnav.core.instruments.definition import Item

ITEM_INSTRUMENTS = ["phq9", "phq2", "gad7", "qids_sr16", "qids_c16", "madrs", "hamd17", "cadss"]


def scored_range(item: Item) -> list[int]:
    """Answers that count at face value (HAM-D item 16's 'not assessed' 3 scores 0)."""
    answers = item.answers
    return [v for v in range(answers.minimum, answers.maximum + 1) if v != answers.not_assessed]


def complete_forms(definition: Definition) -> st.SearchStrategy[list[int]]:
    return st.tuples(*(st.sampled_from(scored_range(item)) for item in definition.items)).map(list)


@pytest.mark.parametrize("code", ITEM_INSTRUMENTS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_totals_of_complete_forms_stay_within_the_instrument_range(
    code: str, data: st.DataObject
) -> None:
    definition = get_instrument(code).definition
    items = data.draw(complete_forms(definition))
    result = score_instrument(code, {"items": items})
    assert result.valid and not result.rejected
    low, high = definition.total_range or (0, 0)
    assert result.total is not None and low <= result.total <= high


@pytest.mark.parametrize("code", ITEM_INSTRUMENTS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_raising_any_one_answer_never_lowers_the_total(code: str, data: st.DataObject) -> None:
    definition = get_instrument(code).definition
    items = data.draw(complete_forms(definition))
    index = data.draw(st.integers(0, definition.item_count - 1))
    choices = scored_range(definition.items[index])
    higher = data.draw(st.sampled_from([v for v in choices if v >= items[index]]))
    before = score_instrument(code, {"items": items}).total
    after = score_instrument(code, {"items": [*items[:index], higher, *items[index + 1 :]]}).total
    assert before is not None and after is not None and after >= before


@pytest.mark.parametrize("code", ITEM_INSTRUMENTS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_an_out_of_range_answer_is_always_rejected_and_named(
    code: str, data: st.DataObject
) -> None:
    definition = get_instrument(code).definition
    items: list[int] = data.draw(complete_forms(definition))
    index = data.draw(st.integers(0, definition.item_count - 1))
    answers = definition.items[index].answers
    bad = data.draw(
        st.one_of(
            st.integers(max_value=answers.minimum - 1), st.integers(min_value=answers.maximum + 1)
        )
    )
    items[index] = bad
    result = score_instrument(code, {"items": items})
    assert result.rejected and not result.valid and result.total is None
    assert [error.field for error in result.errors] == [f"items[{index}]"]
    assert f"{answers.minimum}–{answers.maximum}" in result.errors[0].message


@pytest.mark.parametrize("code", ["phq9", "qids_sr16", "madrs", "hamd17"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_rejected_form_still_reports_what_its_safety_item_says(
    code: str, data: st.DataObject
) -> None:
    definition = get_instrument(code).definition
    assert definition.safety is not None
    items: list[object] = list(data.draw(complete_forms(definition)))
    safety_index = definition.safety.item - 1
    others = [i for i in range(definition.item_count) if i != safety_index]
    items[data.draw(st.sampled_from(others))] = data.draw(st.sampled_from([99, -1, "2", 1.5, True]))
    result = score_instrument(code, {"items": items})
    value = items[safety_index]
    assert isinstance(value, int)
    assert result.rejected
    expected = "positive" if value >= definition.safety.positive_at_least else "negative"
    assert result.safety == expected


@settings(max_examples=200, deadline=None)
@given(
    answers=st.fixed_dictionaries(
        {
            key: st.sampled_from([True, False, None])
            for key in ("q1", "q2", "q3", "q4", "q5", "q6", "q6_past_3_months")
        }
    ),
    key=st.sampled_from(["q1", "q2", "q3", "q4", "q5", "q6", "q6_past_3_months"]),
)
def test_a_cssrs_yes_never_lowers_the_risk_and_always_makes_the_screen_positive(
    answers: dict[str, bool | None], key: str
) -> None:
    rank: dict[Any, int] = {None: -1, "none": 0, "low": 1, "moderate": 2, "high": 3}
    before = score_instrument("cssrs_screen", answers).to_dict()
    after = score_instrument("cssrs_screen", {**answers, key: True}).to_dict()
    assert rank[after["risk"]] >= rank[before["risk"]]
    assert after["safety"] == "positive"


@pytest.mark.parametrize("code", ["cgi_s", "cgi_i", "pgi_i"])
@settings(max_examples=40, deadline=None)
@given(value=st.integers(-1000, 1000))
def test_a_single_rating_is_scored_only_inside_its_range(code: str, value: int) -> None:
    answers = get_instrument(code).definition.items[0].answers
    result = score_instrument(code, {"score": value})
    assert result.rejected == (not answers.allows(value))
    assert (result.total == value) == (answers.allows(value) and value != answers.not_assessed)
