"""Golden cases for the default worsening rule (P-SR6, fallback P-SR7), one table per
instrument with bands, each checked by hand against the instrument's knowledge file: PHQ-9
reliable change 6 and minimal important difference 5 (unverified); GAD-7 reliable change 4;
QIDS, MADRS and HAM-D have neither, so the fallback applies (two bands up, or a rise at least
as wide as the band left)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trdnav.core.instruments.registry import list_instruments
from trdnav.core.measurement import WorseningRule, detect_worsening

RELIABLE = WorseningRule.RELIABLE_CHANGE
IMPORTANT = WorseningRule.IMPORTANT_BAND_CHANGE
FALLBACK = WorseningRule.FALLBACK_BAND_CHANGE

GOLDEN = [
    # PHQ-9 bands 0–4, 5–9, 10–14, 15–19, 20–27
    ("phq9", 8, 14, RELIABLE),  # a rise of 6 is reliable
    ("phq9", 9, 14, IMPORTANT),  # mild → moderate by 5 = the important difference
    ("phq9", 4, 9, IMPORTANT),  # minimal → mild by 5
    ("phq9", 14, 15, None),  # one point across an edge
    ("phq9", 10, 14, None),  # 4 points within one band
    ("phq9", 11, 15, None),  # 4 points across an edge: below both thresholds
    ("phq9", 20, 27, RELIABLE),
    # GAD-7 bands 0–4, 5–9, 10–14, 15–21; reliable change 4, no important difference known
    ("gad7", 5, 9, RELIABLE),
    ("gad7", 9, 10, None),
    ("gad7", 7, 10, None),  # 3 points across an edge: only a reliable change counts
    # QIDS-SR16 and QIDS-C16 bands 0–5, 6–10, 11–15, 16–20, 21–27
    ("qids_sr16", 5, 6, None),
    ("qids_sr16", 5, 11, FALLBACK),  # two bands up
    ("qids_sr16", 6, 11, FALLBACK),  # rise 5 = the width of 6–10
    ("qids_sr16", 10, 11, None),
    ("qids_sr16", 18, 21, None),  # rise 3 < width 5 of 16–20
    ("qids_c16", 16, 21, FALLBACK),
    # MADRS bands 0–6, 7–19, 20–34, 35–60
    ("madrs", 6, 7, None),  # D19: normal → mild by one point is not worsening
    ("madrs", 19, 20, None),
    ("madrs", 34, 35, None),
    ("madrs", 10, 25, FALLBACK),  # rise 15 ≥ width 13 of 7–19
    ("madrs", 20, 35, FALLBACK),  # rise 15 = width 15 of 20–34
    ("madrs", 6, 20, FALLBACK),  # two bands up
    ("madrs", 8, 20, None),  # rise 12 < width 13
    # HAM-D17 bands 0–7, 8–16, 17–23, 24–52
    ("hamd17", 7, 8, None),
    ("hamd17", 7, 17, FALLBACK),  # two bands up
    ("hamd17", 17, 24, FALLBACK),  # rise 7 = width 7 of 17–23
    ("hamd17", 18, 24, None),
]


@pytest.mark.parametrize(("code", "previous", "current", "rule"), GOLDEN)
def test_the_default_rule_matches_the_hand_checked_case(
    code: str, previous: int, current: int, rule: WorseningRule | None
) -> None:
    found = detect_worsening(code, previous, current)
    assert (found.rule if found else None) == rule


BANDED = [i for i in list_instruments() if i.definition.default_scheme() is not None]


@given(data=st.data())
def test_a_one_point_rise_is_never_worsening_under_the_default_rule(data: st.DataObject) -> None:
    instrument = data.draw(st.sampled_from(BANDED))
    scheme = instrument.definition.default_scheme()
    assert scheme is not None
    previous = data.draw(st.integers(scheme.bands[0].minimum, scheme.bands[-1].maximum - 1))
    assert detect_worsening(instrument.code, previous, previous + 1) is None


@given(data=st.data())
def test_what_the_default_rule_finds_is_a_reliable_rise_or_a_move_into_a_higher_band(
    data: st.DataObject,
) -> None:
    instrument = data.draw(st.sampled_from(BANDED))
    scheme = instrument.definition.default_scheme()
    assert scheme is not None
    low, high = scheme.bands[0].minimum, scheme.bands[-1].maximum
    previous = data.draw(st.integers(low, high))
    current = data.draw(st.integers(low, high))
    found = detect_worsening(instrument.code, previous, current)
    if found is not None and found.rule != RELIABLE:
        before, after = scheme.band_for(previous), scheme.band_for(current)
        assert before is not None and after is not None
        assert after.minimum > before.minimum
