"""Secure messages between a patient and their care team, in threads; every read and write is
audited (the audit summary never holds the text)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.patients.models import Patient
from trdnav.portal.models import Message, Thread

SUBJECT_LENGTH = 150
BODY_LENGTH = 5000


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body or len(body) > BODY_LENGTH:
        raise InvalidInput.single("body", f"write a message (up to {BODY_LENGTH} characters)")
    return body


def _add(thread: Thread, *, body: str, from_patient: bool, by: Actor) -> Message:
    now = timezone.now()
    message = Message.objects.create(
        thread=thread, author=by.user, from_patient=from_patient, body=body, sent_at=now
    )
    Thread.objects.filter(pk=thread.pk).update(last_message_at=now)
    audit_patient(
        by, thread.patient_id, Action.CREATE, "portal_message", message,
        summary=f"thread {thread.pk}",
    )  # fmt: skip
    return message


NO_LOGIN = (
    "This patient has no portal login, so they could not read a message. Invite them to the "
    "portal first, or contact them another way."
)


def can_read_portal(patient: Patient) -> bool:
    """Whether the patient has an active portal login to read messages with."""
    login = patient.user
    return login is not None and login.is_active


@transaction.atomic
def start_thread(
    *, patient: Patient, subject: str, body: str, from_patient: bool, by: Actor
) -> Thread:
    subject = subject.strip()
    errors = []
    if not from_patient and not can_read_portal(patient):
        # A message the patient could never read is refused, not stored (P-PH5).
        errors.append(FieldError("patient", NO_LOGIN))
    if not subject or len(subject) > SUBJECT_LENGTH:
        errors.append(FieldError("subject", f"give a subject (up to {SUBJECT_LENGTH} characters)"))
    try:
        body = _clean_body(body)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    thread = Thread.objects.create(
        patient=patient, subject=subject, created_at=now, last_message_at=now
    )
    _add(thread, body=body, from_patient=from_patient, by=by)
    return thread


@transaction.atomic
def reply(*, thread: Thread, body: str, from_patient: bool, by: Actor) -> Message:
    """Add a message; whoever replies has read the other side's messages."""
    message = _add(thread, body=_clean_body(body), from_patient=from_patient, by=by)
    _mark_read(thread, read_by_patient=from_patient)
    return message


def _mark_read(thread: Thread, *, read_by_patient: bool) -> None:
    unread = thread.messages.filter(from_patient=not read_by_patient, read_at__isnull=True)
    unread.update(read_at=timezone.now())


@transaction.atomic  # reading pages have no request transaction on SQLite
def read_thread(*, thread: Thread, as_patient: bool, by: Actor) -> QuerySet[Message]:
    """The thread's messages; marks the other side's messages read, and audits the view."""
    _mark_read(thread, read_by_patient=as_patient)
    audit_patient(by, thread.patient_id, Action.VIEW, "portal_thread", thread)
    return thread.messages.select_related("author").all()


def unread_count(threads: QuerySet[Thread], *, for_patient: bool) -> int:
    return Message.objects.filter(
        thread__in=threads, from_patient=not for_patient, read_at__isnull=True
    ).count()
