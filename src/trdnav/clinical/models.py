"""What the options engine and the history engine read about a patient.

One profile per patient. ``history`` is the treatment-history JSON document of
docs/history-schema.md, validated by the core before it is stored; facts and preferences are
codes of the knowledge base's vocabulary (``data/recommend/vocabulary.toml``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trdnav.patients.models import Patient


def _empty_list() -> list[str]:
    return []


class ClinicalProfile(models.Model):
    patient = models.OneToOneField(
        Patient, on_delete=models.PROTECT, related_name="clinical_profile"
    )
    facts = models.JSONField(default=_empty_list, blank=True)
    preferences = models.JSONField(default=_empty_list, blank=True)
    medications = models.JSONField(default=_empty_list, blank=True)
    history = models.JSONField(null=True, blank=True)
    # The knowledge base the stored document was last validated against.
    knowledge_version = models.CharField(max_length=80, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"clinical profile of patient {self.patient_id}"

    def as_engine_input(self, *, age: int) -> dict[str, object]:
        """The patient JSON the options engine reads (``parse_patient``)."""
        data: dict[str, object] = {
            "age": age,
            "facts": list(self.facts),
            "preferences": list(self.preferences),
            "medications": list(self.medications),
        }
        if self.history is not None:
            data["history"] = self.history
        return data
