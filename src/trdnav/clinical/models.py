"""What the options engine and the history engine read about a patient.

One profile per patient. ``history`` is the treatment-history JSON document of
docs/history-schema.md, validated by the core before it is stored; facts and preferences are
codes of the knowledge base's vocabulary (``data/recommend/vocabulary.toml``).

The stored fields are exactly the patient JSON the core's ``parse_patient`` reads:

- ``facts``: present now; each a code, or an object ``{"code", "on"}`` for a dated event, or
  ``{"code": "pregnancy", "trimester": 2}``;
- ``absent_facts``: codes assessed and found absent. A vocabulary fact in neither list is
  *unknown* (not checked), which is not the same as absent;
- ``medications``: ``None`` = not recorded (unknown), ``[]`` = none; each entry a generic name
  or ``{"name", "stopped_on"}``.

The age is not stored here: the patient's date of birth is passed to the engine.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from trdnav.patients.models import Patient


def _empty_list() -> list[object]:
    return []


class ClinicalProfile(models.Model):
    patient = models.OneToOneField(
        Patient, on_delete=models.PROTECT, related_name="clinical_profile"
    )
    facts = models.JSONField(default=_empty_list, blank=True)
    absent_facts = models.JSONField(default=_empty_list, blank=True)
    preferences = models.JSONField(default=_empty_list, blank=True)
    # None = not recorded; [] = reviewed, none taken.
    medications = models.JSONField(null=True, blank=True, default=None)
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

    def as_engine_input(self, *, date_of_birth: date | None) -> dict[str, object]:
        """The patient JSON the options engine reads (``parse_patient``); medications not
        recorded are left out (the engine reads a missing list as unknown)."""
        data: dict[str, object] = {
            "facts": list(self.facts),
            "absent_facts": list(self.absent_facts),
            "preferences": list(self.preferences),
        }
        if date_of_birth is not None:
            data["date_of_birth"] = date_of_birth.isoformat()
        if self.medications is not None:
            data["medications"] = list(self.medications)
        if self.history is not None:
            data["history"] = self.history
        return data
