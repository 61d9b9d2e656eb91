"""A medication-trial course becomes a drug trial of the history (P-L9): its doses give the
timeline, so the history engine judges its adequacy from the dose tables."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine

from tests.courses.loop.builders import (
    START,
    end,
    give_history,
    make_course,
    phq9,
    sign_sessions,
    stored,
)
from trdnav.accounts.models import User
from trdnav.clinical.models import ClinicalProfile
from trdnav.core.history.from_course import EndedTrial, dose_steps
from trdnav.courses.models import CourseStatus
from trdnav.history.models import HistorySnapshot
from trdnav.patients.models import Patient

ENDED = START + timedelta(days=56)
TRIAL = "medication_trial"
ONE_FAILED: dict[str, Any] = {
    "episodes": [{"id": "e1", "start": "2026-01-01", "end": None, "severity": "moderate"}],
    "treatments": [
        {"id": "sertraline", "episode": "e1", "kind": "antidepressant", "drug": "sertraline",
         "start": "2026-01-10", "end": "2026-04-01",
         "doses": [{"from": "2026-01-10", "mg_per_day": 150}], "adherence_pct": 100,
         "improvement_pct": 5},
    ],
}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(ENDED, tick=False):
        yield


def _session(mg: float, drug: str = "Venlafaxine", kind: str = "antidepressant") -> dict[str, Any]:
    return {"drug": drug, "trial_kind": kind, "daily_dose_mg": mg, "adherence_pct": 90,
            "tolerability": "good"}  # fmt: skip


def test_the_dose_timeline_starts_on_the_start_and_keeps_each_change() -> None:
    day = START
    trial = EndedTrial(
        kind="antidepressant", drug="venlafaxine", start=day, end=day + timedelta(days=56),
        doses=((day + timedelta(days=1), 75), (day + timedelta(days=14), 150),
               (day + timedelta(days=28), 150), (day + timedelta(days=56), 300)),
        improvement_pct=10,
    )  # fmt: skip
    assert dose_steps(trial) == [
        {"from": "2026-10-05", "mg_per_day": 75},
        {"from": "2026-10-19", "mg_per_day": 150},
    ]


def test_a_failed_antidepressant_trial_is_written_with_its_doses_and_meets_trd(
    patient: Patient, clinician: User
) -> None:
    give_history(patient, ONE_FAILED)
    course = make_course(patient, protocol_id=TRIAL, therapy_id="switch_antidepressant")
    doses = [_session(75), _session(150), _session(225), _session(225), _session(225)]
    sign_sessions(course, 5, every_days=14, values=doses)
    course.instrument = "phq9"
    course.save(update_fields=["instrument"])
    phq9(patient, START - timedelta(days=1), 20)
    phq9(patient, START + timedelta(days=55), 19)
    end(course, CourseStatus.COMPLETED, ENDED, clinician)
    course.refresh_from_db()
    entry = (ClinicalProfile.objects.get(patient=patient).history or {})["treatments"][-1]
    assert entry["kind"] == "antidepressant" and entry["drug"] == "venlafaxine"
    assert entry["doses"] == [
        {"from": "2026-10-05", "mg_per_day": 75.0},
        {"from": "2026-10-19", "mg_per_day": 150.0},
        {"from": "2026-11-02", "mg_per_day": 225.0},
    ]
    assert entry["adherence_pct"] == 90 and entry["improvement_pct"] < 25
    snapshot = HistorySnapshot.objects.filter(patient=patient).first()
    assert snapshot is not None and snapshot.result["failed_adequate_trials"]["count"] == 2
    changes = {
        c["what"]: (c["before"], c["after"]) for c in stored(course)["history_entry"]["changes"]
    }
    assert changes["TRD status"] == ("not met", "met")


def test_an_augmentation_augments_the_antidepressant_being_taken(
    patient: Patient, clinician: User
) -> None:
    ongoing = {**ONE_FAILED["treatments"][0], "end": None}
    give_history(patient, {**ONE_FAILED, "treatments": [ongoing]})
    course = make_course(patient, protocol_id=TRIAL, therapy_id="aug_lithium")
    sign_sessions(course, 3, every_days=14, values=[_session(800, "Lithium", "augmentation")] * 3)
    end(course, CourseStatus.COMPLETED, ENDED, clinician)
    entry = (ClinicalProfile.objects.get(patient=patient).history or {})["treatments"][-1]
    assert (entry["kind"], entry["agent"], entry["augments"]) == (
        "augmentation",
        "lithium",
        "sertraline",
    )


def test_an_augmentation_without_an_antidepressant_being_taken_is_not_written(
    patient: Patient, clinician: User
) -> None:
    give_history(patient, ONE_FAILED)  # sertraline ended in April
    course = make_course(patient, protocol_id=TRIAL, therapy_id="aug_lithium")
    sign_sessions(course, 3, every_days=14, values=[_session(800, "Lithium", "augmentation")] * 3)
    end(course, CourseStatus.COMPLETED, ENDED, clinician)
    course.refresh_from_db()
    assert course.history_treatment_ref == ""
    assert (
        "which antidepressant the augmentation was added to"
        in stored(course)["history_entry"]["reason"]
    )


def test_an_unknown_drug_is_refused_by_the_history_and_not_written(
    patient: Patient, clinician: User
) -> None:
    give_history(patient, ONE_FAILED)
    course = make_course(patient, protocol_id=TRIAL, therapy_id="switch_antidepressant")
    sign_sessions(course, 2, every_days=14, values=[_session(10, "Nodrugatall")] * 2)
    end(course, CourseStatus.COMPLETED, ENDED, clinician)
    course.refresh_from_db()
    assert "would not be valid" in stored(course)["history_entry"]["reason"]
    assert date(2026, 10, 5).isoformat() not in str(
        ClinicalProfile.objects.get(patient=patient).history
    )
