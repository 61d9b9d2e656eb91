"""Safety-review use cases: review one item, reopen a review, mark high suicide risk
(policies P-SR1 to P-SR4, docs/clinical-policies.md).

A review says what was done (at least one action from the list; a note is required with
"other") and when (``done_at``: not in the future, not before the item was raised). Reviewing
also acknowledges the item's portal notices and report, so the old portal views agree. A form
sent twice stores one review: the second finds the first (``one_standing_review_per_safety_item``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.clinical.services import profile_of, update_clinical_profile
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.limits import MAX_NOTE_LENGTH
from trdnav.patients.models import Patient
from trdnav.portal.models import ConcernReport, SafetyNotice, SafetySource
from trdnav.safety.models import ItemKind, ReviewAction, SafetyReview
from trdnav.safety.state import SafetyItem

HIGH_RISK_FACT = "high_suicide_risk"


def _action_errors(actions: Iterable[str], note: str) -> list[FieldError]:
    chosen = list(actions)
    allowed = ", ".join(ReviewAction.values)
    if not chosen:
        return [FieldError("actions", f"say what was done: choose at least one of {allowed}")]
    if any(code not in ReviewAction.values for code in chosen):
        return [FieldError("actions", f"choose from: {allowed}")]
    if ReviewAction.OTHER in chosen and not note.strip():
        return [FieldError("note", "describe what was done (required with 'other')")]
    return []


def _review_errors(item: SafetyItem, data: Mapping[str, Any], now: datetime) -> list[FieldError]:
    note = str(data.get("note") or "")
    errors = _action_errors(data.get("actions") or [], note)
    if len(note) > MAX_NOTE_LENGTH:
        errors.append(FieldError("note", f"up to {MAX_NOTE_LENGTH} characters"))
    done_at = data.get("done_at")
    if not isinstance(done_at, datetime):
        errors.append(FieldError("done_at", "give the date and time it was done"))
    elif done_at > now:
        errors.append(FieldError("done_at", "must not be in the future"))
    elif timezone.localdate(done_at) < item.raised_on:
        errors.append(FieldError("done_at", f"must be on or after {item.raised_on:%-d %b %Y}"))
    if data.get("mark_high_risk") not in (True, False, None):
        errors.append(FieldError("mark_high_risk", "answer yes or no"))
    return errors


def has_high_risk_fact(patient: Patient) -> bool:
    return any(_code(fact) == HIGH_RISK_FACT for fact in profile_of(patient).facts)


def _code(fact: Any) -> Any:
    return fact.get("code") if isinstance(fact, dict) else fact


@transaction.atomic
def review_item(
    *, patient: Patient, item: SafetyItem, data: Mapping[str, Any], by: Actor
) -> tuple[SafetyReview, bool]:
    """Store the review of ``item`` (or nothing, raising InvalidInput naming each field).
    Returns the review and whether it was stored now (False: an earlier identical submission
    or another reviewer got there first; nothing changes)."""
    standing = _standing(patient, item)
    if standing is not None:
        return standing, False
    now = timezone.now()
    errors = _review_errors(item, data, now)
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            review = _create(patient, item, data, by, now)
    except IntegrityError:  # a simultaneous submission stored its review first
        raced = _standing(patient, item)
        if raced is None:
            raise
        return raced, False
    _acknowledge_sources(item, by, now)
    if review.marked_high_risk:
        _mark_high_risk(patient, by)
    return review, True


def _standing(patient: Patient, item: SafetyItem) -> SafetyReview | None:
    return SafetyReview.objects.filter(
        patient=patient, kind=item.kind, reference=item.reference, reopened_at__isnull=True
    ).first()


def _create(
    patient: Patient, item: SafetyItem, data: Mapping[str, Any], by: Actor, now: datetime
) -> SafetyReview:
    mark = bool(data.get("mark_high_risk")) and not has_high_risk_fact(patient)
    review = SafetyReview.objects.create(
        patient=patient, kind=item.kind, reference=item.reference,
        actions=list(dict.fromkeys(data["actions"])), note=str(data.get("note") or "").strip(),
        done_at=data["done_at"], reviewed_by=by.user, reviewed_at=now, marked_high_risk=mark,
    )  # fmt: skip
    summary = "reviewed: " + ", ".join(review.actions)
    audit_patient(by, patient, Action.CREATE, "safety_review", review, summary=summary)
    return review


def _acknowledge_sources(item: SafetyItem, by: Actor, now: datetime) -> None:
    """The portal notices (and the report) of this item count as acknowledged too."""
    source = SafetySource.QUESTIONNAIRE if item.kind == ItemKind.ANSWER else SafetySource.REPORT
    SafetyNotice.objects.filter(
        patient_id=item.patient_id, source=source, reference=str(item.reference),
        acknowledged_at__isnull=True,
    ).update(acknowledged_at=now, acknowledged_by=by.user)  # fmt: skip
    if item.kind == ItemKind.REPORT:
        ConcernReport.objects.filter(pk=item.reference, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=by.user
        )


def _mark_high_risk(patient: Patient, by: Actor) -> None:
    """Set the fact through the clinical-profile service (validated, audited there), and audit
    that a safety review set it (P-SR3)."""
    facts = [*profile_of(patient).facts, HIGH_RISK_FACT]
    update_clinical_profile(
        patient=patient, data={"facts": facts}, by=by, as_of=timezone.localdate()
    )
    audit_patient(
        by, patient, Action.UPDATE, "clinical_profile", patient,
        summary="high_suicide_risk confirmed by a clinician in a safety review",
    )  # fmt: skip


@transaction.atomic
def reopen_review(*, review: SafetyReview, by: Actor) -> SafetyReview:
    """Reopen a review (once; later calls change nothing). The row stays, the item is open
    again. A 'high suicide risk' fact it set stays: removing it is a profile edit (P-SR3)."""
    if review.reopened_at is None:
        review.reopened_at = timezone.now()
        review.reopened_by = by.user
        review.save(update_fields=["reopened_at", "reopened_by"])
        audit_patient(
            by, review.patient_id, Action.UPDATE, "safety_review", review, summary="reopened"
        )
    return review
