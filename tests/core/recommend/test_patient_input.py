"""The patient JSON of issue 9: date of birth, dated facts, trimester, absent facts, medications."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from trdnav.core.errors import InvalidInput
from trdnav.core.medications import MedicationEntry
from trdnav.core.recommend import parse_patient
from trdnav.core.recommend.fact_input import FactEntry

AS_OF = date(2026, 11, 30)


def fields_of(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        parse_patient(raw, as_of=AS_OF)
    return [e.field for e in caught.value.errors]


def test_the_example_of_the_design_is_read_completely() -> None:
    patient = parse_patient(
        {
            "date_of_birth": "1980-05-01",
            "facts": [
                "psychotic_features",
                {"code": "myocardial_infarction", "on": "2026-10-10"},
                {"code": "pregnancy", "trimester": 2},
            ],
            "absent_facts": ["bipolar_i", "seizure_disorder"],
            "medications": ["sertraline", {"name": "fluoxetine", "stopped_on": "2026-11-01"}],
        },
        as_of=AS_OF,
    )
    assert patient.age_on(AS_OF) == 46
    assert patient.facts == {"psychotic_features", "myocardial_infarction", "pregnancy"}
    assert FactEntry("myocardial_infarction", on=date(2026, 10, 10)) in patient.fact_entries
    assert FactEntry("pregnancy", trimester=2) in patient.fact_entries
    assert patient.absent_facts == {"bipolar_i", "seizure_disorder"}
    assert patient.medications_recorded
    assert patient.medication_entries[1] == MedicationEntry("fluoxetine", date(2026, 11, 1))


def test_missing_or_null_medications_mean_not_recorded_and_an_empty_list_means_none() -> None:
    assert not parse_patient({}).medications_recorded
    assert not parse_patient({"medications": None}).medications_recorded
    assert parse_patient({"medications": []}).medications_recorded


def test_an_absent_group_stands_for_every_member_and_an_alias_reads_as_its_code() -> None:
    patient = parse_patient({"facts": ["metal_in_head"], "absent_facts": ["bipolar_spectrum"]})
    assert patient.facts == {"ferromagnetic_implant_head"}
    assert "past_mania_or_hypomania" in patient.absent_facts


def test_every_wrong_field_is_reported_at_once_with_its_path() -> None:
    raw = {
        "age": 40,
        "date_of_birth": "1980-05-01",
        "facts": [
            "psychotic_features",
            {"code": "myocardial_infarction", "on": "2026-13-10"},
            {"code": "pregnancy", "trimester": 4},
            {"code": "catatonia", "on": "2026-01-01"},
            {"code": "stroke", "on": "2027-01-01", "why": "x"},
            {"code": "catatonia", "trimester": 1},
            7,
        ],
        "absent_facts": ["psychotic_features"],
        "medications": ["sertraline", {"name": ""}, {"name": "x", "stopped_on": "soon"}],
    }
    assert fields_of(raw) == [
        "age",
        "facts[1].on",
        "facts[2].trimester",
        "facts[3].on",
        "facts[4].why",
        "facts[4].on",
        "facts[5].trimester",
        "facts[6]",
        "absent_facts[0]",
        "medications[1].name",
        "medications[2].stopped_on",
    ]


def test_a_bad_date_of_birth_or_unknown_code_names_its_field() -> None:
    assert fields_of({"date_of_birth": "01/05/1980"}) == ["date_of_birth"]
    assert fields_of({"date_of_birth": "1800-01-01"}) == ["date_of_birth"]
    assert fields_of({"facts": [{"code": "unicorn"}]}) == ["facts[0].code"]
    assert fields_of({"absent_facts": ["unicorn"]}) == ["absent_facts[0]"]
    assert fields_of({"medications": "sertraline"}) == ["medications"]


def test_age_and_date_of_birth_that_agree_are_accepted() -> None:
    assert parse_patient({"age": 46, "date_of_birth": "1980-05-01"}, as_of=AS_OF).age == 46
    assert parse_patient({"age": 45, "date_of_birth": "1980-12-01"}, as_of=AS_OF).age == 45
