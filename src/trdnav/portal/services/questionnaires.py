"""A patient submits a scheduled questionnaire: one result per schedule occurrence, stored
through the assessments app, and, when the safety item is positive or unanswered, one safety
notice for the care team (docs/portal.md, "Sending a questionnaire once").

The idempotency key is the occurrence itself (``portal-<schedule>-<due date>``), not a value
the page carries: whatever the browser does (Back and send again, a double click, a retry, a
second tab), a second submission for the same occurrence finds the first one through the
unique key and is shown the stored result; nothing new is stored and no second notice raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from trdnav.assessments.models import Assessment
from trdnav.audit.services import Actor
from trdnav.core.errors import InvalidInput
from trdnav.core.instruments import Safety, get_instrument, score_instrument
from trdnav.portal.completions import store_patient_answers
from trdnav.portal.models import QuestionnaireSchedule, SafetyNotice, SafetySource
from trdnav.portal.services.safety import raise_notice, triggers_guidance


@dataclass(frozen=True)
class Submitted:
    assessment: Any
    safety: Safety | None
    total: int | None
    repeated: bool = False  # this occurrence had already been sent: nothing new was stored

    @property
    def show_crisis_guidance(self) -> bool:
        return triggers_guidance(self.safety)


def occurrence_key(schedule: QuestionnaireSchedule, due_on: date) -> str:
    """The idempotency key of one occurrence of a schedule."""
    return f"portal-{schedule.pk}-{due_on.isoformat()}"


def stored_for(schedule: QuestionnaireSchedule, due_on: date) -> Submitted | None:
    """What was sent for the occurrence due on ``due_on``, or None."""
    key = occurrence_key(schedule, due_on)
    found = Assessment.objects.filter(patient_id=schedule.patient_id, idempotency_key=key).first()
    if found is None:
        return None
    safety = Safety(found.safety) if found.safety else None
    return Submitted(assessment=found, safety=safety, total=found.total, repeated=True)


@transaction.atomic
def submit_questionnaire(
    *, schedule: QuestionnaireSchedule, answers: dict[str, Any], due_on: date, by: Actor
) -> Submitted:
    """Store the answers for the occurrence due on ``due_on`` (once), raise its notice (once)."""
    patient = schedule.patient
    started = timezone.now()
    earlier = stored_for(schedule, due_on)
    if earlier is not None:
        return earlier
    key = occurrence_key(schedule, due_on)
    try:
        stored = store_patient_answers(
            patient=patient, instrument=schedule.instrument, answers=answers,
            administered_on=timezone.localdate(), by=by, idempotency_key=key,
        )  # fmt: skip
    except InvalidInput as exc:
        # A simultaneous submission of the same occurrence with other answers got there first.
        raced = stored_for(schedule, due_on)
        if raced is None or not any(e.field == "idempotency_key" for e in exc.errors):
            raise
        return raced
    # The core decides safety from the answers themselves (the same rule the store applied).
    result = score_instrument(schedule.instrument, stored.answers)
    already = SafetyNotice.objects.filter(
        patient=patient, source=SafetySource.QUESTIONNAIRE, reference=str(stored.pk)
    ).exists()
    if triggers_guidance(result.safety) and not already:
        name = get_instrument(schedule.instrument).abbreviation
        raise_notice(
            patient=patient, source=SafetySource.QUESTIONNAIRE, reference=stored.pk, by=by,
            detail=f"{name}: suicidality item {result.safety} (patient portal)",
        )  # fmt: skip
    repeated = stored.recorded_at < started  # a simultaneous submission stored it first
    return Submitted(assessment=stored, safety=result.safety, total=result.total, repeated=repeated)
