"""REMS monitoring forms: opened at signature when a rule is in force, due 7 days after the
session ended, overdue after that, submitted once; the clinic may switch REMS off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from tests.courses.helpers import REMS_FORM, actor, course_for, draft
from tests.factories import make_member
from trdnav.accounts.models import Clinic, Role, User
from trdnav.audit.models import AuditEvent
from trdnav.core.errors import InvalidInput
from trdnav.courses.models import RemsReport, TreatmentSession
from trdnav.courses.rems import prefill, state_of
from trdnav.courses.services import rems_tasks, sign_session, submit_rems_report
from trdnav.patients.models import Patient

SIGNED_AT = datetime(2026, 3, 2, 12, 30, tzinfo=UTC)
# Dosing at 10:00 and 120 minutes of observation: the session ended at 12:00 (P-S3).
DUE = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)


def _fields(error: pytest.ExceptionInfo[Any]) -> list[str]:
    return [e.field for e in error.value.errors]


def _signed(patient: Patient, clinician: User, staff: User) -> TreatmentSession:
    with time_machine.travel(SIGNED_AT, tick=False):
        session = draft(course_for(patient, clinician), staff)
        return sign_session(session=session, by=actor(staff))


@pytest.mark.django_db
def test_signing_opens_the_form_due_seven_days_after_the_session_ended(
    patient: Patient, clinician: User, staff: User
) -> None:
    session = _signed(patient, clinician, staff)
    report = RemsReport.objects.get(session=session)
    assert report.due_at == DUE
    assert report.rule_effective_from.isoformat() == "2019-03-05"
    assert state_of(report, DUE - timedelta(minutes=1)) == "due"
    assert state_of(report, DUE + timedelta(minutes=1)) == "overdue"
    event = AuditEvent.objects.get(object_type="rems_report", action="create")
    assert event.patient_id == patient.pk


@pytest.mark.django_db
def test_the_form_is_due_then_overdue_then_submitted(
    patient: Patient, clinician: User, staff: User
) -> None:
    session = _signed(patient, clinician, staff)
    with time_machine.travel(DUE - timedelta(days=1), tick=False):
        tasks = rems_tasks(by=actor(staff))
        assert [(t.report.session_id, t.state) for t in tasks] == [(session.pk, "due")]
    with time_machine.travel(DUE + timedelta(hours=1), tick=False):
        assert [t.state for t in rems_tasks(by=actor(staff))] == ["overdue"]
        report = submit_rems_report(session=session, fields=REMS_FORM, by=actor(staff))
    assert state_of(report, DUE + timedelta(days=30)) == "submitted"
    assert report.submitted_by == staff
    assert rems_tasks(by=actor(staff)) == []
    assert [t.report.pk for t in rems_tasks(by=actor(staff), include_submitted=True)] == [report.pk]
    listed = AuditEvent.objects.filter(object_type="rems_task_list").first()
    assert listed is not None and listed.shown_patient_ids == str(patient.pk)
    assert AuditEvent.objects.filter(summary="REMS form submitted late").count() == 1


@pytest.mark.django_db
def test_the_form_is_checked_against_the_rules_fields(
    patient: Patient, clinician: User, staff: User
) -> None:
    session = _signed(patient, clinician, staff)
    incomplete = {k: v for k, v in REMS_FORM.items() if k != "lot_number"}
    with pytest.raises(InvalidInput) as missing:
        submit_rems_report(session=session, fields=incomplete, by=actor(staff))
    assert _fields(missing) == ["fields.lot_number"]
    with pytest.raises(InvalidInput) as unknown:
        submit_rems_report(session=session, fields={**REMS_FORM, "mood": 3}, by=actor(staff))
    assert _fields(unknown) == ["fields.mood"]
    assert RemsReport.objects.get().submitted_at is None


@pytest.mark.django_db
def test_a_form_sent_twice_is_stored_once(patient: Patient, clinician: User, staff: User) -> None:
    session = _signed(patient, clinician, staff)
    first = submit_rems_report(session=session, fields=REMS_FORM, by=actor(staff))
    again = submit_rems_report(session=session, fields=REMS_FORM, by=actor(staff))
    assert first.submitted_at == again.submitted_at
    with pytest.raises(InvalidInput) as changed:
        submit_rems_report(session=session, fields={**REMS_FORM, "dose_mg": 84}, by=actor(staff))
    assert _fields(changed) == ["fields"]


@pytest.mark.django_db
def test_no_form_where_the_clinic_has_rems_off(
    patient: Patient, clinician: User, staff: User, clinic: Clinic
) -> None:
    clinic.protocol_settings = {"rems_enabled": False}
    clinic.save()
    session = _signed(patient, User.objects.get(pk=clinician.pk), User.objects.get(pk=staff.pk))
    assert not RemsReport.objects.exists()
    with pytest.raises(InvalidInput) as refused:
        submit_rems_report(session=session, fields=REMS_FORM, by=actor(staff))
    assert _fields(refused) == ["session"]


@pytest.mark.django_db
def test_a_clinic_may_shorten_the_deadline(
    patient: Patient, clinician: User, staff: User, clinic: Clinic
) -> None:
    clinic.protocol_settings = {"rems_deadline_days": 3}
    clinic.save()
    _signed(patient, User.objects.get(pk=clinician.pk), User.objects.get(pk=staff.pk))
    assert RemsReport.objects.get().due_at == DUE - timedelta(days=4)


@pytest.mark.django_db
def test_another_clinics_list_is_empty(
    patient: Patient, clinician: User, staff: User, other_clinic: Clinic
) -> None:
    _signed(patient, clinician, staff)
    outsider = make_member(other_clinic, Role.STAFF, "nurse-south")
    assert rems_tasks(by=actor(outsider)) == []


@pytest.mark.django_db
def test_the_form_is_prefilled_from_the_session(
    patient: Patient, clinician: User, staff: User
) -> None:
    session = _signed(patient, clinician, staff)
    report = RemsReport.objects.get(session=session)
    assert prefill(session, report) == {
        "dose_mg": 56, "sedation": False, "dissociation": False, "respiratory_depression": False,
    }  # fmt: skip
