"""``/api/v1`` courses and sessions: status codes, 422 field paths, 404 across clinics,
idempotency, overrides and their capability, amendments, REMS forms, audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.courses.helpers import (
    ESKETAMINE,
    GOOD,
    HIGH_BP,
    HIGH_BP_RULE,
    REMS_FORM,
    START,
    course_for,
    draft,
)
from tests.factories import make_member, make_patient
from trdnav.accounts.models import Clinic, Role, User
from trdnav.audit.models import AuditEvent
from trdnav.courses.models import Course, SessionOverride, TreatmentSession
from trdnav.patients.models import Patient

API = "/api/v1"
PLAN = {"protocol_id": ESKETAMINE, "start": START.isoformat()}


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


def _fields(response: Any) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


@pytest.fixture
def course(clinician: User, patient: Patient) -> Course:
    return course_for(patient, clinician)


def _session(client: Client, course: Course, values: dict[str, Any]) -> dict[str, Any]:
    response = _post(client, f"{API}/courses/{course.pk}/sessions", {"values": values})
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.django_db
def test_a_clinician_plans_a_course_once_per_key(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    url = f"{API}/patients/{patient.pk}/courses"
    first = _post(client, url, {**PLAN, "idempotency_key": "plan-1"})
    second = _post(client, url, {**PLAN, "idempotency_key": "plan-1"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    body = first.json()
    assert (body["protocol_id"], body["status"], body["sessions_signed"]) == (
        ESKETAMINE, "planned", 0,
    )  # fmt: skip
    assert len(body["plan"]["sessions"]) == body["planned_sessions"]
    listed = client.get(url).json()
    assert (listed["count"], listed["items"][0]["id"]) == (1, body["id"])
    assert client.get(f"{API}/courses/{body['id']}").json()["id"] == body["id"]
    assert AuditEvent.objects.get(object_type="course", action="create").via == "api"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**PLAN, "protocol_id": "homeopathy"}, "protocol_id"),
        ({**PLAN, "start": "02/03/2026"}, "start"),
        ({**PLAN, "sessions": "8"}, "sessions"),
        ({**PLAN, "sessions": 0}, "sessions"),
        ({**PLAN, "therapy_id": "ect"}, "therapy_id"),
        ({**PLAN, "colour": "blue"}, "colour"),
        ({"start": "2026-03-02"}, "protocol_id"),
    ],
)
def test_a_bad_plan_is_422_naming_the_field(
    client: Client, clinician: User, patient: Patient, body: dict[str, Any], field: str
) -> None:
    client.force_login(clinician)
    response = _post(client, f"{API}/patients/{patient.pk}/courses", body)
    assert response.status_code == 422, response.content
    assert field in _fields(response)
    assert not Course.objects.exists()


@pytest.mark.django_db
def test_a_nurse_documents_and_signs_a_clean_session(
    client: Client, staff: User, course: Course
) -> None:
    client.force_login(staff)
    session = _session(client, course, GOOD)
    assert (session["number"], session["state"], session["findings"]["can_sign"]) == (
        1, "draft", True,
    )  # fmt: skip
    signed = _post(client, f"{API}/sessions/{session['id']}/sign", {})
    assert signed.status_code == 200, signed.content
    assert (signed.json()["state"], signed.json()["signed_by"]) == ("signed", "nurse-north")
    assert signed.json()["rems"]["state"] in ("due", "overdue")
    again = _post(client, f"{API}/sessions/{session['id']}/sign", {})
    assert again.status_code == 409
    listed = client.get(f"{API}/courses/{course.pk}/sessions").json()
    assert [s["state"] for s in listed["items"]] == ["signed"]


@pytest.mark.django_db
def test_a_session_sent_twice_with_a_key_is_stored_once(
    client: Client, staff: User, course: Course
) -> None:
    client.force_login(staff)
    url = f"{API}/courses/{course.pk}/sessions"
    body = {"values": GOOD, "idempotency_key": "tablet-7"}
    first, second = _post(client, url, body), _post(client, url, body)
    assert first.json()["id"] == second.json()["id"]
    assert TreatmentSession.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"values": {**GOOD, "dose_mg": "lots"}}, "values.dose_mg"),
        ({"values": {**GOOD, "mood": 3}}, "values.mood"),
        ({"values": GOOD, "number": 0}, "number"),
        ({"values": GOOD, "performed_at": "2026-03-02T10:00:00"}, "performed_at"),
        ({"values": []}, "values"),
    ],
)
def test_bad_session_values_are_422_naming_the_field(
    client: Client, staff: User, course: Course, body: dict[str, Any], field: str
) -> None:
    client.force_login(staff)
    response = _post(client, f"{API}/courses/{course.pk}/sessions", body)
    assert response.status_code == 422, response.content
    assert _fields(response) == [field]
    assert not TreatmentSession.objects.exists()


@pytest.mark.django_db
def test_overriding_a_block_needs_the_capability_and_a_reason(
    client: Client, staff: User, clinician: User, course: Course
) -> None:
    client.force_login(staff)
    session = _session(client, course, HIGH_BP)
    sign = f"{API}/sessions/{session['id']}/sign"
    blocked = _post(client, sign, {})
    assert blocked.status_code == 422
    assert _fields(blocked) == [f"overrides.{HIGH_BP_RULE}"]
    assert [f["rule"] for f in blocked.json()["findings"]] == [HIGH_BP_RULE]
    overrides = {"overrides": {HIGH_BP_RULE: "reviewed by phone with Dr North"}}
    assert _post(client, sign, overrides).status_code == 403
    client.force_login(clinician)
    assert _fields(_post(client, sign, {"overrides": {HIGH_BP_RULE: ""}})) == [
        f"overrides.{HIGH_BP_RULE}"
    ]
    signed = _post(client, sign, overrides)
    assert signed.status_code == 200, signed.content
    assert [o["rule"] for o in signed.json()["overrides"]] == [HIGH_BP_RULE]
    assert SessionOverride.objects.count() == 1


@pytest.mark.django_db
def test_a_nurse_overrides_where_the_clinic_allows(
    client: Client, staff: User, clinic: Clinic, course: Course
) -> None:
    clinic.staff_may_override_session_blocks = True
    clinic.save()
    client.force_login(staff)
    session = _session(client, course, HIGH_BP)
    body = {"overrides": {HIGH_BP_RULE: "clinic protocol allows; rechecked"}}
    assert _post(client, f"{API}/sessions/{session['id']}/sign", body).status_code == 200


@pytest.mark.django_db
def test_a_missing_required_field_is_422_even_with_an_override(
    client: Client, clinician: User, course: Course
) -> None:
    client.force_login(clinician)
    values = {k: v for k, v in GOOD.items() if k != "discharge_ready"}
    session = _session(client, course, values)
    sign = f"{API}/sessions/{session['id']}/sign"
    assert _fields(_post(client, sign, {})) == ["values.discharge_ready"]
    forced = _post(client, sign, {"overrides": {"required_field": "in a hurry"}})
    assert (forced.status_code, _fields(forced)) == (422, ["overrides.required_field"])


@pytest.mark.django_db
def test_a_signed_session_is_amended_with_a_reason_and_its_rems_form_submitted(
    client: Client, staff: User, course: Course
) -> None:
    client.force_login(staff)
    session = _session(client, course, GOOD)
    _post(client, f"{API}/sessions/{session['id']}/sign", {})
    amend = f"{API}/sessions/{session['id']}/amend"
    assert _fields(_post(client, amend, {"values": {"dose_mg": 84}})) == ["reason"]
    amended = _post(client, amend, {"values": {"dose_mg": 84, "devices_used": 3}, "reason": "typo"})
    assert amended.status_code == 201, amended.content
    (amendment,) = amended.json()["amendments"]
    assert amendment["previous_values"] == {"dose_mg": 56, "devices_used": 2}
    rems = f"{API}/sessions/{session['id']}/rems"
    assert _fields(_post(client, rems, {"fields": {}}))[0].startswith("fields.")
    submitted = _post(client, rems, {"fields": REMS_FORM})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["rems"]["state"] == "submitted"


@pytest.mark.django_db
def test_ending_a_course_through_the_api(client: Client, clinician: User, course: Course) -> None:
    client.force_login(clinician)
    url = f"{API}/courses/{course.pk}/end"
    assert _fields(_post(client, url, {"status": "stopped"})) == ["reason"]
    assert _fields(_post(client, url, {"status": "paused"})) == ["status"]
    ended = _post(client, url, {"status": "stopped", "reason": "nausea"})
    assert (ended.status_code, ended.json()["status"]) == (200, "stopped")


@pytest.mark.django_db
def test_another_clinics_courses_and_sessions_are_404(
    client: Client, clinician: User, course: Course, other_clinic: Clinic
) -> None:
    session = draft(course, clinician)
    client.force_login(make_member(other_clinic, Role.CLINICIAN, "dr-south"))
    for url in (
        f"{API}/courses/{course.pk}",
        f"{API}/courses/{course.pk}/sessions",
        f"{API}/patients/{course.patient_id}/courses",
    ):
        assert client.get(url).status_code == 404, url
    for url, body in (
        (f"{API}/courses/{course.pk}/sessions", {"values": GOOD}),
        (f"{API}/sessions/{session.pk}/sign", {}),
        (f"{API}/sessions/{session.pk}/amend", {"values": {"dose_mg": 84}, "reason": "x"}),
        (f"{API}/sessions/{session.pk}/rems", {"fields": REMS_FORM}),
        (f"{API}/courses/{course.pk}/end", {"status": "completed"}),
    ):
        assert _post(client, url, body).status_code == 404, url
    assert TreatmentSession.objects.get().state == "draft"
    foreign = make_patient(other_clinic, "S-9")
    assert _post(client, f"{API}/patients/{foreign.pk}/courses", PLAN).status_code == 201


@pytest.mark.django_db
def test_an_amendment_that_raises_a_block_is_422_with_the_findings(
    client: Client, staff: User, course: Course
) -> None:
    client.force_login(staff)
    session = _session(client, course, GOOD)
    _post(client, f"{API}/sessions/{session['id']}/sign", {})
    body = {"values": {"bp_pre_systolic": 150}, "reason": "re-read the chart"}
    blocked = _post(client, f"{API}/sessions/{session['id']}/amend", body)
    assert (blocked.status_code, _fields(blocked)) == (422, [f"overrides.{HIGH_BP_RULE}"])
    assert [f["rule"] for f in blocked.json()["findings"]] == [HIGH_BP_RULE]
    assert TreatmentSession.objects.get().values == GOOD
