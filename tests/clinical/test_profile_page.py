"""The clinical-profile page: a three-way choice per fact, grouped by kind, dates and trimester,
and medications that are not recorded, none, or listed one per line."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from trdnav.accounts.models import User
from trdnav.audit.services import Actor
from trdnav.clinical.fact_words import GROUPS, fact_label
from trdnav.clinical.forms import (
    ClinicalProfileForm,
    medication_lines,
    parse_medication_lines,
)
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.services import update_clinical_profile
from trdnav.core.knowledge import load_therapies
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db


def _url(patient: Patient) -> str:
    return f"/patients/{patient.pk}/clinical/"


def _post(client: Client, patient: Patient, data: dict[str, Any]) -> Any:
    return client.post(_url(patient), data)


def _stored(patient: Patient) -> ClinicalProfile:
    return ClinicalProfile.objects.get(patient=patient)


def test_present_absent_and_not_checked_round_trip_through_the_page(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = _post(
        client,
        patient,
        {
            "fact__catatonia": "present",
            "fact__myocardial_infarction": "present",
            "fact__myocardial_infarction__on": "2026-10-10",
            "fact__pregnancy": "present",
            "fact__pregnancy__trimester": "2",
            "fact__bipolar_i": "absent",
            "fact__seizure_disorder": "absent",
            "fact__dementia": "unknown",
        },
    )
    assert response.status_code == 302
    stored = _stored(patient)
    # In the vocabulary's order, whatever the order of the form's fields.
    assert stored.facts == [
        "catatonia",
        {"code": "myocardial_infarction", "on": "2026-10-10"},
        {"code": "pregnancy", "trimester": 2},
    ]
    assert stored.absent_facts == ["bipolar_i", "seizure_disorder"]
    form = client.get(_url(patient)).context["form"]
    assert form["fact__catatonia"].value() == "present"
    assert form["fact__bipolar_i"].value() == "absent"
    assert form["fact__dementia"].value() == "unknown"
    assert str(form["fact__myocardial_infarction__on"].value()) == "2026-10-10"
    assert form["fact__pregnancy__trimester"].value() == "2"


def test_saving_the_page_unchanged_stores_the_same_profile(
    client: Client, clinician: User, patient: Patient
) -> None:
    update_clinical_profile(
        patient=patient,
        data={
            "facts": [{"code": "stroke", "on": "2025-01-02"}, "breastfeeding"],
            "absent_facts": ["bipolar_spectrum"],
            "medications": ["sertraline", {"name": "fluoxetine", "stopped_on": "2025-11-01"}],
            "preferences": ["limited_time"],
        },
        by=Actor(user=clinician),
        as_of=patient.date_of_birth.replace(year=2026),
    )
    client.force_login(clinician)
    form = client.get(_url(patient)).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == "":
            continue
        data[name] = value if not hasattr(value, "isoformat") else value.isoformat()
    assert _post(client, patient, data).status_code == 302
    stored = _stored(patient)
    assert stored.facts == [{"code": "stroke", "on": "2025-01-02"}, "breastfeeding"]
    members = load_therapies().vocabulary.groups["bipolar_spectrum"].members
    assert sorted(stored.absent_facts) == sorted(members)  # the group, one by one
    assert stored.medications == [
        "sertraline",
        {"name": "fluoxetine", "stopped_on": "2025-11-01"},
    ]
    assert stored.preferences == ["limited_time"]


@pytest.mark.parametrize(
    ("text", "none", "stored"),
    [
        ("", False, None),
        ("", True, []),
        ("Sertraline\n\n  lithium  \n", False, ["Sertraline", "lithium"]),
        (
            "fluoxetine; stopped 2026-11-01",
            False,
            [{"name": "fluoxetine", "stopped_on": "2026-11-01"}],
        ),
    ],
    ids=["not recorded", "reviewed: none", "names", "stopped on a date"],
)
def test_the_medications_box_and_the_none_tick_store_what_was_meant(
    client: Client, clinician: User, patient: Patient, text: str, none: bool, stored: Any
) -> None:
    client.force_login(clinician)
    data: dict[str, Any] = {"medications": text}
    if none:
        data["medications_none"] = "on"
    assert _post(client, patient, data).status_code == 302
    assert _stored(patient).medications == stored
    form = client.get(_url(patient)).context["form"]
    assert form["medications_none"].value() is none


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (
            {"medications": "fluoxetine; 2026-11-01"},
            "medications",
            "Current medications, line 1 (“fluoxetine; 2026-11-01”): after the “;” write the date",
        ),
        (
            {"medications": "a\nfluoxetine; stopped 2026-31-01"},
            "medications",
            "Current medications, line 2: “2026-31-01” is not a date",
        ),
        (
            {"medications": "lithium", "medications_none": "on"},
            "medications_none",
            "“Medications reviewed: none” is ticked but medicines are listed",
        ),
        (
            {"fact__stroke": "absent", "fact__stroke__on": "2026-01-01"},
            "fact__stroke__on",
            "Stroke: a date is given but the fact is not marked Present",
        ),
        (
            {"fact__pregnancy__trimester": "1"},
            "fact__pregnancy__trimester",
            "Pregnant: a trimester is given but the fact is not marked Present",
        ),
        (
            {"fact__stroke": "present", "fact__stroke__on": "2999-01-01"},
            "fact__stroke__on",
            "Stroke, date: is after the decision date",
        ),
        (
            {"fact__stroke": "present", "fact__stroke__on": "01/02/2026"},
            "fact__stroke__on",
            "Stroke: enter the date as YYYY-MM-DD.",
        ),
        (
            {"fact__catatonia": "maybe"},
            "fact__catatonia",
            "Catatonia: choose Present, Absent (checked) or Not checked.",
        ),
        (
            {"fact__pregnancy": "present", "fact__pregnancy__trimester": "4"},
            "fact__pregnancy__trimester",
            "Pregnant: the trimester is 1, 2 or 3.",
        ),
    ],
    ids=[
        "a stop date without the word",
        "a stop date that is not a date",
        "none ticked with a list",
        "a date on an absent fact",
        "a trimester without pregnancy",
        "an event in the future (refused by the core)",
        "a date in another format",
        "a fourth state",
        "a fourth trimester",
    ],
)
def test_errors_name_the_field_in_plain_words_and_nothing_is_stored(
    client: Client, clinician: User, patient: Patient, data: dict[str, Any], field: str, words: str
) -> None:
    client.force_login(clinician)
    response = _post(client, patient, data)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert words in errors
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert f'href="#id_{field}"' in html
    assert not ClinicalProfile.objects.filter(patient=patient).exists()


def test_every_vocabulary_fact_is_offered_once_in_a_labelled_group(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.get(_url(patient))
    html = response.content.decode()
    vocabulary = load_therapies().vocabulary
    for code in vocabulary.facts:
        assert html.count(f'name="fact__{code}"') == 3, code  # present, absent, not checked
        assert html.count(f'id="fact-{code}-name"') == 1
        assert f'aria-describedby="help-{code}"' in html
        assert f'id="help-{code}"' in html
    for code, entry in vocabulary.facts.items():
        assert (f'name="fact__{code}__on"' in html) is entry.dated
    assert 'name="fact__pregnancy__trimester"' in html
    legends = re.findall(r"<legend>(.*?)</legend>", html)
    headings = [heading for _, heading, _ in GROUPS]
    assert [h for h in legends if h in headings] == [
        h for h in headings if h in legends
    ]  # in the designed order
    assert {"Psychiatric", "Pregnancy and breastfeeding", "Medications"} <= set(legends)
    # Every radio and input has a label tied to it.
    for input_id in re.findall(r'<input[^>]+id="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id
    assert "<script" not in html.split("<main", 1)[1]


def test_a_new_profile_shows_every_fact_as_not_checked(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    form = client.get(_url(patient)).context["form"]
    states = {form[f"fact__{code}"].value() for code in load_therapies().vocabulary.facts}
    assert states == {"unknown"}
    assert form["medications_none"].value() is False


def test_facts_the_layout_does_not_list_still_appear_under_other() -> None:
    form = ClinicalProfileForm()
    form.fact_codes = [*form.fact_codes, "brand_new_fact"]
    form.meanings["brand_new_fact"] = "A fact added to the vocabulary later."
    form._add_fact_fields("brand_new_fact")
    groups = form.fact_groups()
    assert groups[-1].heading == "Other"
    assert [row.code for row in groups[-1].rows] == ["brand_new_fact"]
    assert groups[-1].rows[0].label == fact_label("brand_new_fact") == "Brand new fact"


def test_medication_lines_and_the_stored_list_are_inverses() -> None:
    stored = ["sertraline", {"name": "fluoxetine", "stopped_on": "2026-11-01"}]
    assert parse_medication_lines(medication_lines(stored)) == stored
    assert parse_medication_lines("Fluoxetine; Stopped on 2026-11-01") == [
        {"name": "Fluoxetine", "stopped_on": "2026-11-01"}
    ]


def test_the_cores_field_paths_land_on_the_forms_fields_in_words() -> None:
    from trdnav.core.errors import FieldError, InvalidInput

    form = ClinicalProfileForm(
        {
            "fact__catatonia": "present",
            "fact__stroke": "present",
            "fact__stroke__on": "2026-01-01",
            "fact__bipolar_i": "absent",
            "medications": "sertraline\nfluoxetine; stopped 2026-11-01",
        }
    )
    assert form.is_valid(), form.errors
    form.add_core_errors(
        InvalidInput(
            [
                FieldError("facts[1].on", "too early"),
                FieldError("absent_facts[0]", "clash"),
                FieldError("medications[1].stopped_on", "odd"),
                FieldError("date_of_birth", "gives an age outside 0 to 120"),
            ]
        )
    )
    assert form.errors["fact__stroke__on"] == ["Stroke, date: too early"]
    assert form.errors["fact__bipolar_i"] == ["Bipolar I disorder: clash"]
    assert form.errors["medications"] == ["Current medications line 2 (stop date): odd"]
    assert form.non_field_errors() == [
        "Date of birth (patient details): gives an age outside 0 to 120"
    ]
