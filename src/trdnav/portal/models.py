"""Portal records: invitations, questionnaire schedules and reminders, concern reports, secure
messages, safety notices, the patient's questions for their visit and per-clinic crisis
guidance. Every row hangs off one patient (and so one clinic), except the clinic's guidance."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trdnav.accounts.models import Clinic
from trdnav.patients.models import Patient

USER = settings.AUTH_USER_MODEL


class Invitation(models.Model):
    """A one-time link for a patient to set a password. Only the token's SHA-256 digest is
    stored (256 random bits, so a slow hash adds nothing); the link is shown and mailed once."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)


class QuestionnaireSchedule(models.Model):
    """A clinician's request that the patient complete ``instrument`` every ``every_days``."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="schedules")
    instrument = models.CharField(max_length=30)
    every_days = models.PositiveIntegerField()
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the schedule is part of a treatment course's measure plan (trdnav.courses.loop):
    # it is stopped when the course ends. A string reference: the portal imports no course code.
    course = models.ForeignKey(
        "courses.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("instrument", "start", "pk")


class SentReminder(models.Model):
    """One reminder per schedule and due date: the unique pair makes sending idempotent."""

    schedule = models.ForeignKey(
        QuestionnaireSchedule, on_delete=models.CASCADE, related_name="reminders"
    )
    due_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["schedule", "due_on"], name="one_reminder_per_due"),
        )


class Severity(models.TextChoices):
    MILD = "mild", "Mild – I notice it but it does not stop me"
    MODERATE = "moderate", "Moderate – it gets in the way of some things"
    SEVERE = "severe", "Severe – it stops me doing things"


class ReportKind(models.TextChoices):
    SIDE_EFFECT = "side_effect", "A side effect of my treatment"
    CONCERN = "concern", "Another concern"


class ConcernReport(models.Model):
    """A side effect or concern the patient reports; the care team acknowledges it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="concerns")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    what = models.CharField(max_length=200)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    since = models.DateField()
    details = models.TextField(blank=True)
    self_harm_thoughts = models.BooleanField()
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")


class Thread(models.Model):
    """A conversation between a patient and their care team."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="threads")
    subject = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField()

    class Meta:
        ordering = ("-last_message_at", "-pk")


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    from_patient = models.BooleanField()
    body = models.TextField()
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True, help_text="When the other side read it.")

    class Meta:
        ordering = ("sent_at", "pk")


class SafetySource(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", "Questionnaire safety item"
    REPORT = "report", "Concern report"


class SafetyNotice(models.Model):
    """A patient answered a suicidality item positively (or left it unanswered) or reported
    thoughts of self-harm: the dashboard flags it until a clinician acknowledges it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="safety_notices")
    source = models.CharField(max_length=20, choices=SafetySource.choices)
    detail = models.CharField(max_length=200, help_text="What triggered it, without answers.")
    reference = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")


class VisitQuestion(models.Model):
    """A question the patient wants to ask at the next visit (printed on the summary)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="visit_questions")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "pk")


class CrisisGuidance(models.Model):
    """The clinic's own crisis text and numbers; without a row, the portal shows a default."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="crisis_guidance")
    text = models.TextField()
    phone_numbers = models.TextField(
        blank=True, help_text="One per line, as 'label: number' (e.g. 'Clinic duty line: …')."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def numbers(self) -> list[tuple[str, str]]:
        pairs = []
        for line in self.phone_numbers.splitlines():
            label, _, number = line.partition(":")
            if number.strip():
                pairs.append((label.strip(), number.strip()))
            elif label.strip():
                pairs.append(("", label.strip()))
        return pairs
