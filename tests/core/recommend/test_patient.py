"""Bad patient input is refused with the field and what is allowed."""

from __future__ import annotations

import pytest

from trdnav.core.errors import InvalidInput, UnknownCode
from trdnav.core.recommend import parse_patient


def test_an_unknown_fact_code_is_refused_listing_the_known_codes() -> None:
    with pytest.raises(UnknownCode) as caught:
        parse_patient({"facts": ["psychotic_features", "grumpy"]})
    assert caught.value.errors[0].field == "facts[1]"
    assert "cochlear_implant" in caught.value.known


def test_an_unknown_preference_is_refused_listing_the_known_preferences() -> None:
    with pytest.raises(UnknownCode) as caught:
        parse_patient({"preferences": ["cheap"]})
    assert caught.value.errors[0].field == "preferences[0]"
    assert "needs_rapid_relief" in caught.value.known


def test_an_unknown_offered_therapy_is_refused() -> None:
    with pytest.raises(UnknownCode) as caught:
        parse_patient({"offered": ["ect", "magic"]})
    assert caught.value.errors[0].field == "offered[1]"


@pytest.mark.parametrize("age", [-1, 121, 40.5, "40", True])
def test_an_impossible_age_is_refused(age: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_patient({"age": age})
    assert caught.value.errors[0].field == "age"


def test_an_unknown_top_level_key_is_refused_naming_the_allowed_keys() -> None:
    with pytest.raises(InvalidInput, match="allowed: age, date_of_birth, facts"):
        parse_patient({"diagnosis": "MDD"})


def test_a_broken_history_is_refused_with_a_path_inside_history() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_patient({"history": {"episodes": [], "treatments": [{"id": "t1", "kind": "yoga"}]}})
    assert all(e.field.startswith("history") for e in caught.value.errors)


def test_an_empty_patient_is_valid_and_has_no_history() -> None:
    patient = parse_patient({})
    assert patient.history is None
    assert patient.offered is None


def test_every_wrong_field_is_reported_at_once() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_patient(
            {
                "age": -4,
                "facts": ["grumpy", "psychotic_features", "sleepy"],
                "preferences": ["cheap"],
                "medications": [5],
                "offered": ["magic"],
            }
        )
    assert [e.field for e in caught.value.errors] == [
        "age",
        "facts[0]",
        "facts[2]",
        "preferences[0]",
        "medications[0]",
        "offered[0]",
    ]
    assert "needs_rapid_relief" in caught.value.errors[3].message
