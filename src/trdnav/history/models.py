"""What the history engine concluded about a patient, as stored (``trdnav.history.snapshots``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from trdnav.patients.models import Patient


class HistorySnapshot(models.Model):
    """What the history engine concluded, stored each time the history changed.

    ``result`` is exactly ``HistoryAssessment.to_dict()`` (trial verdicts, TRD status under each
    definition, every staging model) for ``profile`` as of ``as_of``, next to the knowledge-base
    version that produced it: a record of what the system showed. Rows are only added.
    """

    class Trigger(models.TextChoices):
        HISTORY_CHANGED = "history_changed", "the history changed"
        KNOWLEDGE_CHANGED = "knowledge_changed", "the knowledge base changed"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    profile = models.CharField(max_length=40)
    as_of = models.DateField()
    knowledge_version = models.CharField(max_length=80)
    result = models.JSONField()
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        # Moved from the clinical app: the table keeps its name, no data moved.
        db_table = "clinical_historysnapshot"
        ordering = ("-computed_at", "-id")
        indexes = (models.Index(fields=["patient", "-computed_at"], name="snapshot_patient_at"),)

    def __str__(self) -> str:
        return f"history snapshot of patient {self.patient_id} at {self.computed_at:%Y-%m-%d}"
