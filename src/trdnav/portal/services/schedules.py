"""Questionnaire schedules: set by the care team, read by the patient's home page and by the
reminder command. The due/overdue rule itself is pure (``trdnav.core.scheduling``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import FieldError, InvalidInput, UnknownCode
from trdnav.core.instruments import (
    InputKind,
    Instrument,
    Respondent,
    get_instrument,
    list_instruments,
)
from trdnav.core.scheduling import Cadence, DueStatus, ask_once, due_status
from trdnav.patients.models import Patient
from trdnav.portal.completions import completed_dates
from trdnav.portal.models import QuestionnaireSchedule

MAX_EVERY_DAYS = 366


def _portal_ready(instrument: Instrument) -> bool:
    """Patient-rated, item by item, with a label for every answer (a form needs the words)."""
    definition = instrument.definition
    return (
        instrument.respondent == Respondent.PATIENT
        and definition.input_kind == InputKind.ITEMS
        and all(item.answers.options for item in definition.items)
    )


def patient_instruments() -> list[Instrument]:
    """Instruments a patient can complete alone in the portal (PHQ-9, PHQ-2, GAD-7 today)."""
    return [i for i in list_instruments() if _portal_ready(i)]


def _instrument_errors(code: Any) -> list[FieldError]:
    known = [i.code for i in patient_instruments()]
    if code in known:
        return []
    return list(UnknownCode("instrument", str(code), known, "patient-rated forms only").errors)


def _errors(data: Mapping[str, Any]) -> list[FieldError]:
    errors = _instrument_errors(data.get("instrument"))
    every = data.get("every_days")
    if not isinstance(every, int) or not 1 <= every <= MAX_EVERY_DAYS:
        errors.append(FieldError("every_days", f"a whole number of days, 1–{MAX_EVERY_DAYS}"))
    start, end = data.get("start"), data.get("end")
    if not isinstance(start, date):
        errors.append(FieldError("start", "give the first due date"))
    if end is not None and (not isinstance(end, date) or (isinstance(start, date) and end < start)):
        errors.append(FieldError("end", "leave empty, or give a date on or after the start"))
    return errors


def _same_schedule(patient: Patient, data: Mapping[str, Any]) -> bool:
    """An active care-team schedule with the same instrument, interval and dates (P-P11)."""
    return QuestionnaireSchedule.objects.filter(
        patient=patient, active=True, course__isnull=True, instrument=data["instrument"],
        every_days=data["every_days"], start=data["start"], end=data.get("end"),
    ).exists()  # fmt: skip


@transaction.atomic
def set_schedule(*, patient: Patient, data: Mapping[str, Any], by: Actor) -> QuestionnaireSchedule:
    """Create a schedule (instrument, every_days, start, optional end); all or nothing. A copy
    of an active care-team schedule (same instrument, interval and dates) is refused (P-P11)."""
    errors = _errors(data)
    if errors:
        raise InvalidInput(errors)
    Patient.objects.select_for_update().filter(pk=patient.pk).exists()  # one add at a time
    if _same_schedule(patient, data):
        name = get_instrument(data["instrument"]).abbreviation
        raise InvalidInput([FieldError("instrument", (
            f"the {name} is already scheduled every {data['every_days']} days from this date; "
            "stop that schedule first, or change the interval or the dates"
        ))])  # fmt: skip
    schedule = QuestionnaireSchedule.objects.create(
        patient=patient, instrument=data["instrument"], every_days=data["every_days"],
        start=data["start"], end=data.get("end"), created_by=by.user,
    )  # fmt: skip
    audit_patient(by, patient, Action.CREATE, "questionnaire_schedule", schedule)
    return schedule


@transaction.atomic
def stop_schedule(*, schedule: QuestionnaireSchedule, by: Actor) -> None:
    if schedule.active:
        schedule.active = False
        schedule.save(update_fields=["active"])
        audit_patient(
            by, schedule.patient_id, Action.UPDATE, "questionnaire_schedule", schedule,
            summary="stopped",
        )  # fmt: skip


def cadence_of(schedule: QuestionnaireSchedule) -> Cadence:
    return Cadence(every_days=schedule.every_days, start=schedule.start, end=schedule.end)


def status_of(schedule: QuestionnaireSchedule, *, as_of: date) -> DueStatus:
    done = completed_dates(patient=schedule.patient, instrument=schedule.instrument)
    grace = settings.TRDNAV_DUE_GRACE_DAYS
    return due_status(cadence_of(schedule), done, as_of=as_of, grace_days=grace)


@dataclass(frozen=True)
class ScheduleLine:
    schedule: QuestionnaireSchedule
    instrument: Instrument
    status: DueStatus


def schedule_lines(*, patient: Patient, as_of: date) -> list[ScheduleLine]:
    """The patient's active schedules with their state, overdue first, then due, then the rest."""
    order = {"overdue": 0, "due": 1, "not_started": 2, "done": 2, "ended": 3}
    lines = [
        ScheduleLine(s, get_instrument(s.instrument), status_of(s, as_of=as_of))
        for s in patient.schedules.filter(active=True)
    ]
    return sorted(lines, key=lambda line: order[line.status.state])


def to_ask(lines: list[ScheduleLine]) -> list[ScheduleLine]:
    """The lines to ask for now: one per instrument, the most urgent of its schedules that need
    doing (``trdnav.core.scheduling.ask_once``; P-P11). One form satisfies them all."""
    asks = ask_once([(line.schedule.instrument, line.status) for line in lines])
    return [lines[ask.lead] for ask in asks]
