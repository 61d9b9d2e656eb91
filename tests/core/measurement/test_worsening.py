from __future__ import annotations

import pytest

from trdnav.core.instruments import UnknownInstrument
from trdnav.core.measurement import WorseningPolicy, WorseningRule, detect_worsening


def test_a_phq9_rise_of_six_points_is_reliable_worsening() -> None:
    found = detect_worsening("phq9", previous=8, current=14)
    assert found is not None
    assert (found.rule, found.rise) == (WorseningRule.RELIABLE_CHANGE, 6)
    assert "6 points" in found.explanation


def test_a_phq9_rise_of_five_points_across_a_band_is_an_important_change_by_default() -> None:
    found = detect_worsening("phq9", previous=9, current=14)
    assert found is not None
    assert found.rule == WorseningRule.IMPORTANT_BAND_CHANGE
    assert not found.verified  # the PHQ-9 minimal important difference is from memory


def test_under_the_any_band_rule_a_phq9_rise_of_five_is_not_worsening() -> None:
    assert detect_worsening("phq9", 9, 14, policy=WorseningPolicy.ANY_BAND) is None


def test_a_gad7_rise_uses_its_own_four_point_threshold() -> None:
    assert detect_worsening("gad7", previous=5, current=9) is not None
    assert detect_worsening("gad7", previous=5, current=8) is None


def test_without_a_reliable_change_threshold_a_whole_band_of_rise_is_worsening() -> None:
    found = detect_worsening("madrs", previous=10, current=25)
    assert found is not None
    assert found.rule == WorseningRule.FALLBACK_BAND_CHANGE
    assert not found.verified


def test_under_the_any_band_rule_any_higher_band_is_worsening() -> None:
    found = detect_worsening("madrs", 19, 20, policy=WorseningPolicy.ANY_BAND)
    assert found is not None
    assert found.rule == WorseningRule.SEVERITY_BAND


def test_a_rise_within_one_band_of_madrs_is_not_worsening() -> None:
    assert detect_worsening("madrs", previous=20, current=21) is None


def test_a_fall_or_no_change_is_never_worsening() -> None:
    assert detect_worsening("phq9", previous=20, current=3) is None
    assert detect_worsening("madrs", previous=20, current=20) is None


def test_an_unknown_instrument_raises() -> None:
    with pytest.raises(UnknownInstrument):
        detect_worsening("bdi2", previous=1, current=2)
