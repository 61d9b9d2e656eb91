"""Recording an assessment: validate everything, score with the core, store, audit.

Nothing is stored when any part is wrong (unknown instrument, a rejected answer, an impossible
date). An incomplete form (unanswered items) is not wrong: it is stored with ``valid = False``,
and its safety item is still reported (instrument_notes §0 rule 2).
A submission carrying an idempotency key already used for the patient returns the stored
assessment instead of a second copy, so a retried request never records twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from trdnav.assessments.models import Assessment, Source
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.instruments import ScoreResult, get_instrument
from trdnav.patients.models import Patient

IDEMPOTENCY_KEY_LENGTH = 100
REUSED_KEY = "this idempotency key was already used for a different submission"
EMPTY_FORM = "no item is answered; an empty form is not recorded"
VOID_REASON_LENGTH = 500


def _date_errors(patient: Patient, administered_on: object) -> list[FieldError]:
    if isinstance(administered_on, datetime) or not isinstance(administered_on, date):
        return [FieldError("administered_on", "must be a date (YYYY-MM-DD)")]
    if administered_on > timezone.localdate():
        return [FieldError("administered_on", "cannot be in the future")]
    if administered_on < patient.date_of_birth:
        return [FieldError("administered_on", "cannot be before the patient's date of birth")]
    return []


def _other_errors(source: object, idempotency_key: object) -> list[FieldError]:
    errors = []
    if source not in Source.values:
        errors.append(FieldError("source", f"must be one of: {', '.join(Source.values)}"))
    if idempotency_key is not None and (
        not isinstance(idempotency_key, str)
        or not 0 < len(idempotency_key) <= IDEMPOTENCY_KEY_LENGTH
    ):
        message = f"must be text of 1–{IDEMPOTENCY_KEY_LENGTH} characters"
        errors.append(FieldError("idempotency_key", message))
    return errors


def _empty_errors(answers: object) -> list[FieldError]:
    """An answers object with no item answered at all is refused: it is a form sent by
    mistake (an empty form would be stored as "incomplete" and flag an unknown safety item)."""
    if not isinstance(answers, Mapping):
        return []
    values: list[object] = []
    for key, value in answers.items():
        if key == "version":  # the C-SSRS version is a setting of the form, not an answer
            continue
        values.extend(value if key == "items" and isinstance(value, list) else [value])
    if values and all(value is None for value in values):
        return [FieldError("answers", EMPTY_FORM)]
    return []


def _score(instrument: str, answers: Mapping[str, Any]) -> tuple[ScoreResult, list[FieldError]]:
    """The core's result, and its errors with paths under ``answers``."""
    result = get_instrument(instrument).score(answers)
    if not result.rejected:
        return result, []
    errors = [FieldError(_under_answers(e.field), e.message) for e in result.errors]
    return result, errors or [FieldError("answers", "the answers were rejected")]


def _under_answers(path: str) -> str:
    # The core names the whole object "input"; here it is the ``answers`` parameter.
    return "answers" if path == "input" else f"answers.{path}"


def _replay(
    patient: Patient, key: str | None, instrument: str, answers: object, day: object
) -> Assessment | None:
    """The stored assessment for a repeated key; an error if the key came with other content."""
    if key is None:
        return None
    stored = Assessment.objects.filter(patient=patient, idempotency_key=key).first()
    if stored is None:
        return None
    given = dict(answers) if isinstance(answers, Mapping) else answers
    if (stored.instrument, stored.answers, stored.administered_on) != (instrument, given, day):
        raise InvalidInput.single("idempotency_key", REUSED_KEY)
    return stored


def _build(
    patient: Patient, result: ScoreResult, answers: Mapping[str, Any], **fields: Any
) -> Assessment:
    snapshot = result.to_dict()
    return Assessment(
        patient=patient,
        instrument=result.instrument,
        answers=dict(answers),
        result=snapshot,
        valid=result.valid,
        total=result.total,
        severity=result.severity or "",
        safety=None if result.safety is None else result.safety.value,
        safety_priority="" if result.safety_priority is None else result.safety_priority.value,
        knowledge_version=str(snapshot["knowledge_version"]),
        **fields,
    )


def build_assessment(
    patient: Patient, result: ScoreResult, answers: Mapping[str, Any], **fields: Any
) -> Assessment:
    """An unsaved assessment for an already scored result, for bulk loading (demo data) where
    the caller writes many rows at once; ``record_assessment`` is the way for single records."""
    return _build(patient, result, answers, **fields)


def record_assessment(
    *,
    patient: Patient,
    instrument: str,
    answers: Mapping[str, Any],
    administered_on: date,
    by: Actor,
    source: str,
    idempotency_key: str | None = None,
) -> Assessment:
    """Score ``answers`` with the instrument and store the result; raises ``InvalidInput``
    (field paths such as ``answers.items[8]``, ``instrument``, ``administered_on``)."""
    replayed = _replay(patient, idempotency_key, instrument, answers, administered_on)
    if replayed is not None:
        audit_patient(
            by, patient, Action.VIEW, "assessment", replayed,
            summary="repeated submission (idempotency key); nothing new stored",
        )  # fmt: skip
        return replayed
    errors = _date_errors(patient, administered_on) + _other_errors(source, idempotency_key)
    result, answer_errors = _score(instrument, answers)  # UnknownInstrument: field "instrument"
    answer_errors = answer_errors or _empty_errors(answers)
    if errors or answer_errors:
        raise InvalidInput(errors + answer_errors)
    assessment = _build(
        patient,
        result,
        answers,
        administered_on=administered_on,
        recorded_by=by.user,
        source=source,
        idempotency_key=idempotency_key,
    )
    return _store(assessment, by)


def _store(assessment: Assessment, by: Actor) -> Assessment:
    try:
        with transaction.atomic():
            assessment.save()
            audit_patient(
                by, assessment.patient_id, Action.CREATE, "assessment", assessment,
                summary=f"instrument {assessment.instrument}",
            )  # fmt: skip
    except IntegrityError:
        # A concurrent request with the same idempotency key won the race: return its record.
        key = assessment.idempotency_key
        stored = Assessment.objects.filter(patient=assessment.patient, idempotency_key=key)
        found = stored.first()
        if key is None or found is None:
            raise
        return found
    return assessment


@transaction.atomic
def void_assessment(*, assessment: Assessment, reason: str, by: Actor) -> Assessment:
    """Mark ``assessment`` as entered in error. It stays stored with who, when and why; every
    score, trend, chart, dashboard flag and count leaves it out from then on. The audit event
    names the assessment, never the reason (free text may carry patient data)."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvalidInput.single("reason", "say why the assessment is void")
    if len(reason) > VOID_REASON_LENGTH:
        raise InvalidInput.single("reason", f"at most {VOID_REASON_LENGTH} characters")
    locked = Assessment.all_objects.select_for_update().get(pk=assessment.pk)
    if locked.voided_at is not None:
        raise InvalidInput.single("reason", "this assessment is already void")
    locked.voided_at = timezone.now()
    locked.voided_by = by.user
    locked.void_reason = reason
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_patient(
        by, locked.patient_id, Action.UPDATE, "assessment", locked,
        summary=f"voided (entered in error): instrument {locked.instrument}",
    )  # fmt: skip
    return locked
