"""The demo patient's portal: a weekly PHQ-9 and a four-weekly GAD-7, the PHQ-9s they filled
in over the last eight weeks (21 falling to 12, item 9 always 0), two GAD-7s, and a message
thread with the demo clinician. Running it twice changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient
from trdnav.portal.completions import completed_dates, store_patient_answers
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
        # The care team's own schedules (a course adds schedules of its own, linked to it).
        QuestionnaireSchedule.objects.get_or_create(
            patient=patient, instrument=instrument, course=None,
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


PHQ9_TOTALS = (21, 20, 19, 17, 16, 14, 13, 12)  # weekly, ending a week before ``as_of``
GAD7_TOTALS = (14, 10)  # eight and four weeks before ``as_of``


def _items(total: int, count: int, scored: int) -> list[int]:
    """``total`` spread over the first ``scored`` of ``count`` items (the rest 0)."""
    base, extra = divmod(total, scored)
    return [base + (1 if i < extra else 0) if i < scored else 0 for i in range(count)]


def _scores(patient: Patient, as_of: date) -> None:
    actor = Actor(user=patient.user, clinic=patient.clinic, via="system")
    weekly = [
        (as_of - timedelta(weeks=8 - i), "phq9", _items(t, 9, 8)) for i, t in enumerate(PHQ9_TOTALS)
    ]
    monthly = [
        (as_of - timedelta(weeks=8 - 4 * i), "gad7", _items(t, 7, 7))
        for i, t in enumerate(GAD7_TOTALS)
    ]
    for day, instrument, items in weekly + monthly:
        store_patient_answers(
            patient=patient, instrument=instrument, answers={"items": items},
            administered_on=day, by=actor, idempotency_key=f"demo-{instrument}-{day.isoformat()}",
        )  # fmt: skip


def load_portal_demo(*, patient: Patient, clinician: User, as_of: date) -> None:
    _schedules(patient, clinician, as_of)
    if not completed_dates(patient=patient, instrument="phq9"):
        _scores(patient, as_of)
    _thread(patient, clinician, as_of)
