"""The patient record: minimal demographics, always inside one clinic."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from trdnav.accounts.models import Clinic

EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def validate_birth_date(value: date) -> None:
    if value > timezone.localdate():
        raise ValidationError("the date of birth cannot be in the future", code="future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError("the date of birth must be on or after 1900-01-01", code="too_early")


class AdministrativeSex(models.TextChoices):
    """FHIR R4 ValueSet administrative-gender (male | female | other | unknown)."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class Patient(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    record_number = models.CharField(
        max_length=40, help_text="The clinic's own identifier; unique within the clinic."
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(validators=[validate_birth_date])
    sex = models.CharField(
        max_length=10, choices=AdministrativeSex.choices, blank=True, help_text="Optional."
    )
    gender_identity = models.CharField(max_length=60, blank=True, help_text="Optional, free text.")
    email = models.EmailField(blank=True, help_text="Optional contact address.")
    active = models.BooleanField(default=True)
    # A patient who logs in is linked to exactly one record (and a record to one login).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient_record",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("family_name", "given_name", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=["clinic", "record_number"], name="patient_record_number_unique_per_clinic"
            ),
        )

    def __str__(self) -> str:
        return f"{self.family_name}, {self.given_name} ({self.record_number})"

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
