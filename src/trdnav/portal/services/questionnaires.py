"""A patient submits a scheduled questionnaire: stored through the assessments app with the
form's idempotency key (a double submit stores one result), and, when the safety item is
positive or unanswered, a safety notice for the care team (once per stored result)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from trdnav.audit.services import Actor
from trdnav.core.instruments import Safety, get_instrument, score_instrument
from trdnav.portal.completions import store_patient_answers
from trdnav.portal.models import QuestionnaireSchedule, SafetyNotice, SafetySource
from trdnav.portal.services.safety import raise_notice, triggers_guidance


@dataclass(frozen=True)
class Submitted:
    assessment: Any
    safety: Safety | None
    total: int | None

    @property
    def show_crisis_guidance(self) -> bool:
        return triggers_guidance(self.safety)


@transaction.atomic
def submit_questionnaire(
    *, schedule: QuestionnaireSchedule, answers: dict[str, Any], idempotency_key: str, by: Actor
) -> Submitted:
    patient = schedule.patient
    stored = store_patient_answers(
        patient=patient, instrument=schedule.instrument, answers=answers,
        administered_on=timezone.localdate(), by=by, idempotency_key=idempotency_key,
    )  # fmt: skip
    # The core decides safety from the answers themselves (the same rule the store applied).
    result = score_instrument(schedule.instrument, answers)
    already = SafetyNotice.objects.filter(
        patient=patient, source=SafetySource.QUESTIONNAIRE, reference=str(stored.pk)
    ).exists()
    if triggers_guidance(result.safety) and not already:
        name = get_instrument(schedule.instrument).abbreviation
        raise_notice(
            patient=patient, source=SafetySource.QUESTIONNAIRE, reference=stored.pk, by=by,
            detail=f"{name}: suicidality item {result.safety} (patient portal)",
        )  # fmt: skip
    return Submitted(assessment=stored, safety=result.safety, total=result.total)
