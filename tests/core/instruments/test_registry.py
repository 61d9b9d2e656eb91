from __future__ import annotations

import pytest

from trdnav.core.errors import UnknownCode
from trdnav.core.instruments import (
    INSTRUMENT_CODES,
    Respondent,
    UnknownInstrument,
    get_instrument,
    list_instruments,
    phq9,
    score_instrument,
)


def test_the_registry_knows_the_twelve_instruments_of_the_contract() -> None:
    assert INSTRUMENT_CODES == (
        "phq9", "phq2", "gad7", "qids_sr16", "qids_c16", "madrs", "hamd17",
        "cgi_s", "cgi_i", "pgi_i", "cadss", "cssrs_screen",
    )  # fmt: skip
    assert [instrument.code for instrument in list_instruments()] == list(INSTRUMENT_CODES)


def test_an_unknown_code_raises_unknown_instrument_listing_the_known_codes() -> None:
    with pytest.raises(UnknownInstrument) as caught:
        get_instrument("bdi2")
    assert isinstance(caught.value, UnknownCode)
    assert caught.value.errors[0].field == "instrument"
    assert "phq9" in caught.value.errors[0].message


def test_scoring_an_unknown_code_raises_rather_than_returning_a_result() -> None:
    with pytest.raises(UnknownInstrument):
        score_instrument("moca", {"score": 30})


def test_an_instrument_exposes_its_code_name_respondent_and_item_count() -> None:
    instrument = get_instrument("madrs")
    assert (instrument.code, instrument.abbreviation) == ("madrs", "MADRS")
    assert instrument.respondent is Respondent.CLINICIAN
    assert instrument.item_count == 10
    assert instrument.definition.licence.text


def test_the_instrument_method_and_the_module_function_score_alike() -> None:
    answers = {"items": [1, 2, 3, 0, 1, 2, 3, 0, 1]}
    assert get_instrument("phq9").score(answers) == phq9.score(answers)


def test_the_result_dictionary_carries_the_contract_fields_and_versions() -> None:
    printed = score_instrument("gad7", {"items": [1] * 7}).to_dict()
    for key in ("instrument", "valid", "total", "severity", "safety", "errors"):
        assert key in printed
    assert printed["definition_version"] == "1"
    assert str(printed["knowledge_version"]).startswith("kb-")
