"""The session form, signing with override reasons, and amending (Django test client)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.courses.page_helpers import ESKETAMINE_OK, form_data, plan, signed_session
from trdnav.accounts.models import User
from trdnav.audit.models import AuditEvent
from trdnav.courses.models import SessionAmendment, SessionOverride, TreatmentSession
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db
HIGH_BP = {**ESKETAMINE_OK, "bp_pre_systolic": 162, "bp_pre_diastolic": 96}
REASON = "Repeat reading 150/90 after rest; benefit outweighs risk, discussed with patient."


def _url(course_id: int, number: int = 1, action: str = "") -> str:
    return f"/courses/{course_id}/sessions/{number}/{action + '/' if action else ''}"


def _token(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return str(response.context["form"]["submission_token"].value())


def test_the_form_is_generated_from_the_protocol_with_units_and_numeric_keyboards(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(staff)
    page = client.get(_url(course.pk)).content.decode()
    assert 'name="f_bp_pre_systolic"' in page and 'inputmode="numeric"' in page
    assert "mmHg" in page and "required to sign" in page
    assert "Before the treatment" in page and "After the treatment" in page
    assert 'formaction="/courses/' in page  # "Sign" posts the same form to the sign view


def test_a_nurse_saves_a_draft_and_sees_the_block_with_its_source(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(staff)
    url = _url(course.pk)
    token = _token(client, url)
    response = client.post(url, form_data(HIGH_BP, submission_token=token), follow=True)
    assert response.status_code == 200
    session = TreatmentSession.objects.get(course=course, number=1)
    assert session.state == "draft" and session.values["bp_pre_systolic"] == 162
    page = response.content.decode()
    assert 'data-rule="predose_bp_high"' in page and "blocks signing" in page
    assert "Source: Spravato label" in page
    assert "A clinician must sign this session" in page
    assert "see the protocol check" in _row(page, "bp_pre_systolic")  # the reading that fired
    assert 'flag-block" id="row-bp_pre_systolic"' in page


def test_the_same_draft_sent_twice_is_stored_once(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(staff)
    url = _url(course.pk)
    body = form_data(ESKETAMINE_OK, submission_token=_token(client, url))
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302
    assert TreatmentSession.objects.filter(course=course).count() == 1


def test_a_nurse_cannot_sign_over_a_block(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(staff)
    body = form_data(HIGH_BP, submission_token=_token(client, _url(course.pk)))
    body["override_predose_bp_high"] = "I say so"
    response = client.post(_url(course.pk, action="sign"), body)
    assert response.status_code == 400
    assert "A clinician must sign this session" in response.content.decode()
    session = TreatmentSession.objects.get(course=course, number=1)
    assert session.state == "draft"  # the values are kept as a draft
    assert not SessionOverride.objects.exists()


def test_a_clinician_signs_over_a_block_only_with_a_written_reason(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(clinician)
    url = _url(course.pk)
    response = client.post(
        _url(course.pk, action="sign"), form_data(HIGH_BP, submission_token=_token(client, url))
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="override_predose_bp_high"' in page and "written reason" in page
    assert TreatmentSession.objects.get(course=course).state == "draft"
    token = str(response.context["form"]["submission_token"].value())
    body = form_data(HIGH_BP, submission_token=token, override_predose_bp_high=REASON)
    response = client.post(_url(course.pk, action="sign"), body, follow=True)
    assert response.status_code == 200
    session = TreatmentSession.objects.get(course=course)
    assert session.state == "signed" and session.signed_by == clinician
    assert SessionOverride.objects.get(session=session).reason == REASON
    assert REASON in response.content.decode()


def test_missing_required_fields_cannot_be_signed_even_by_a_clinician(
    client: Client, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(clinician)
    values = {k: v for k, v in ESKETAMINE_OK.items() if k != "observation_minutes"}
    body = form_data(values, submission_token=_token(client, _url(course.pk)))
    response = client.post(_url(course.pk, action="sign"), body)
    assert response.status_code == 400
    assert "required fields are missing" in response.content.decode()
    assert TreatmentSession.objects.get(course=course).state == "draft"


def test_a_value_of_the_wrong_kind_is_refused_naming_the_field(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(staff)
    body = form_data({**ESKETAMINE_OK, "dose_mg": "fifty-six"})
    response = client.post(_url(course.pk), body)
    assert response.status_code == 400
    assert response.context["form"].errors["f_dose_mg"]
    assert not TreatmentSession.objects.exists()


def test_a_signed_session_is_amended_with_a_reason_and_the_history_is_shown(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    session = signed_session(course, clinician)
    client.force_login(staff)
    page = client.get(_url(course.pk)).content.decode()
    assert "Amend" in page and 'id="session-form"' not in page
    body = form_data({**ESKETAMINE_OK, "lot_number": "LOT-2"})
    response = client.post(_url(course.pk, action="amend"), body)
    assert response.status_code == 400  # no reason
    assert response.context["form"].errors["reason"]
    body["reason"] = "Lot number misread from the box."
    response = client.post(_url(course.pk, action="amend"), body, follow=True)
    assert response.status_code == 200
    amendment = SessionAmendment.objects.get(session=session)
    again = client.post(_url(course.pk, action="amend"), body, follow=True)  # sent twice
    assert "nothing was stored" in again.content.decode()
    assert SessionAmendment.objects.filter(session=session).count() == 1
    assert amendment.new_values == {"lot_number": "LOT-2"}
    page = response.content.decode()
    assert "Amendment history" in page and "LOT-1" in page and "LOT-2" in page
    session.refresh_from_db()
    assert session.state == "signed"


def test_a_signed_session_is_never_overwritten_by_the_form(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    signed_session(course, clinician)
    client.force_login(staff)
    body = form_data({**ESKETAMINE_OK, "dose_mg": 84, "devices_used": 3})
    assert client.post(_url(course.pk), body).status_code == 302
    assert client.post(_url(course.pk, action="sign"), body).status_code == 302
    assert TreatmentSession.objects.get(course=course).values["dose_mg"] == 56


def test_a_session_number_outside_the_plan_is_missing(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(staff)
    assert client.get(_url(course.pk, number=99)).status_code == 404


def test_another_clinics_course_is_missing_and_the_probe_audited(
    client: Client, clinician: User, other_patient: Patient, patient: Patient
) -> None:
    from tests.factories import make_member
    from trdnav.accounts.models import Role

    foreign_clinician = make_member(other_patient.clinic, Role.CLINICIAN, "dr-south")
    course = plan(other_patient, foreign_clinician)
    client.force_login(clinician)
    for url in (_url(course.pk), f"/courses/{course.pk}/", f"/courses/{course.pk}/summary/"):
        assert client.get(url).status_code == 404
    assert client.post(_url(course.pk), form_data(ESKETAMINE_OK)).status_code == 404
    assert AuditEvent.objects.filter(actor=clinician, action="refused").exists()
    assert not TreatmentSession.objects.exists()


def test_a_patient_login_is_refused_the_clinic_pages(
    client: Client, patient_user: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(patient_user)
    assert client.get(_url(course.pk)).status_code == 403
    assert client.get(f"/courses/{course.pk}/").status_code == 403


def test_staff_may_override_where_the_clinic_allows_it(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    clinic = patient.clinic
    clinic.staff_may_override_session_blocks = True
    clinic.save(update_fields=["staff_may_override_session_blocks"])
    course = plan(patient, clinician)
    client.force_login(staff)
    body = form_data(HIGH_BP, submission_token=_token(client, _url(course.pk)))
    response = client.post(_url(course.pk, action="sign"), body)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="override_predose_bp_high"' in page
    assert "A clinician must sign this session" not in page
    token = str(response.context["form"]["submission_token"].value())
    body = form_data(HIGH_BP, submission_token=token, override_predose_bp_high=REASON)
    assert client.post(_url(course.pk, action="sign"), body).status_code == 302
    assert SessionOverride.objects.get().by == staff


def test_a_post_without_the_csrf_token_is_refused(
    staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(_url(course.pk), form_data(ESKETAMINE_OK)).status_code == 403
    assert not TreatmentSession.objects.exists()


def test_reading_a_session_is_audited_with_its_patient(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    session = signed_session(course, clinician)
    client.force_login(staff)
    client.get(_url(course.pk))
    assert AuditEvent.objects.filter(
        actor=staff, object_type="treatment_session", object_id=str(session.pk),
        patient_id=patient.pk, action="view",
    ).exists()  # fmt: skip


def _row(page: str, name: str) -> str:
    start = page.index(f'id="row-{name}"')
    end = page.find('id="row-', start + 1)
    return page[start : end if end > 0 else None]


def test_a_field_required_only_at_some_sessions_is_marked_there_only(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician, "rtms_10hz")
    client.force_login(staff)
    first = client.get(_url(course.pk, 1)).content.decode()
    second = client.get(_url(course.pk, 2)).content.decode()
    assert "required to sign" in _row(first, "motor_threshold_pct")
    assert "required to sign" not in _row(second, "motor_threshold_pct")


def test_an_absurd_session_number_is_missing_not_an_error(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    course = plan(patient, clinician)
    client.force_login(staff)
    assert client.get(_url(course.pk, number=10**30)).status_code == 404
    assert client.get(f"/courses/{10**30}/").status_code == 404
