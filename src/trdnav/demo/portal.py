"""The demo patient's portal: a weekly PHQ-9 and a four-weekly GAD-7, and a message thread
with the demo clinician. Running it twice changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.patients.models import Patient
from trdnav.portal.models import Message, QuestionnaireSchedule, Thread

THREAD_SUBJECT = "Starting the new course"
THREAD = (
    (False, "Welcome to the portal. Please fill in the PHQ-9 each week during the course; "
            "it helps us see how you are doing."),
    (True, "Thank you. Should I still take my evening tablet on treatment days?"),
    (False, "Yes, keep taking it as usual. We will go over it at your next visit."),
)  # fmt: skip


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _schedules(patient: Patient, clinician: User, as_of: date) -> None:
    for instrument, every_days, weeks_ago in (("phq9", 7, 8), ("gad7", 28, 8)):
        QuestionnaireSchedule.objects.get_or_create(
            patient=patient, instrument=instrument,
            defaults={"every_days": every_days, "start": as_of - timedelta(weeks=weeks_ago),
                      "created_by": clinician},
        )  # fmt: skip


def _thread(patient: Patient, clinician: User, as_of: date) -> None:
    if Thread.objects.filter(patient=patient, subject=THREAD_SUBJECT).exists():
        return
    start = as_of - timedelta(days=10)
    thread = Thread.objects.create(
        patient=patient, subject=THREAD_SUBJECT, created_at=_moment(start, 9),
        last_message_at=_moment(start + timedelta(days=len(THREAD) - 1), 9),
    )  # fmt: skip
    for index, (from_patient, body) in enumerate(THREAD):
        sent = _moment(start + timedelta(days=index), 9)
        Message.objects.create(
            thread=thread, author=patient.user if from_patient else clinician,
            from_patient=from_patient, body=body, sent_at=sent, read_at=sent,
        )  # fmt: skip


def load_portal_demo(*, patient: Patient, clinician: User, as_of: date) -> None:
    _schedules(patient, clinician, as_of)
    _thread(patient, clinician, as_of)
