"""Every instrument file in the knowledge base validates, and its numbers hang together."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

import pytest

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.instruments import INSTRUMENT_CODES, get_instrument
from trdnav.core.instruments.definition import Definition
from trdnav.core.instruments.loader import load_definition
from trdnav.core.instruments.loader_parts import parse_loinc, parse_outcome
from trdnav.core.knowledge import Status, data_dir
from trdnav.core.measurement import early_improvement_rule

SUMMED = ["phq9", "phq2", "gad7", "madrs", "hamd17", "cadss"]
REGISTER = {f"P-A{n}" for n in range(1, 11)}


def test_every_instrument_code_has_exactly_one_knowledge_file() -> None:
    # Files starting with "_" are not instruments: the source register, _sources.toml.
    folder = data_dir() / "instruments"
    files = {path.stem for path in folder.glob("*.toml") if not path.name.startswith("_")}
    assert files == set(INSTRUMENT_CODES)
    assert {path.name for path in folder.glob("_*.toml")} == {"_sources.toml"}


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_every_instrument_file_validates(code: str) -> None:
    definition = load_definition(code)
    assert definition.code == code
    assert isinstance(definition.provenance.reviewed_on, date)
    assert definition.items and definition.licence.text
    assert set(definition.policies) <= REGISTER


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_band_schemes_cover_the_total_range_without_gaps_or_overlaps(code: str) -> None:
    definition = load_definition(code)
    if not definition.band_schemes:
        return
    assert sum(scheme.default for scheme in definition.band_schemes) == 1
    assert definition.total_range is not None
    low, high = definition.total_range
    for scheme in definition.band_schemes:
        edges = [(band.minimum, band.maximum) for band in scheme.bands]
        assert edges[0][0] == low and edges[-1][1] == high
        assert all(prev[1] + 1 == nxt[0] for prev, nxt in pairwise(edges))


def _scored_max(definition: Definition) -> int:
    total = 0
    for item in definition.items:
        answers = item.answers
        values = [
            v for v in range(answers.minimum, answers.maximum + 1) if v != answers.not_assessed
        ]
        total += max(values)
    return total


@pytest.mark.parametrize("code", SUMMED)
def test_the_stated_maximum_of_a_summed_instrument_equals_the_sum_of_its_item_maxima(
    code: str,
) -> None:
    definition = load_definition(code)
    assert definition.total_range == (0, _scored_max(definition))


def test_hamd17_maximum_is_52_not_54() -> None:
    assert load_definition("hamd17").total_range == (0, 52)


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_the_safety_item_exists_and_its_thresholds_are_in_range(code: str) -> None:
    rule = load_definition(code).safety
    if rule is None:
        return
    answers = load_definition(code).item(rule.item).answers
    assert answers.minimum < rule.positive_at_least <= answers.maximum
    assert rule.high_priority_at_least is None or (
        rule.positive_at_least <= rule.high_priority_at_least <= answers.maximum
    )


def test_loinc_codes_appear_only_where_the_spec_marks_them_verified() -> None:
    with_codes = {
        code
        for code in INSTRUMENT_CODES
        if load_definition(code).loinc is not None
        or any(item.loinc for item in load_definition(code).items)
    }
    assert with_codes == {"phq9", "phq2", "gad7", "cssrs_screen"}


def test_phq9_item9_code_is_not_mistaken_for_the_total() -> None:
    definition = load_definition("phq9")
    assert definition.item(9).loinc == "44260-8"
    assert definition.loinc is not None
    assert {c.role: c.code for c in definition.loinc.codes}["total"] == "44261-6"


def test_figures_recalled_from_memory_are_marked_unverified() -> None:
    assert load_definition("pgi_i").provenance.status is Status.UNVERIFIED
    assert load_definition("cadss").provenance.status is Status.UNVERIFIED
    assert load_definition("cadss").items[0].answers.status is Status.UNVERIFIED
    hamd_recall = load_definition("hamd17").recall
    assert hamd_recall is not None and hamd_recall.status is Status.UNVERIFIED
    assert load_definition("gad7").cutoffs[0].status is Status.UNVERIFIED
    assert load_definition("qids_sr16").algorithm["either_or"]["status"] == "unverified"
    madrs = load_definition("madrs").outcome
    assert madrs is not None
    assert {r.name: r.status for r in madrs.remission}["at_most_9"] is Status.UNVERIFIED


def test_the_cssrs_file_stores_no_item_wording() -> None:
    text = (data_dir() / "instruments" / "cssrs_screen.toml").read_text(encoding="utf-8").lower()
    for wording in ("wish", "dead", "kill", "intention", "intend", "method", "prepar", "attempt"):
        assert not re.search(wording, text), wording


def test_qids_c16_takes_its_items_and_scoring_from_qids_sr16() -> None:
    sr16, c16 = get_instrument("qids_sr16").definition, get_instrument("qids_c16").definition
    assert c16.respondent.value == "clinician" and sr16.respondent.value == "patient"
    assert [i.label for i in c16.items] == [i.label for i in sr16.items]
    assert c16.algorithm["domains"] == sr16.algorithm["domains"]


def test_the_early_improvement_rule_loads_from_its_file() -> None:
    rule = early_improvement_rule()
    assert (rule.min_pct, rule.within_days, rule.status) == (20, 14, Status.VERIFIED)


def test_a_loinc_table_not_marked_verified_is_refused() -> None:
    document = {"loinc": {"status": "unverified", "source": "x", "codes": []}}
    with pytest.raises(KnowledgeBaseError, match="only verified LOINC"):
        parse_loinc(document, "test.toml")


def test_two_default_remission_rules_are_refused() -> None:
    rule = {"comparison": "le", "value": 5, "default": True, "source": "x"}
    document = {"outcome": {"remission": [{**rule, "name": "a"}, {**rule, "name": "b"}]}}
    with pytest.raises(KnowledgeBaseError, match="exactly one remission rule"):
        parse_outcome(document, Status.VERIFIED, "test.toml")
