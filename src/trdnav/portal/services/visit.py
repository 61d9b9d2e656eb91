"""Prepare for my visit: the patient's questions and a printable summary of scores, reports
and treatment since the last visit.

There is no appointment record yet, so "the last visit" is the day the patient gives, or by
default the most recent day the clinic itself entered a questionnaire, or else 90 days ago
(docs/portal.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import InvalidInput
from trdnav.patients.models import Patient
from trdnav.portal.completions import score_points
from trdnav.portal.models import ConcernReport, VisitQuestion
from trdnav.portal.services.current_treatment import current_treatments_of
from trdnav.portal.services.progress import Trend, safety_concerns, trends

DEFAULT_LOOKBACK = timedelta(days=90)
QUESTION_LENGTH = 500


def last_visit_default(patient: Patient, *, today: date) -> date:
    clinic_entered = [
        p.administered_on for p in score_points(patient=patient) if p.source != "patient"
    ]
    return max(clinic_entered) if clinic_entered else today - DEFAULT_LOOKBACK


@dataclass(frozen=True)
class VisitSummary:
    since: date
    today: date
    trends: list[Trend]
    concerns: list[ConcernReport]
    questions: list[VisitQuestion]
    treatments: tuple[str, ...] = ()
    # Latest safety answers calling for crisis guidance, by instrument (P-P9).
    safety_concerns: dict[str, str] = field(default_factory=dict)


def visit_summary(*, patient: Patient, since: date, by: Actor) -> VisitSummary:
    audit_patient(by, patient, Action.EXPORT, "visit_summary", patient)
    concerns = ConcernReport.objects.filter(patient=patient, created_at__date__gte=since)
    safety = safety_concerns(patient=patient)
    today = timezone.localdate()
    return VisitSummary(
        since=since, today=today, trends=trends(patient=patient, since=since, concerns=safety),
        concerns=list(concerns.order_by("created_at")),
        questions=list(patient.visit_questions.filter(done_at__isnull=True)),
        treatments=current_treatments_of(patient, today=today), safety_concerns=safety,
    )  # fmt: skip


@transaction.atomic
def add_question(*, patient: Patient, text: str, by: Actor) -> VisitQuestion:
    text = text.strip()
    if not text or len(text) > QUESTION_LENGTH:
        raise InvalidInput.single(
            "text", f"write your question (up to {QUESTION_LENGTH} characters)"
        )
    question = VisitQuestion.objects.create(patient=patient, text=text, created_at=timezone.now())
    audit_patient(by, patient, Action.CREATE, "visit_question", question)
    return question


@transaction.atomic
def remove_question(*, question: VisitQuestion, by: Actor) -> None:
    """Mark it done (kept, not deleted: it was part of the record)."""
    if question.done_at is None:
        question.done_at = timezone.now()
        question.save(update_fields=["done_at"])
        audit_patient(
            by, question.patient_id, Action.UPDATE, "visit_question", question,
            summary="marked done",
        )  # fmt: skip
