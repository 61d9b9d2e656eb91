"""The clinical profile stores the patient context of the engine: facts present (plain or
dated), facts checked and absent, and medications that are not recorded, none, or a list."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from trdnav.accounts.models import User
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.services import options_for, profile_of, update_clinical_profile
from trdnav.core.errors import InvalidInput
from trdnav.core.knowledge import load_therapies
from trdnav.core.recommend import parse_patient
from trdnav.patients.models import Patient

AS_OF = date(2026, 11, 30)


def _save(patient: Patient, clinician: User, **data: Any) -> ClinicalProfile:
    return update_clinical_profile(
        patient=patient, data=data, by=Actor(user=clinician), as_of=AS_OF
    )


def _refused(patient: Patient, clinician: User, **data: Any) -> list[str]:
    with pytest.raises(InvalidInput) as exc:
        _save(patient, clinician, **data)
    return [error.field for error in exc.value.errors]


def test_present_absent_and_unchecked_facts_are_stored_as_given(
    patient: Patient, clinician: User
) -> None:
    facts = [
        "psychotic_features",
        {"code": "myocardial_infarction", "on": "2026-10-10"},
        {"code": "pregnancy", "trimester": 2},
    ]
    _save(patient, clinician, facts=facts, absent_facts=["bipolar_i", "seizure_disorder"])
    stored = ClinicalProfile.objects.get(patient=patient)
    assert stored.facts == facts
    assert stored.absent_facts == ["bipolar_i", "seizure_disorder"]
    parsed = parse_patient(stored.as_engine_input(date_of_birth=None), as_of=AS_OF)
    assert "catatonia" not in parsed.facts | parsed.absent_facts  # unknown: in neither list


def test_a_new_profile_has_medications_not_recorded_rather_than_none(
    patient: Patient,
) -> None:
    profile = profile_of(patient)
    assert profile.medications is None
    assert "medications" not in profile.as_engine_input(date_of_birth=None)


@pytest.mark.parametrize(
    ("medications", "recorded"),
    [
        (None, False),
        ([], True),
        (["sertraline", {"name": "fluoxetine", "stopped_on": "2026-11-01"}], True),
    ],
    ids=["not recorded", "none", "a list with a stopped drug"],
)
def test_medications_keep_not_recorded_none_and_entries_apart(
    patient: Patient, clinician: User, medications: list[Any] | None, recorded: bool
) -> None:
    _save(patient, clinician, medications=["lithium"])
    _save(patient, clinician, medications=medications)
    stored = ClinicalProfile.objects.get(patient=patient)
    assert stored.medications == medications
    result = options_for(patient=patient, as_of=AS_OF).to_dict()
    assert result["patient"]["medications_recorded"] is recorded


def test_the_engine_reads_the_patients_date_of_birth_not_a_typed_age(
    patient: Patient, clinician: User
) -> None:
    profile = _save(patient, clinician, facts=[])
    data = profile.as_engine_input(date_of_birth=patient.date_of_birth)
    assert data["date_of_birth"] == "1980-05-17"
    assert "age" not in data
    result = options_for(patient=patient, as_of=AS_OF).to_dict()
    assert result["patient"]["date_of_birth"] == "1980-05-17"
    assert result["patient"]["age"] == 46


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"facts": [{"code": "myocardial_infarction", "on": "10/10/2026"}]}, "facts[0].on"),
        ({"facts": ["catatonia", {"code": "stroke", "on": "2027-01-01"}]}, "facts[1].on"),
        ({"facts": [{"code": "catatonia", "on": "2026-01-01"}]}, "facts[0].on"),
        ({"facts": [{"code": "pregnancy", "trimester": 4}]}, "facts[0].trimester"),
        ({"facts": [{"code": "flying"}]}, "facts[0].code"),
        ({"absent_facts": ["bipolar_i", "flying"]}, "absent_facts[1]"),
        ({"facts": ["bipolar_i"], "absent_facts": ["bipolar_i"]}, "absent_facts[0]"),
        (
            {"medications": [{"name": "fluoxetine", "stopped_on": "soon"}]},
            "medications[0].stopped_on",
        ),
        ({"medications": ["sertraline", 7]}, "medications[1]"),
    ],
    ids=[
        "a date not in ISO form",
        "an event after the decision date",
        "a date on a fact that is not dated",
        "a fourth trimester",
        "an unknown code in an object",
        "an unknown absent code",
        "present and absent at once",
        "a stop date that is not a date",
        "a medication that is not a name",
    ],
)
def test_wrong_context_is_refused_with_its_field_path_and_nothing_is_stored(
    patient: Patient, clinician: User, data: dict[str, Any], path: str
) -> None:
    assert path in _refused(patient, clinician, **data)
    assert not ClinicalProfile.objects.filter(patient=patient).exists()


def test_a_refused_change_leaves_the_stored_profile_as_it_was(
    patient: Patient, clinician: User
) -> None:
    _save(patient, clinician, facts=["catatonia"], absent_facts=["pregnancy"], medications=[])
    _refused(patient, clinician, facts=[{"code": "stroke", "on": "yesterday"}], medications=None)
    stored = ClinicalProfile.objects.get(patient=patient)
    assert (stored.facts, stored.absent_facts, stored.medications) == (
        ["catatonia"],
        ["pregnancy"],
        [],
    )


def test_an_alias_and_a_group_are_accepted_as_the_core_defines_them(
    patient: Patient, clinician: User
) -> None:
    vocabulary = load_therapies().vocabulary
    alias = next(iter(vocabulary.aliases))
    group = next(iter(vocabulary.groups))
    _save(patient, clinician, facts=[alias], absent_facts=[group])
    parsed = parse_patient(
        ClinicalProfile.objects.get(patient=patient).as_engine_input(date_of_birth=None)
    )
    assert vocabulary.aliases[alias] in parsed.facts
    assert set(vocabulary.groups[group].members) <= parsed.absent_facts
