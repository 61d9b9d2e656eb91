"""Bad medication input is a field error naming ``medications[i]``, never a crash."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.core.medications.conftest import AS_OF
from trdnav.core.errors import InvalidInput
from trdnav.core.medications import (
    MedicationEntry,
    MedicationTable,
    parse_medications,
    review_medications,
)


def fields_of(raw: Any) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        parse_medications(raw)
    return [e.field for e in caught.value.errors]


def test_missing_or_null_medications_are_not_recorded() -> None:
    assert parse_medications(None) is None


def test_an_empty_list_means_no_medications() -> None:
    assert parse_medications([]) == ()


def test_names_and_objects_are_read_in_order() -> None:
    raw = ["  sertraline ", {"name": "fluoxetine", "stopped_on": "2026-11-01"}]
    assert parse_medications(raw) == (
        MedicationEntry("sertraline"),
        MedicationEntry("fluoxetine", date(2026, 11, 1)),
    )


def test_an_object_without_stopped_on_is_current() -> None:
    assert parse_medications([{"name": "lithium", "stopped_on": None}]) == (
        MedicationEntry("lithium"),
    )


@pytest.mark.parametrize("raw", ["sertraline", {"name": "x"}, 3, True])
def test_a_value_that_is_not_a_list_names_the_field(raw: Any) -> None:
    assert fields_of(raw) == ["medications"]


def test_each_bad_element_is_named_by_its_index() -> None:
    assert fields_of(["sertraline", "", 7, None, {"stopped_on": "2026-01-01"}]) == [
        "medications[1]",
        "medications[2]",
        "medications[3]",
        "medications[4].name",
    ]


@pytest.mark.parametrize("stopped_on", ["2026-13-01", "01/11/2026", "20261101", 20261101, "soon"])
def test_a_bad_stop_date_names_the_element_and_key(stopped_on: Any) -> None:
    assert fields_of([{"name": "fluoxetine", "stopped_on": stopped_on}]) == [
        "medications[0].stopped_on"
    ]


def test_unknown_keys_in_an_entry_are_named() -> None:
    assert fields_of([{"name": "lithium", "dose": "400 mg", "started": "x"}]) == [
        "medications[0].dose",
        "medications[0].started",
    ]


def test_an_overlong_or_control_character_name_is_refused() -> None:
    assert fields_of(["x" * 121, "sert\x00raline"]) == ["medications[0]", "medications[1]"]


def test_the_field_prefix_can_be_chosen_by_the_caller() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_medications([""], field="patient.medications")
    assert caught.value.errors[0].field == "patient.medications[0]"


def test_a_stop_date_after_the_assessment_date_is_an_error_naming_the_element(
    table: MedicationTable,
) -> None:
    entries = parse_medications(["lithium", {"name": "fluoxetine", "stopped_on": "2026-12-01"}])
    assert entries is not None
    with pytest.raises(InvalidInput) as caught:
        review_medications(entries, table, as_of=AS_OF)
    (error,) = caught.value.errors
    assert error.field == "medications[1].stopped_on"
    assert "after the assessment date 2026-11-30" in error.message


def test_a_stop_date_on_the_assessment_date_is_allowed(table: MedicationTable) -> None:
    entries = parse_medications([{"name": "phenelzine", "stopped_on": "2026-11-30"}])
    assert entries is not None
    assert review_medications(entries, table, as_of=AS_OF).active == ("phenelzine",)
