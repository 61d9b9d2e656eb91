"""Session drafts and signatures: the protocol check on every save, idempotency, required
fields that no override lifts, overrides that need a reason and the capability."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.courses.helpers import GOOD, HIGH_BP, HIGH_BP_RULE, SESSION_TIME, actor, course_for
from tests.courses.helpers import draft as draft_of
from tests.factories import make_member
from trdnav.accounts.models import Clinic, Role, User
from trdnav.audit.models import AuditEvent
from trdnav.core.errors import InvalidInput
from trdnav.courses.errors import SessionAlreadySigned, SessionNotSignable
from trdnav.courses.models import Course, SessionOverride, SessionState, TreatmentSession
from trdnav.courses.services import record_session, sign_session
from trdnav.patients.models import Patient

REASON = "Repeat reading 138/84 after ten minutes' rest; proceeded with the clinician present."


@pytest.fixture
def course(clinician: User, patient: Patient) -> Course:
    return course_for(patient, clinician)


def _fields(error: pytest.ExceptionInfo[Any]) -> list[str]:
    return [e.field for e in error.value.errors]


def _rules(session: TreatmentSession, level: str = "block") -> list[str]:
    return [f["rule"] for f in session.findings["findings"] if f["level"] == level]


@pytest.mark.django_db
def test_a_draft_stores_the_values_and_the_protocol_check(course: Course, staff: User) -> None:
    session = draft_of(course, staff, HIGH_BP)
    assert (session.number, session.state, session.values) == (1, SessionState.DRAFT, HIGH_BP)
    assert session.findings["can_sign"] is False
    assert _rules(session) == [HIGH_BP_RULE]
    assert session.scheduled_on == course.start_date
    assert session.recorded_by == staff
    event = AuditEvent.objects.get(object_type="treatment_session", action="create")
    assert event.patient_id == course.patient_id
    assert "150" not in event.summary


@pytest.mark.django_db
def test_saving_the_draft_again_reruns_the_check(course: Course, staff: User) -> None:
    draft_of(course, staff, HIGH_BP)
    again = record_session(course=course, values=GOOD, by=actor(staff), number=1)
    assert TreatmentSession.objects.count() == 1
    assert again.findings["can_sign"] is True
    assert AuditEvent.objects.filter(object_type="treatment_session", action="update").count() == 1


@pytest.mark.django_db
def test_the_next_session_gets_the_next_number(course: Course, staff: User) -> None:
    first, second = draft_of(course, staff), draft_of(course, staff)
    assert (first.number, second.number) == (1, 2)


@pytest.mark.django_db
def test_a_form_sent_twice_stores_one_session(course: Course, staff: User) -> None:
    by = actor(staff)
    first = record_session(course=course, values=GOOD, by=by, idempotency_key="form-1")
    second = record_session(course=course, values=GOOD, by=by, idempotency_key="form-1")
    assert first.pk == second.pk
    assert TreatmentSession.objects.count() == 1
    with pytest.raises(InvalidInput) as reused:
        record_session(course=course, values=HIGH_BP, by=by, idempotency_key="form-1")
    assert _fields(reused) == ["idempotency_key"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({**GOOD, "pulse_pressure": 3}, "values.pulse_pressure"),
        ({**GOOD, "dose_mg": "fifty-six"}, "values.dose_mg"),
        ({**GOOD, "spo2_monitored": "yes"}, "values.spo2_monitored"),
        ("not an object", "values"),
    ],
)
def test_an_unknown_field_or_a_wrong_type_is_refused(
    course: Course, staff: User, values: Any, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        record_session(course=course, values=values, by=actor(staff))
    assert _fields(refused) == [field]
    assert not TreatmentSession.objects.exists()


@pytest.mark.django_db
def test_a_clean_session_is_signed_by_a_nurse(course: Course, staff: User) -> None:
    signed = sign_session(session=draft_of(course, staff), by=actor(staff))
    assert (signed.state, signed.signed_by) == (SessionState.SIGNED, staff)
    assert signed.signed_at is not None
    assert AuditEvent.objects.filter(summary="session 1 signed").count() == 1


@pytest.mark.django_db
def test_a_missing_required_field_can_never_be_overridden(course: Course, clinician: User) -> None:
    values = {k: v for k, v in GOOD.items() if k != "observation_minutes"}
    session = draft_of(course, clinician, values)
    assert "required_field" in _rules(session)
    with pytest.raises(SessionNotSignable) as refused:
        sign_session(session=session, by=actor(clinician))
    assert _fields(refused) == ["values.observation_minutes"]
    assert refused.value.findings[0]["rule"] == "required_field"
    with pytest.raises(InvalidInput) as overridden:
        sign_session(session=session, by=actor(clinician), overrides={"required_field": REASON})
    assert _fields(overridden) == ["overrides.required_field"]
    session.refresh_from_db()
    assert session.state == SessionState.DRAFT


@pytest.mark.django_db
def test_a_block_needs_a_written_reason(course: Course, clinician: User) -> None:
    session = draft_of(course, clinician, HIGH_BP)
    with pytest.raises(SessionNotSignable) as unsigned:
        sign_session(session=session, by=actor(clinician))
    assert _fields(unsigned) == [f"overrides.{HIGH_BP_RULE}"]
    with pytest.raises(InvalidInput) as empty:
        sign_session(session=session, by=actor(clinician), overrides={HIGH_BP_RULE: "   "})
    assert _fields(empty) == [f"overrides.{HIGH_BP_RULE}"]
    assert not SessionOverride.objects.exists()


@pytest.mark.django_db
def test_a_clinician_signs_over_a_block_with_a_reason(course: Course, clinician: User) -> None:
    session = draft_of(course, clinician, HIGH_BP)
    signed = sign_session(session=session, by=actor(clinician), overrides={HIGH_BP_RULE: REASON})
    assert signed.state == SessionState.SIGNED
    override = SessionOverride.objects.get()
    assert (override.rule, override.reason, override.by) == (HIGH_BP_RULE, REASON, clinician)
    event = AuditEvent.objects.get(summary__startswith="session 1 signed")
    assert event.summary == f"session 1 signed; overrides: {HIGH_BP_RULE}"
    assert REASON not in event.summary


@pytest.mark.django_db
def test_a_nurse_may_not_override_unless_the_clinic_allows(
    course: Course, staff: User, clinic: Clinic
) -> None:
    session = draft_of(course, staff, HIGH_BP)
    with pytest.raises(PermissionDenied):
        sign_session(session=session, by=actor(staff), overrides={HIGH_BP_RULE: REASON})
    assert not SessionOverride.objects.exists()
    clinic.staff_may_override_session_blocks = True
    clinic.save()
    nurse = User.objects.get(pk=staff.pk)  # membership and clinic read afresh
    signed = sign_session(session=session, by=actor(nurse), overrides={HIGH_BP_RULE: REASON})
    assert signed.state == SessionState.SIGNED
    assert SessionOverride.objects.get().by == nurse


@pytest.mark.django_db
def test_an_override_of_a_rule_that_does_not_block_is_refused(
    course: Course, clinician: User
) -> None:
    session = draft_of(course, clinician)
    with pytest.raises(InvalidInput) as stray:
        sign_session(session=session, by=actor(clinician), overrides={HIGH_BP_RULE: REASON})
    assert _fields(stray) == [f"overrides.{HIGH_BP_RULE}"]


@pytest.mark.django_db
def test_a_signed_session_is_not_signed_or_saved_again(course: Course, staff: User) -> None:
    session = draft_of(course, staff)
    sign_session(session=session, by=actor(staff))
    with pytest.raises(SessionAlreadySigned):
        sign_session(session=session, by=actor(staff))
    with pytest.raises(InvalidInput) as resaved:
        record_session(course=course, values=HIGH_BP, by=actor(staff), number=1)
    assert _fields(resaved) == ["number"]
    session.refresh_from_db()
    assert session.values == GOOD


@pytest.mark.django_db
def test_earlier_signed_sessions_are_the_checks_context(course: Course, staff: User) -> None:
    first = draft_of(course, staff)
    sign_session(session=first, by=actor(staff))
    second = draft_of(course, staff, {**GOOD, "dose_mg": 84, "devices_used": 3})
    assert second.number == 2
    assert second.findings["can_sign"] is True


@pytest.mark.django_db
def test_another_clinics_member_cannot_document(
    course: Course, other_clinic: Clinic, staff: User
) -> None:
    outsider = make_member(other_clinic, Role.CLINICIAN, "dr-south")
    with pytest.raises(Http404):
        record_session(course=course, values=GOOD, by=actor(outsider))
    session = draft_of(course, staff)
    with pytest.raises(Http404):
        sign_session(session=session, by=actor(outsider))
    assert session.performed_at == SESSION_TIME


@pytest.mark.django_db
def test_the_clinics_tighter_limit_is_applied(course: Course, staff: User, clinic: Clinic) -> None:
    clinic.protocol_settings = {"protocol_limits": {"esketamine_induction": {
        "predose_systolic_max": 130}}}  # fmt: skip
    clinic.save()
    session = draft_of(course, User.objects.get(pk=staff.pk), {**GOOD, "bp_pre_systolic": 135})
    assert _rules(session) == [HIGH_BP_RULE]


@pytest.mark.django_db
def test_a_clinic_setting_the_core_refuses_is_named_as_such(
    course: Course, staff: User, clinic: Clinic
) -> None:
    clinic.protocol_settings = {"protocol_limits": {"esketamine_induction": {"dose_mg": 1}}}
    clinic.save()
    with pytest.raises(InvalidInput) as refused:
        draft_of(course, User.objects.get(pk=staff.pk))
    assert _fields(refused) == ["protocol_limits.esketamine_induction.dose_mg"]
