"""Clinical numbers in explanations and checks are read from the knowledge base, so that an
edit to a knowledge file never leaves a sentence contradicting it."""

from __future__ import annotations

from dataclasses import replace

from trdnav.core.history.knowledge import cgi_s_range
from trdnav.core.history.trd import load_definitions
from trdnav.core.instruments import get_instrument
from trdnav.core.knowledge import load_therapies
from trdnav.core.recommend.notices import ADULT_AGE_GROUP, COMMON_TRD_DEFINITION
from trdnav.core.staging.knowledge import Band, load_staging_rules
from trdnav.core.staging.maudsley import _bands, _not_applicable


def test_the_maudsley_band_sentence_follows_the_bands_in_the_knowledge_base() -> None:
    rules = load_staging_rules().maudsley
    assert _bands(rules) == "mild 3–6, moderate 7–10, severe 11–15"  # staging.toml today
    edited = replace(rules, bands=(Band("mild", 3, 7), Band("moderate", 8, 10)))
    assert _bands(edited) == "mild 3–7, moderate 8–10"
    assert "minimum of 3 points" in _not_applicable(rules)
    assert "minimum of 4 points" in _not_applicable(replace(rules, bands=(Band("mild", 4, 7),)))


def test_the_cgi_s_range_of_a_history_episode_is_the_instruments_total_range() -> None:
    assert cgi_s_range() == get_instrument("cgi_s").definition.total_range == (1, 7)


def test_the_adult_age_and_the_common_trd_definition_named_by_notices_exist() -> None:
    adult = next(g for g in load_therapies().age_groups if g.code == ADULT_AGE_GROUP)
    assert adult.at_least == 18
    common = next(d for d in load_definitions() if d.code == COMMON_TRD_DEFINITION)
    assert common.min_failed == 2
