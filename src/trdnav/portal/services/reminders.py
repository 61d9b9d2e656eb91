"""E-mail reminders for due questionnaires, meant for cron (``trdnav send-reminders``).

Idempotent: a ``SentReminder`` row per schedule and due date (unique) is written in the same
transaction as the e-mail is handed to the mail backend, so a second run — or a concurrent
one — sends nothing twice, and a failed send leaves no row behind and is retried next run.
The e-mail names the clinic only; no health information goes by e-mail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.scheduling import DueStatus, ask_once
from trdnav.patients.models import Patient
from trdnav.portal.models import QuestionnaireSchedule, SentReminder
from trdnav.portal.services.schedules import status_of

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ReminderRun:
    reminders: int  # questionnaires reminded about (one per instrument, P-P11)
    emails: int  # e-mails sent (one per patient)


def _address(patient: Patient) -> str:
    user = patient.user
    return (user.email if user is not None and user.email else "") or patient.email


def _candidates() -> list[QuestionnaireSchedule]:
    return list(
        QuestionnaireSchedule.objects.select_related("patient", "patient__clinic", "patient__user")
        .filter(active=True, patient__active=True, patient__user__is_active=True)
        .order_by("patient_id", "pk")
    )


Due = list[tuple[QuestionnaireSchedule, date]]


def _due_now(as_of: date) -> dict[Patient, list[Due]]:
    """Per patient, per instrument to ask for on ``as_of`` (``ask_once``: one per instrument,
    however many of its schedules need doing), the schedule occurrences it covers; left out
    if any of them was already reminded about."""
    by_patient: dict[Patient, list[tuple[QuestionnaireSchedule, DueStatus]]] = {}
    for schedule in _candidates():
        if _address(schedule.patient):
            status = status_of(schedule, as_of=as_of)
            by_patient.setdefault(schedule.patient, []).append((schedule, status))
    found: dict[Patient, list[Due]] = {}
    for patient, pairs in by_patient.items():
        for ask in ask_once([(schedule.instrument, status) for schedule, status in pairs]):
            covered = [pairs[i] for i in ask.covers]
            due = [(schedule, status.due_on) for schedule, status in covered if status.due_on]
            reminded = Q()
            for schedule, due_on in due:
                reminded |= Q(schedule=schedule, due_on=due_on)
            if not SentReminder.objects.filter(reminded).exists():
                found.setdefault(patient, []).append(due)
    return found


def _body(patient: Patient, count: int) -> str:
    link = settings.TRDNAV_SITE_URL.rstrip("/") + reverse("portal:home")
    forms = "a questionnaire" if count == 1 else f"{count} questionnaires"
    return (
        f"You have {forms} to complete in the {patient.clinic.name} patient portal.\n\n"
        f"Log in here: {link}\n\n"
        "This is an automatic reminder. The portal is not monitored in real time: if you need "
        "help now, call your local emergency number."
    )


def _send(patient: Patient, asks: list[Due]) -> int:
    """Record and send one patient's reminders atomically; 0 if another run got there first."""
    try:
        with transaction.atomic():
            now = timezone.now()
            for schedule, due_on in (pair for due in asks for pair in due):
                SentReminder.objects.create(schedule=schedule, due_on=due_on, sent_at=now)
            subject = f"{patient.clinic.name}: a questionnaire is waiting for you"
            send_mail(subject, _body(patient, len(asks)), settings.DEFAULT_FROM_EMAIL,
                      [_address(patient)])  # fmt: skip
            audit_patient(
                Actor(user=None, clinic=patient.clinic, via="system"), patient, Action.CREATE,
                "portal_reminder", summary=f"{len(asks)} reminder(s) e-mailed",
            )  # fmt: skip
    except IntegrityError:
        return 0
    return len(asks)


def send_reminders(*, as_of: date, progress: Progress | None = None) -> ReminderRun:
    """``progress(done, total, note)`` is told after each patient (the job runner's bar)."""
    reminders = emails = 0
    due_now = _due_now(as_of)
    for done, (patient, due) in enumerate(due_now.items(), start=1):
        sent = _send(patient, due)
        reminders += sent
        emails += 1 if sent else 0
        if progress is not None:
            progress(done, len(due_now), "patients reminded")
    return ReminderRun(reminders=reminders, emails=emails)
