"""A completed instrument: the item answers as given, and the score the core computed from them.

The score snapshot (``result``) is exactly ``ScoreResult.to_dict()``, including the
knowledge-base version that produced it; the columns next to it (total, severity, safety…) copy
the fields that pages and the dashboard filter and sort on, so they never parse the JSON.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from trdnav.core.instruments import UnknownInstrument, get_instrument
from trdnav.core.measurement.safety import needs_review
from trdnav.patients.models import Patient


class Source(models.TextChoices):
    """Who entered the answers."""

    CLINICIAN = "clinician", "Entered by clinic staff"
    PATIENT = "patient", "Entered by the patient"


class SafetyStatus(models.TextChoices):
    """What the instrument's safety item said (core ``Safety``); null when it has none."""

    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    UNKNOWN = "unknown", "Unknown (not answered)"


def abbreviation_of(instrument: str) -> str:
    """The instrument's abbreviation (PHQ-9), or its code for one since withdrawn."""
    try:
        return get_instrument(instrument).abbreviation
    except UnknownInstrument:  # an instrument since withdrawn from the library
        return instrument


class CurrentAssessments(models.Manager["Assessment"]):
    """Assessments not voided: what every score, trend, chart, flag and count reads."""

    def get_queryset(self) -> models.QuerySet[Assessment]:
        return super().get_queryset().filter(voided_at__isnull=True)


class Assessment(models.Model):
    """One completed instrument. An assessment entered in error is *voided* (never deleted):
    it stays in the record and the audit log with who voided it, when and why, and the default
    manager (``objects``, and ``patient.assessments``) leaves it out of everything computed;
    ``all_objects`` includes it (the patient's assessment list, the void page)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.CharField(max_length=40)
    answers = models.JSONField(help_text="The answers object as submitted (item level).")
    result = models.JSONField(help_text="The score snapshot: ScoreResult.to_dict().")
    valid = models.BooleanField(help_text="False when incomplete: no total could be computed.")
    total = models.IntegerField(null=True, blank=True)
    severity = models.CharField(max_length=40, blank=True)
    safety = models.CharField(max_length=10, choices=SafetyStatus.choices, null=True, blank=True)
    safety_priority = models.CharField(max_length=10, blank=True)
    knowledge_version = models.CharField(max_length=80)
    administered_on = models.DateField()
    # A default rather than auto_now_add, so that imported or demo records keep their own time.
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    void_reason = models.CharField(max_length=500, blank=True)

    objects = CurrentAssessments()
    all_objects = models.Manager()

    class Meta:
        base_manager_name = "all_objects"
        default_manager_name = "objects"
        ordering = ("-administered_on", "-recorded_at", "-id")
        indexes = (
            models.Index(
                fields=["patient", "instrument", "administered_on"],
                name="assessment_patient_instr_day",
            ),
        )
        constraints = (
            # One current assessment per key: a retried or repeated submission (API key, the
            # clinician form's submission token, a portal questionnaire's occurrence) finds the
            # stored one. A voided assessment frees its key.
            models.UniqueConstraint(
                fields=["patient", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False, voided_at__isnull=True),
                name="assessment_key_unique_per_patient_unless_voided",
            ),
        )

    def __str__(self) -> str:
        return f"{self.instrument} on {self.administered_on:%Y-%m-%d} (patient {self.patient_id})"

    @property
    def instrument_abbreviation(self) -> str:
        return abbreviation_of(self.instrument)

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def needs_safety_review(self) -> bool:
        return needs_review(self.safety)
