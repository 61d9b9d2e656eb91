"""The visit summary's current treatment: the current episode's treatments that have not
ended, in plain words, from the clinic's stored history; a fallback, never an error (P-P7)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from trdnav.accounts.models import User
from trdnav.clinical.models import ClinicalProfile
from trdnav.core.errors import InvalidInput
from trdnav.patients.models import Patient
from trdnav.portal.services.current_treatment import describe_current

TODAY = date(2026, 11, 27)
FALLBACK = "No current treatment recorded by your clinic."


def drug(
    ident: str, name: str, start: str, *doses: tuple[str, float], **more: Any
) -> dict[str, Any]:
    kind = "augmentation" if "augments" in more else "antidepressant"
    key = "agent" if kind == "augmentation" else "drug"
    return {
        "id": ident, "episode": more.pop("episode", "e2"), "kind": kind, key: name,
        "start": start, "doses": [{"from": day, "mg_per_day": mg} for day, mg in doses], **more,
    }  # fmt: skip


def history(*treatments: dict[str, Any]) -> dict[str, Any]:
    episodes = [
        {"id": "e1", "start": "2020-01-01", "end": "2021-01-01"},
        {"id": "e2", "start": "2025-06-01", "end": None},
    ]
    return {"episodes": episodes, "treatments": list(treatments)}


def test_an_ongoing_antidepressant_is_said_with_its_dose_and_start() -> None:
    raw = history(drug("s", "sertraline", "2026-03-03", ("2026-03-03", 100)))
    assert describe_current(raw, today=TODAY) == ("Sertraline 100 mg a day since 3 March 2026.",)


def test_a_dose_change_says_since_when_the_current_dose_is_taken() -> None:
    raw = history(
        drug("s", "sertraline", "2026-03-03", ("2026-03-03", 50), ("2026-04-01", 150)),
    )
    assert describe_current(raw, today=TODAY) == (
        "Sertraline since 3 March 2026, 150 mg a day since 1 April 2026.",
    )


def test_ended_treatments_and_earlier_episodes_are_left_out_and_courses_are_named() -> None:
    raw = history(
        drug("old", "citalopram", "2020-02-01", ("2020-02-01", 20), episode="e1",
             end="2020-06-01"),
        drug("done", "venlafaxine", "2025-07-01", ("2025-07-01", 150), end="2026-01-10"),
        drug("v", "vortioxetine", "2026-01-20", ("2026-01-20", 10)),
        drug("t3", "t3", "2026-05-01", ("2026-05-01", 0.025), augments="v"),
        {"id": "tms", "episode": "e2", "kind": "tms", "protocol": "itbs", "start": "2026-09-07"},
        {"id": "cbt", "episode": "e2", "kind": "psychotherapy", "modality": "cbt",
         "start": "2026-02-01", "end": "2027-01-31"},
    )  # fmt: skip
    assert describe_current(raw, today=TODAY) == (
        "Vortioxetine 10 mg a day since 20 January 2026.",
        "Talking therapy (CBT) since 1 February 2026, planned until 31 January 2027.",
        "Liothyronine (T3) 25 micrograms a day since 1 May 2026, added to vortioxetine.",
        "TMS (iTBS) course since 7 September 2026.",
    )


def test_a_treatment_that_starts_later_is_said_to_be_starting() -> None:
    raw = history({"id": "k", "episode": "e2", "kind": "esketamine", "start": "2026-12-07"})
    assert describe_current(raw, today=TODAY) == ("Esketamine course starting on 7 December 2026.",)


@pytest.mark.parametrize("raw", [[], "x", {"episodes": []}, {"episodes": [{"id": 1}]}])
def test_a_document_that_is_not_a_valid_history_is_refused(raw: object) -> None:
    with pytest.raises(InvalidInput):
        describe_current(raw, today=TODAY)


@pytest.fixture
def as_patient(client: Client, patient_user: User) -> Client:
    client.force_login(patient_user)
    return client


def summary(client: Client) -> str:
    return client.get("/portal/visit/summary/").content.decode()


@pytest.mark.django_db
def test_the_summary_shows_the_patients_own_current_treatment(
    as_patient: Client, patient: Patient, other_patient: Patient
) -> None:
    raw = history(drug("s", "sertraline", "2026-03-03", ("2026-03-03", 100)))
    ClinicalProfile.objects.create(patient=patient, history=raw)
    ClinicalProfile.objects.create(
        patient=other_patient,
        history=history(drug("m", "mirtazapine", "2026-03-03", ("2026-03-03", 30))),
    )
    page = summary(as_patient)
    assert "Sertraline 100 mg a day since 3 March 2026." in page
    assert "irtazapine" not in page
    assert FALLBACK not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stored",
    [
        None,
        history(),
        history(drug("s", "sertraline", "2026-03-03", ("2026-03-03", 100), end="2026-04-01")),
        {"episodes": "not a list"},
        ["a", "list"],
    ],
)
def test_no_history_none_current_or_an_unreadable_one_shows_the_fallback(
    as_patient: Client, patient: Patient, stored: object
) -> None:
    ClinicalProfile.objects.create(patient=patient, history=stored)
    response = as_patient.get("/portal/visit/summary/")
    assert response.status_code == 200
    assert FALLBACK in response.content.decode()


@pytest.mark.django_db
def test_a_patient_without_a_clinical_profile_sees_the_fallback(as_patient: Client) -> None:
    assert FALLBACK in summary(as_patient)
