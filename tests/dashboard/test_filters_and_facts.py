"""The dashboard's filters and the current treatment it reads from a stored history, on rows
built by hand: the stage filter keeps only that stage, search finds "given family" and
"family, given", and a malformed stored history names no treatment rather than failing."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_patient
from trdnav.accounts.models import Clinic
from trdnav.dashboard.facts import _current_trial
from trdnav.dashboard.filters import Criteria, filter_rows, stages_among
from trdnav.dashboard.services import DashboardRow

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)


def _rows(clinic: Clinic) -> list[DashboardRow]:
    dana = make_patient(clinic, "S-1", family_name="Okafor", given_name="Dana")
    farah = make_patient(clinic, "S-2", family_name="Haddad", given_name="Farah")
    return [
        DashboardRow(dana, stage="II", treatment="sertraline"),
        DashboardRow(farah, stage="V", treatment="ECT, 12 sessions (course)"),
    ]


def test_the_stage_filter_keeps_only_that_stage(clinic: Clinic) -> None:
    rows = _rows(clinic)
    kept = filter_rows(rows, Criteria.from_query({"stage": "V"}))
    assert [row.patient.record_number for row in kept] == ["S-2"]
    assert stages_among(rows) == ["II", "V"]


@pytest.mark.parametrize("query", ["Dana Okafor", "okafor, dana", "s-1"])
def test_search_finds_a_patient_by_either_name_order_or_record_number(
    clinic: Clinic, query: str
) -> None:
    kept = filter_rows(_rows(clinic), Criteria.from_query({"q": query}))
    assert [row.patient.record_number for row in kept] == ["S-1"]


def test_the_treatment_filter_tells_a_course_from_a_trial(clinic: Clinic) -> None:
    rows = _rows(clinic)
    course = filter_rows(rows, Criteria.from_query({"treatment": "course"}))
    trial = filter_rows(rows, Criteria.from_query({"treatment": "trial"}))
    assert [r.patient.record_number for r in course] == ["S-2"]
    assert [r.patient.record_number for r in trial] == ["S-1"]


def test_the_current_trial_is_the_latest_running_one() -> None:
    history = {
        "treatments": [
            {"drug": "sertraline", "start": "2026-01-01", "end": "2026-03-01"},
            {"drug": "bupropion_sr", "start": "2026-06-01"},
            {"agent": "aripiprazole", "start": "2026-05-01", "end": "2026-12-31"},
        ]
    }
    assert _current_trial(history, TODAY) == "bupropion sr"


@pytest.mark.parametrize(
    "history", [None, "not a history", {"treatments": ["not a treatment", 3]}, {}]
)
def test_a_malformed_stored_history_names_no_current_treatment(history: object) -> None:
    assert _current_trial(history, TODAY) == ""
