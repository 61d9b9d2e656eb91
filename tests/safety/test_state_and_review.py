"""The one safety state and the review service (P-SR1 to P-SR5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.safety.conftest import CALM, DAY, clinic_phq9
from trdnav.accounts.models import User
from trdnav.assessments.models import Assessment
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.clinical.services import options_for, profile_of
from trdnav.core.errors import InvalidInput
from trdnav.patients.models import Patient
from trdnav.portal.models import ConcernReport, SafetyNotice, SafetySource
from trdnav.portal.services.safety import raise_notice
from trdnav.safety.models import SafetyReview
from trdnav.safety.services import reopen_review, review_item
from trdnav.safety.state import item_for, safety_items_for


def _data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "actions": ["phone_call"], "note": "", "done_at": timezone.now(), "mark_high_risk": False,
    }  # fmt: skip
    data.update(changes)
    return data


def _only(patient: Patient) -> object:
    items = safety_items_for([patient.pk])[patient.pk]
    assert len(items) == 1
    return items[0]


def test_a_clinic_entered_positive_item9_is_one_open_item_named_by_instrument_and_item(
    patient: Patient, positive: Assessment
) -> None:
    item = item_for(patient.pk, "answer", positive.pk)
    assert item is not None and item.is_open
    assert item.what == "PHQ-9 item 9"
    assert item.title == "safety answer from 2 Nov 2026 (PHQ-9 item 9)"
    assert not item.from_portal


def test_a_madrs_item10_is_named_as_such(patient: Patient) -> None:
    madrs = clinic_phq9(patient, [2] * 9 + [4], code="madrs")
    item = item_for(patient.pk, "answer", madrs.pk)
    assert item is not None and item.what == "MADRS item 10"
    assert item.high_priority


def test_a_portal_answer_with_its_notice_is_one_item_not_two(
    patient: Patient, positive: Assessment
) -> None:
    raise_notice(
        patient=patient, source=SafetySource.QUESTIONNAIRE, detail="PHQ-9", reference=positive.pk,
        by=Actor(user=None),
    )  # fmt: skip
    assert len(safety_items_for([patient.pk])[patient.pk]) == 1


def test_a_superseded_portal_answer_stays_open_while_its_notice_is_open(patient: Patient) -> None:
    earlier = clinic_phq9(patient, [*CALM[:8], 1], day=DAY - timedelta(days=7))
    raise_notice(
        patient=patient, source=SafetySource.QUESTIONNAIRE, detail="PHQ-9", reference=earlier.pk,
        by=Actor(user=None),
    )  # fmt: skip
    clinic_phq9(patient, CALM)  # a later negative answer: the chart flag clears (P-W1)…
    item = _only(patient)  # …but the patient was shown crisis help: someone must look
    assert item.reference == earlier.pk and item.is_open  # type: ignore[attr-defined]


def test_a_self_harm_report_is_an_item_and_reviewing_it_marks_the_report_read(
    patient: Patient, clinician: User
) -> None:
    report = ConcernReport.objects.create(
        patient=patient, kind="concern", what="low", severity="mild", since=DAY,
        self_harm_thoughts=True, created_at=timezone.now(),
    )  # fmt: skip
    raise_notice(
        patient=patient, source=SafetySource.REPORT, detail="d", reference=report.pk,
        by=Actor(user=None),
    )  # fmt: skip
    item = item_for(patient.pk, "report", report.pk)
    assert item is not None and item.what == "self-harm question of a concern report"
    review_item(patient=patient, item=item, data=_data(), by=Actor(user=clinician))
    report.refresh_from_db()
    assert report.acknowledged_at is not None
    assert SafetyNotice.objects.get().acknowledged_at is not None
    assert not _only(patient).is_open  # type: ignore[attr-defined]


def test_a_review_needs_an_action_and_a_note_with_other_and_stores_nothing_otherwise(
    patient: Patient, positive: Assessment, clinician: User
) -> None:
    item = item_for(patient.pk, "answer", positive.pk)
    assert item is not None
    for data, field in (
        (_data(actions=[]), "actions"),
        (_data(actions=["wave"]), "actions"),
        (_data(actions=["other"], note=" "), "note"),
        (_data(done_at=timezone.now() + timedelta(hours=2)), "done_at"),
        (_data(done_at=timezone.now() - timedelta(days=400)), "done_at"),
        (_data(done_at="yesterday"), "done_at"),
    ):
        with pytest.raises(InvalidInput) as refused:
            review_item(patient=patient, item=item, data=data, by=Actor(user=clinician))
        assert [e.field for e in refused.value.errors] == [field]
    assert not SafetyReview.objects.exists()


def test_reviewing_twice_stores_one_review_and_audits_once(
    patient: Patient, positive: Assessment, clinician: User
) -> None:
    item = item_for(patient.pk, "answer", positive.pk)
    assert item is not None
    first, stored = review_item(patient=patient, item=item, data=_data(), by=Actor(user=clinician))
    again, stored_again = review_item(
        patient=patient, item=item, data=_data(actions=["other"], note="x"),
        by=Actor(user=clinician),
    )  # fmt: skip
    assert (stored, stored_again, again.pk) == (True, False, first.pk)
    assert SafetyReview.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="safety_review").count() == 1


def test_a_reviewed_item_stays_listed_as_reviewed_and_reopen_makes_it_open_again(
    patient: Patient, positive: Assessment, clinician: User
) -> None:
    item = item_for(patient.pk, "answer", positive.pk)
    assert item is not None
    review, _ = review_item(patient=patient, item=item, data=_data(), by=Actor(user=clinician))
    reviewed = _only(patient)
    assert not reviewed.is_open  # type: ignore[attr-defined]
    reopen_review(review=review, by=Actor(user=clinician))
    reopen_review(review=review, by=Actor(user=clinician))  # twice: changes nothing more
    assert _only(patient).is_open  # type: ignore[attr-defined]
    assert SafetyReview.objects.get().reopened_by == clinician
    assert AuditEvent.objects.filter(object_type="safety_review", summary="reopened").count() == 1


def test_a_voided_answer_is_no_safety_item(
    patient: Patient, positive: Assessment, clinician: User
) -> None:
    Assessment.all_objects.filter(pk=positive.pk).update(voided_at=timezone.now())
    assert safety_items_for([patient.pk]) == {}


def test_high_suicide_risk_is_set_only_when_the_clinician_says_yes_and_the_options_react(
    patient: Patient, positive: Assessment, clinician: User
) -> None:
    def ect_rank() -> int:
        options = options_for(patient=patient, as_of=timezone.localdate()).options
        rank = next(o.rank for o in options if o.therapy.id == "ect")
        assert rank is not None
        return rank

    before = ect_rank()
    item = item_for(patient.pk, "answer", positive.pk)
    assert item is not None
    review_item(patient=patient, item=item, data=_data(), by=Actor(user=clinician))
    assert "high_suicide_risk" not in profile_of(patient).facts  # a review alone never sets it
    review = SafetyReview.objects.get()
    reopen_review(review=review, by=Actor(user=clinician))
    review_item(
        patient=patient, item=item, data=_data(mark_high_risk=True), by=Actor(user=clinician)
    )
    assert "high_suicide_risk" in profile_of(patient).facts
    assert ect_rank() < before
    summaries = AuditEvent.objects.filter(object_type="clinical_profile").values_list(
        "summary", flat=True
    )
    assert any("confirmed by a clinician in a safety review" in s for s in summaries)
