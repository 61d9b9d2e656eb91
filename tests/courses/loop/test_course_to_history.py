"""An ended course becomes part of the treatment history (P-L3 to P-L5, P-L8): written once,
audited, TRD stage and options follow, and what changed is stored for the chart."""

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
    madrs,
    make_course,
    sign_sessions,
    stored,
)
from trdnav.accounts.models import User
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.courses.loop.history import stopped_for_side_effects, write_to_history
from trdnav.courses.models import CourseStatus
from trdnav.history.models import HistorySnapshot
from trdnav.patients.models import Patient

ENDED = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(ENDED + timedelta(days=1), tick=False):
        yield


def _failed_ect(patient: Patient, clinician: User) -> None:
    madrs(patient, START - timedelta(days=2), 34)
    for week in range(1, 6):
        madrs(patient, START + timedelta(days=7 * week), 33 - week % 2)


def _history(patient: Patient) -> dict[str, Any]:
    return dict(ClinicalProfile.objects.get(patient=patient).history or {})


def test_a_completed_ect_course_without_response_is_written_once_and_changes_the_stage(
    patient: Patient, clinician: User
) -> None:
    give_history(patient)
    course = make_course(patient, by=clinician)
    sign_sessions(course, 12)
    _failed_ect(patient, clinician)
    end(course, CourseStatus.COMPLETED, ENDED, clinician)
    course.refresh_from_db()
    entry = _history(patient)["treatments"][-1]
    assert course.history_treatment_ref == entry["id"] == f"course-{course.pk}"
    assert entry["kind"] == "ect" and entry["laterality"] == "bitemporal"
    assert (entry["start"], entry["end"], entry["sessions"]) == ("2026-10-05", "2026-11-20", 12)
    assert entry["improvement_pct"] < 25 and entry["episode"] == "e1"
    info = stored(course)["history_entry"]
    assert info["written"] is True
    stages = {c["what"]: (c["before"], c["after"]) for c in info["changes"] if c["kind"] == "stage"}
    assert stages["Thase–Rush stage"] == ("IV", "V")
    options = {c["what"] for c in info["changes"] if c["kind"] == "option"}
    assert any("lectroconvulsive" in name or "ECT" in name for name in options)
    snapshot = HistorySnapshot.objects.filter(patient=patient).first()
    assert snapshot is not None and snapshot.result["staging"]["thase_rush"]["stage"] == "V"
    assert (
        AuditEvent.objects.filter(
            object_type="course", object_id=str(course.pk), summary__startswith="written"
        ).count()
        == 1
    )

    write_to_history(course=course, by=Actor(user=clinician))  # ending twice writes once
    assert len(_history(patient)["treatments"]) == 5


def test_without_a_current_episode_nothing_is_written_and_the_reason_is_kept(
    patient: Patient, clinician: User
) -> None:
    course = make_course(patient, by=clinician)
    sign_sessions(course, 3)
    end(course, CourseStatus.STOPPED, ENDED, clinician, reason="patient moved away")
    course.refresh_from_db()
    assert course.history_treatment_ref == ""
    assert stored(course)["history_entry"]["written"] is False
    assert "no current episode" in stored(course)["history_entry"]["reason"]
    assert not ClinicalProfile.objects.filter(patient=patient).exists()


def test_a_course_without_a_signed_session_is_not_written(
    patient: Patient, clinician: User
) -> None:
    give_history(patient)
    course = make_course(patient, by=clinician)
    end(course, CourseStatus.STOPPED, ENDED, clinician, reason="declined")
    assert len(_history(patient)["treatments"]) == 4
    course.refresh_from_db()
    assert "no session was signed" in stored(course)["history_entry"]["reason"]


def test_a_medication_trial_without_recorded_doses_is_left_to_the_history_editor(
    patient: Patient, clinician: User
) -> None:
    give_history(patient)
    course = make_course(patient, protocol_id="medication_trial", therapy_id="switch_tca")
    sign_sessions(course, 4)
    end(course, CourseStatus.COMPLETED, ENDED, clinician)
    course.refresh_from_db()
    assert "history editor" in stored(course)["history_entry"]["reason"]
    assert len(_history(patient)["treatments"]) == 4


def test_stopped_early_for_side_effects_is_intolerance_and_not_a_failure(
    patient: Patient, clinician: User
) -> None:
    give_history(patient)
    course = make_course(patient, by=clinician)
    sign_sessions(course, 2)
    madrs(patient, START - timedelta(days=1), 34)
    madrs(patient, START + timedelta(days=4), 34)
    end(
        course,
        CourseStatus.STOPPED,
        START + timedelta(days=5),
        clinician,
        "Side effects: confusion",
    )
    entry = _history(patient)["treatments"][-1]
    assert entry["stopped_for_intolerance"] is True and entry["outcome"] == "intolerance"
    assert "improvement_pct" not in entry
    snapshot = HistorySnapshot.objects.filter(patient=patient).first()
    assert snapshot is not None and snapshot.result["staging"]["thase_rush"]["stage"] == "IV"


def test_a_history_that_no_longer_validates_is_left_untouched_and_the_course_still_ends(
    patient: Patient, clinician: User
) -> None:
    broken = {
        "episodes": [{"id": "e1", "start": "2024-01-01", "end": None}],
        "treatments": [{"id": "x", "episode": "e1", "kind": "antidepressant", "drug": "nodrug",
                        "start": "2024-02-01", "doses": [{"from": "2024-02-01", "mg_per_day": 1}]}],
    }  # fmt: skip
    give_history(patient, broken)
    course = make_course(patient, by=clinician)
    sign_sessions(course, 12)
    end(course, CourseStatus.COMPLETED, ENDED, clinician)
    course.refresh_from_db()
    assert course.status == CourseStatus.COMPLETED and course.history_treatment_ref == ""
    assert "would not be valid" in stored(course)["history_entry"]["reason"]
    assert _history(patient) == broken


def test_the_placement_the_sessions_record_wins_over_the_protocols(
    patient: Patient, clinician: User
) -> None:
    give_history(patient)
    course = make_course(patient, protocol_id="ect_rul_ultrabrief", by=clinician)
    placements = [{"placement": "rul"}] * 6 + [{"placement": "bitemporal"}] * 6
    sign_sessions(course, 12, values=placements)
    _failed_ect(patient, clinician)
    end(course, CourseStatus.COMPLETED, ENDED, clinician)
    entry = _history(patient)["treatments"][-1]
    assert entry["laterality"] == "bitemporal"  # switched to a bilateral placement: P-B20


@pytest.mark.parametrize(
    ("reason", "side_effects"),
    [
        ("Side effects: confusion", True),
        ("Stopped because of side effects", True),
        ("due to intolerable headaches", True),
        ("Adverse event (fall)", True),
        ("not working; no side effects", False),
        ("moved away", False),
    ],
)
def test_which_stop_reasons_mean_side_effects(
    patient: Patient, reason: str, side_effects: bool
) -> None:
    course = make_course(patient, status=CourseStatus.STOPPED)
    course.stop_reason = reason
    assert stopped_for_side_effects(course) is side_effects
