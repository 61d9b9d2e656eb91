from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.assessments.models import Assessment
from trdnav.assessments.services import record_assessment
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor
from trdnav.core.errors import InvalidInput
from trdnav.core.instruments import score_instrument
from trdnav.patients.models import Patient

DAY = date(2025, 2, 1)
ITEM9_POSITIVE = {"items": [1, 2, 1, 2, 1, 1, 2, 1, 2]}


def _record(patient: Patient, user: User, **overrides: object) -> Assessment:
    values: dict[str, object] = {
        "instrument": "phq9",
        "answers": ITEM9_POSITIVE,
        "administered_on": DAY,
        "source": "clinician",
    }
    values.update(overrides)
    return record_assessment(patient=patient, by=Actor(user=user), **values)  # type: ignore[arg-type]


def _errors(exc: pytest.ExceptionInfo[InvalidInput]) -> dict[str, str]:
    return {error.field: error.message for error in exc.value.errors}


def test_it_stores_the_answers_and_the_cores_score_snapshot(
    patient: Patient, clinician: User
) -> None:
    stored = Assessment.objects.get(pk=_record(patient, clinician).pk)
    expected = score_instrument("phq9", ITEM9_POSITIVE)
    assert stored.answers == ITEM9_POSITIVE
    assert stored.result == expected.to_dict()
    assert (stored.total, stored.severity, stored.valid) == (13, "moderate", True)
    assert (stored.safety, stored.safety_priority) == ("positive", "high")
    assert stored.knowledge_version == expected.to_dict()["knowledge_version"]
    assert (stored.recorded_by, stored.source, stored.administered_on) == (
        clinician,
        "clinician",
        DAY,
    )


def test_it_audits_the_write_without_patient_data_in_the_summary(
    patient: Patient, clinician: User
) -> None:
    stored = _record(patient, clinician)
    event = AuditEvent.objects.get(object_type="assessment")
    assert (event.action, event.patient_id, event.object_id) == (
        Action.CREATE,
        patient.pk,
        str(stored.pk),
    )
    assert event.summary == "instrument phq9"


def test_it_stores_an_incomplete_form_with_the_safety_item_unknown(
    patient: Patient, clinician: User
) -> None:
    stored = _record(patient, clinician, answers={"items": [1, 1, 1, 1, 1, 1, 1, 1, None]})
    assert (stored.valid, stored.total, stored.safety) == (False, None, "unknown")
    assert stored.needs_safety_review


def test_it_refuses_out_of_range_answers_with_their_path_and_stores_nothing(
    patient: Patient, clinician: User
) -> None:
    with pytest.raises(InvalidInput) as exc:
        _record(patient, clinician, answers={"items": [0, 0, 0, 0, 0, 0, 0, 0, 4]})
    assert "answers.items[8]" in _errors(exc)
    assert "0–3" in _errors(exc)["answers.items[8]"]
    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.filter(object_type="assessment").exists()


def test_it_refuses_an_unknown_instrument_naming_the_known_ones(
    patient: Patient, clinician: User
) -> None:
    with pytest.raises(InvalidInput) as exc:
        _record(patient, clinician, instrument="bdi2")
    assert "phq9" in _errors(exc)["instrument"]
    assert not Assessment.objects.exists()


def test_it_refuses_a_future_date_a_date_before_birth_and_a_wrong_source(
    patient: Patient, clinician: User
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(InvalidInput) as future:
        _record(patient, clinician, administered_on=tomorrow, source="robot")
    assert set(_errors(future)) == {"administered_on", "source"}
    with pytest.raises(InvalidInput) as unborn:
        _record(patient, clinician, administered_on=patient.date_of_birth - timedelta(days=1))
    assert "date of birth" in _errors(unborn)["administered_on"]
    assert not Assessment.objects.exists()


def test_a_repeated_idempotency_key_returns_the_first_record_without_storing_again(
    patient: Patient, clinician: User
) -> None:
    first = _record(patient, clinician, idempotency_key="form-123")
    again = _record(patient, clinician, idempotency_key="form-123")
    assert again.pk == first.pk
    assert Assessment.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="assessment", action=Action.VIEW).count() == 1


def test_a_reused_idempotency_key_with_other_answers_is_refused(
    patient: Patient, clinician: User
) -> None:
    _record(patient, clinician, idempotency_key="form-123")
    with pytest.raises(InvalidInput) as exc:
        _record(patient, clinician, idempotency_key="form-123", answers={"items": [0] * 9})
    assert "idempotency_key" in _errors(exc)
    assert Assessment.objects.count() == 1


def test_the_same_idempotency_key_may_serve_two_patients(patient: Patient, clinician: User) -> None:
    from tests.factories import make_patient

    sibling = make_patient(patient.clinic, "N-002")
    _record(patient, clinician, idempotency_key="k")
    _record(sibling, clinician, idempotency_key="k")
    assert Assessment.objects.count() == 2


def test_it_records_a_single_rating_and_a_cssrs_screen(patient: Patient, clinician: User) -> None:
    cgi = _record(patient, clinician, instrument="cgi_s", answers={"score": 5})
    assert (cgi.total, cgi.safety) == (5, None)
    screen = {"q1": True, "q2": True, "q3": False, "q4": True, "q5": False, "q6": False}
    cssrs = _record(patient, clinician, instrument="cssrs_screen", answers=screen)
    assert (cssrs.safety, cssrs.safety_priority, cssrs.total) == ("positive", "high", None)
