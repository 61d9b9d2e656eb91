"""Treatment courses and their session records.

A ``Course`` is one patient's course of one protocol (``trdnav.core.protocols``), planned from
a therapy option. Its ``TreatmentSession`` rows hold the values documented at each session and
the protocol check's result at the last save (``findings`` = ``SessionCheck.to_dict()``). A
signed session is never overwritten: a change is a ``SessionAmendment`` with the previous and
new values and a reason. A block the protocol check raised is signed only with a
``SessionOverride`` (a written reason). A ``RemsReport`` is the monitoring form due after a
session when a REMS rule is in force.

Every row hangs off one patient, and so one clinic: queries go through
``trdnav.courses.access``, which scopes them to the user's clinic.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from trdnav.assessments.models import Assessment
from trdnav.patients.models import Patient

USER = settings.AUTH_USER_MODEL
KEY_LENGTH = 100
REASON_LENGTH = 1000


class CourseStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


ENDED_STATUSES = (CourseStatus.COMPLETED, CourseStatus.STOPPED)


class SessionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class Course(models.Model):
    """A course of one protocol for one patient. ``plan`` is the ``CoursePlan`` snapshot made
    when it was planned (sessions and measure schedule), ``outcome`` the last computed
    ``CourseOutcome.to_dict()``; ``knowledge_version`` is the knowledge base that planned it."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="courses")
    protocol_id = models.CharField(max_length=60)
    protocol_name = models.CharField(max_length=200)
    therapy_id = models.CharField(max_length=60, blank=True)
    knowledge_version = models.CharField(max_length=80)
    status = models.CharField(
        max_length=10, choices=CourseStatus.choices, default=CourseStatus.PLANNED
    )
    start_date = models.DateField()
    planned_sessions = models.PositiveIntegerField()
    instrument = models.CharField(max_length=40, blank=True)
    baseline_assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    plan = models.JSONField(default=dict)
    outcome = models.JSONField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    stop_reason = models.CharField(max_length=REASON_LENGTH, blank=True)
    # Set by the loop (courses-loop) when the ended course was written to the treatment history.
    history_treatment_ref = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    idempotency_key = models.CharField(max_length=KEY_LENGTH, null=True, blank=True)

    class Meta:
        ordering = ("-start_date", "-id")
        indexes = (models.Index(fields=["patient", "status"], name="course_patient_status"),)
        constraints = (
            models.UniqueConstraint(
                fields=["patient", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="course_key_unique_per_patient",
            ),
        )

    def __str__(self) -> str:
        return f"{self.protocol_id} from {self.start_date:%Y-%m-%d} (patient {self.patient_id})"

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_STATUSES


class TreatmentSession(models.Model):
    """One session of a course: ``values`` as documented (field names of the protocol's
    ``session_fields``), ``findings`` the protocol check at the last save."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveIntegerField()
    scheduled_on = models.DateField(null=True, blank=True)
    performed_at = models.DateTimeField(null=True, blank=True)
    values = models.JSONField(default=dict)
    findings = models.JSONField(default=dict)
    state = models.CharField(
        max_length=10, choices=SessionState.choices, default=SessionState.DRAFT
    )
    signed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.CharField(max_length=KEY_LENGTH, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("course", "number")
        constraints = (
            models.UniqueConstraint(fields=["course", "number"], name="session_number_per_course"),
            models.UniqueConstraint(
                fields=["course", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="session_key_unique_per_course",
            ),
        )

    def __str__(self) -> str:
        return f"session {self.number} of course {self.course_id} ({self.state})"

    @property
    def is_signed(self) -> bool:
        return self.state == SessionState.SIGNED


class SessionOverride(models.Model):
    """A block finding (``rule``) signed off anyway, with the written reason. Made at signing,
    or with the amendment (``amendment``) whose new values raised the block."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="overrides"
    )
    rule = models.CharField(max_length=80)
    reason = models.CharField(max_length=REASON_LENGTH)
    amendment = models.ForeignKey(
        "SessionAmendment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="overrides",
    )
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("at", "id")
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="session_override_reason_not_empty"
            ),
        )

    def __str__(self) -> str:
        return f"override of {self.rule} on session {self.session_id}"


class SessionAmendment(models.Model):
    """A change to a signed session: the values before and after (only the fields changed)
    and why; ``findings`` is the protocol check of the amended values."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="amendments"
    )
    reason = models.CharField(max_length=REASON_LENGTH)
    previous_values = models.JSONField()
    new_values = models.JSONField()
    findings = models.JSONField(default=dict)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"amendment of session {self.session_id} at {self.at:%Y-%m-%d %H:%M}"


class RemsReport(models.Model):
    """The REMS monitoring form of a signed session: due by ``due_at`` under the rule in force
    on the session's day (``rule_effective_from`` names it); submitted once."""

    session = models.OneToOneField(
        TreatmentSession, on_delete=models.PROTECT, related_name="rems_report"
    )
    rule_effective_from = models.DateField()
    due_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fields = models.JSONField(default=dict)

    class Meta:
        ordering = ("due_at", "id")
        indexes = (models.Index(fields=["submitted_at", "due_at"], name="rems_open_by_due"),)

    def __str__(self) -> str:
        return f"REMS report of session {self.session_id}"
