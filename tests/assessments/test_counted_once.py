"""The clinician's assessment form counts once and never records nothing: a form sent twice
(double click, Back and send, a browser retry) stores one assessment; an empty form is refused
with a field error; an assessment entered in error is voided with a reason, kept in the record
and the audit log, and left out of every score, flag and count."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.assessments.models import Assessment, Source
from trdnav.assessments.queries import (
    last_measured_for,
    latest_for_patient,
    safety_flags_for,
    worsening_for,
)
from trdnav.assessments.services import EMPTY_FORM, record_assessment, void_assessment
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.clinical.chart import chart_data
from trdnav.core.errors import InvalidInput
from trdnav.patients.models import Patient
from trdnav.portal.completions import completed_dates, latest_safety, score_points

pytestmark = pytest.mark.django_db


def _form_url(patient: Patient, code: str = "phq9") -> str:
    return f"/patients/{patient.pk}/assessments/new/{code}/"


def _token(page: str) -> str:
    found = re.search(r'name="submission_token" value="([0-9a-f]+)"', page)
    assert found is not None, "the form carries a submission token"
    return found.group(1)


def _phq9(token: str, **items: str) -> dict[str, str]:
    data = {"administered_on": "2025-02-01", "submission_token": token}
    data.update({f"item_{n}": "1" for n in range(1, 10)})
    data.update(items)
    return data


def test_the_same_form_sent_twice_stores_one_assessment_and_says_so(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    token = _token(client.get(_form_url(patient)).content.decode())
    first = client.post(_form_url(patient), _phq9(token))
    second = client.post(_form_url(patient), _phq9(token))
    assert first.status_code == second.status_code == 302
    assert Assessment.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="assessment", action="create").count() == 1
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "Already recorded; nothing new was stored." in page


def test_back_shows_the_same_token_until_the_form_is_stored_then_a_new_one(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    shown = _token(client.get(_form_url(patient)).content.decode())
    again = _token(client.get(_form_url(patient)).content.decode())
    assert shown == again  # a reload or Back shows the same form
    client.post(_form_url(patient), _phq9(shown))
    after = _token(client.get(_form_url(patient)).content.decode())
    assert after != shown  # the next assessment is a new one
    client.post(_form_url(patient), _phq9(after, item_1="3"))
    assert Assessment.objects.count() == 2


def test_the_same_token_with_other_answers_is_refused_on_the_form(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    token = _token(client.get(_form_url(patient)).content.decode())
    client.post(_form_url(patient), _phq9(token))
    response = client.post(_form_url(patient), _phq9(token, item_1="3"))
    assert response.status_code == 400
    assert "already sent with other answers" in str(response.context["form"].non_field_errors())
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("code", ["phq9", "madrs", "cgi_s", "cssrs_screen"])
def test_an_empty_clinician_form_is_refused_with_an_error_and_stores_nothing(
    client: Client, clinician: User, patient: Patient, code: str
) -> None:
    client.force_login(clinician)
    page = client.get(_form_url(patient, code)).content.decode()
    data = {"administered_on": "2025-02-01", "submission_token": _token(page)}
    if code == "cssrs_screen":
        data["version"] = re.findall(r'<option value="([^"]+)"', page)[0]
    response = client.post(_form_url(patient, code), data)
    assert response.status_code == 400
    assert "No item is answered" in str(response.context["form"].non_field_errors())
    assert not Assessment.objects.exists()


def test_the_service_refuses_empty_answers_but_stores_a_partly_answered_form(
    clinician: User, patient: Patient
) -> None:
    actor = Actor(user=clinician)
    common: dict[str, Any] = {
        "patient": patient, "instrument": "phq9", "administered_on": date(2025, 2, 1),
        "by": actor, "source": Source.CLINICIAN,
    }  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        record_assessment(answers={"items": [None] * 9}, **common)
    assert refused.value.errors[0].field == "answers"
    assert refused.value.errors[0].message == EMPTY_FORM
    partial = record_assessment(answers={"items": [1, None, 2, *[None] * 6]}, **common)
    assert partial.valid is False


def _record(patient: Patient, user: User, day: date, items: list[int]) -> Assessment:
    return record_assessment(
        patient=patient, instrument="phq9", answers={"items": items}, administered_on=day,
        by=Actor(user=user), source=Source.CLINICIAN,
    )  # fmt: skip


def test_a_voided_assessment_is_kept_but_left_out_of_every_computation(
    clinician: User, patient: Patient
) -> None:
    today = timezone.localdate()
    earlier = _record(patient, clinician, today - timedelta(days=14), [1] * 8 + [0])
    mistake = _record(patient, clinician, today, [3] * 8 + [2])  # worse, item 9 positive
    assert safety_flags_for([patient.pk]) and worsening_for([patient.pk])

    voided = void_assessment(assessment=mistake, reason="wrong patient", by=Actor(user=clinician))

    assert (voided.void_reason, voided.voided_by) == ("wrong patient", clinician)
    assert Assessment.all_objects.filter(pk=mistake.pk).exists()  # kept
    assert list(patient.assessments.all()) == [earlier]
    assert safety_flags_for([patient.pk]) == {}
    assert worsening_for([patient.pk]) == {}
    assert last_measured_for([patient.pk]) == {patient.pk: earlier.administered_on}
    assert [a.pk for a in latest_for_patient(patient.pk)] == [earlier.pk]
    assert [p.total for p in score_points(patient=patient)] == [earlier.total]
    assert completed_dates(patient=patient, instrument="phq9") == [earlier.administered_on]
    assert latest_safety(patient=patient, instruments=["phq9"]) == {"phq9": "negative"}
    assert [series["points"] for series in chart_data(patient.pk)] == [
        [[earlier.administered_on.isoformat(), earlier.total]]
    ]
    event = AuditEvent.objects.get(object_type="assessment", object_id=str(mistake.pk),
                                   action="update")  # fmt: skip
    assert "voided" in event.summary and "wrong patient" not in event.summary


def test_a_void_needs_a_reason_and_happens_once(clinician: User, patient: Patient) -> None:
    mistake = _record(patient, clinician, date(2025, 2, 1), [1] * 9)
    actor = Actor(user=clinician)
    with pytest.raises(InvalidInput):
        void_assessment(assessment=mistake, reason="  ", by=actor)
    void_assessment(assessment=mistake, reason="typed into the wrong record", by=actor)
    with pytest.raises(InvalidInput):
        void_assessment(assessment=mistake, reason="again", by=actor)


def test_a_clinician_voids_from_the_list_and_the_list_shows_it_as_void(
    client: Client, clinician: User, patient: Patient
) -> None:
    mistake = _record(patient, clinician, date(2025, 2, 1), [1] * 9)
    client.force_login(clinician)
    url = f"/patients/{patient.pk}/assessments/{mistake.pk}/void/"
    listing = client.get(f"/patients/{patient.pk}/assessments/").content.decode()
    assert url in listing
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert client.post(url, {"reason": "entered twice"}).status_code == 302
    listing = client.get(f"/patients/{patient.pk}/assessments/").content.decode()
    assert "void" in listing and "entered twice" in listing
    api = client.get(f"/api/v1/patients/{patient.pk}/assessments").json()
    assert api["count"] == 0


def test_staff_without_the_recording_capability_cannot_void(
    client: Client, staff: User, clinician: User, patient: Patient
) -> None:
    mistake = _record(patient, clinician, date(2025, 2, 1), [1] * 9)
    client.force_login(staff)
    url = f"/patients/{patient.pk}/assessments/{mistake.pk}/void/"
    assert client.post(url, {"reason": "no"}).status_code == 403
    assert Assessment.objects.filter(pk=mistake.pk).exists()


def test_a_voided_assessment_frees_its_idempotency_key(clinician: User, patient: Patient) -> None:
    actor = Actor(user=clinician)
    first = record_assessment(
        patient=patient, instrument="phq9", answers={"items": [1] * 9},
        administered_on=date(2025, 2, 1), by=actor, source=Source.CLINICIAN, idempotency_key="k",
    )  # fmt: skip
    void_assessment(assessment=first, reason="wrong day", by=actor)
    second = record_assessment(
        patient=patient, instrument="phq9", answers={"items": [1] * 9},
        administered_on=date(2025, 2, 2), by=actor, source=Source.CLINICIAN, idempotency_key="k",
    )  # fmt: skip
    assert second.pk != first.pk
