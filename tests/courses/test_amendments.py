"""Signed sessions are amended with a reason, never overwritten; the check runs again and a new
block needs its own override."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.courses.helpers import GOOD, HIGH_BP, HIGH_BP_RULE, actor, course_for, draft
from trdnav.accounts.models import User
from trdnav.audit.models import AuditEvent
from trdnav.core.errors import InvalidInput
from trdnav.courses.errors import SessionNotSignable
from trdnav.courses.models import SessionAmendment, SessionOverride, TreatmentSession
from trdnav.courses.services import amend_session, sign_session
from trdnav.patients.models import Patient

WHY = "Transcription error: the monitor showed 132."


def _fields(error: pytest.ExceptionInfo[Any]) -> list[str]:
    return [e.field for e in error.value.errors]


@pytest.fixture
def signed(clinician: User, staff: User, patient: Patient) -> TreatmentSession:
    session = draft(course_for(patient, clinician), staff)
    return sign_session(session=session, by=actor(staff))


@pytest.mark.django_db
def test_an_amendment_keeps_the_previous_values_and_the_reason(
    signed: TreatmentSession, staff: User
) -> None:
    amendment = amend_session(
        session=signed, values={"bp_post40_systolic": 132}, reason=WHY, by=actor(staff)
    )
    assert amendment.previous_values == {"bp_post40_systolic": 128}
    assert amendment.new_values == {"bp_post40_systolic": 132}
    assert (amendment.reason, amendment.by) == (WHY, staff)
    signed.refresh_from_db()
    assert signed.values == {**GOOD, "bp_post40_systolic": 132}
    assert signed.state == "signed"
    event = AuditEvent.objects.get(summary__contains="amended")
    assert event.summary == "session 1 amended: bp_post40_systolic"
    assert event.patient_id == signed.course.patient_id


@pytest.mark.django_db
def test_an_amendment_needs_a_reason_and_a_change(signed: TreatmentSession, staff: User) -> None:
    with pytest.raises(InvalidInput) as no_reason:
        amend_session(session=signed, values={"dose_mg": 84}, reason=" ", by=actor(staff))
    assert _fields(no_reason) == ["reason"]
    with pytest.raises(InvalidInput) as no_change:
        amend_session(session=signed, values={"dose_mg": 56}, reason=WHY, by=actor(staff))
    assert _fields(no_change) == ["values"]
    assert not SessionAmendment.objects.exists()


@pytest.mark.django_db
def test_a_draft_is_not_amended(clinician: User, staff: User, patient: Patient) -> None:
    session = draft(course_for(patient, clinician), staff)
    with pytest.raises(InvalidInput) as refused:
        amend_session(session=session, values={"dose_mg": 84}, reason=WHY, by=actor(staff))
    assert _fields(refused) == ["session"]


@pytest.mark.django_db
def test_an_amendment_that_raises_a_block_needs_an_override(
    signed: TreatmentSession, staff: User, clinician: User
) -> None:
    change = {"bp_pre_systolic": 150}
    with pytest.raises(SessionNotSignable) as blocked:
        amend_session(session=signed, values=change, reason=WHY, by=actor(staff))
    assert _fields(blocked) == [f"overrides.{HIGH_BP_RULE}"]
    override = {HIGH_BP_RULE: "Rechecked; clinician reviewed."}
    with pytest.raises(PermissionDenied):
        amend_session(
            session=signed, values=change, reason=WHY, by=actor(staff), overrides=override
        )
    amendment = amend_session(
        session=signed, values=change, reason=WHY, by=actor(clinician), overrides=override
    )
    stored = SessionOverride.objects.get()
    assert (stored.rule, stored.amendment) == (HIGH_BP_RULE, amendment)
    # The block is overridden for this session now: a later amendment does not ask again.
    amend_session(session=signed, values={"dose_mg": 84, "devices_used": 3}, reason=WHY,
                  by=actor(staff))  # fmt: skip
    assert SessionAmendment.objects.count() == 2


@pytest.mark.django_db
def test_an_amendment_cannot_clear_a_required_field(signed: TreatmentSession, staff: User) -> None:
    with pytest.raises(SessionNotSignable) as refused:
        amend_session(
            session=signed, values={"observation_minutes": None}, reason=WHY, by=actor(staff)
        )
    assert _fields(refused) == ["values.observation_minutes"]
    signed.refresh_from_db()
    assert signed.values == GOOD


@pytest.mark.django_db
def test_a_session_signed_over_a_block_keeps_its_override_through_amendments(
    clinician: User, staff: User, patient: Patient
) -> None:
    session = draft(course_for(patient, clinician), staff, HIGH_BP)
    sign_session(session=session, by=actor(clinician), overrides={HIGH_BP_RULE: "reviewed"})
    amend_session(session=session, values={"bp_pre_systolic": 160}, reason=WHY, by=actor(staff))
    session.refresh_from_db()
    assert session.values["bp_pre_systolic"] == 160
    assert [f["rule"] for f in session.findings["findings"] if f["level"] == "block"] == [
        HIGH_BP_RULE
    ]
