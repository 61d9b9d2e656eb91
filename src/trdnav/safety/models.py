"""What safety review stores: who reviewed a safety item, when, and what was done (P-SR1–P-SR4).

A *safety item* is one event that needs a clinician's review: an assessment whose suicidality
item is positive or unanswered (entered by the clinic or in the portal), or a concern report
in which the patient said they had thoughts of self-harm. The items themselves are computed
(``trdnav.safety.state``); a review row marks one item reviewed. A review is never deleted: it
can be *reopened*, which keeps the row with who reopened it and when, and the item is open
again until a new review.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trdnav.accounts.models import Clinic
from trdnav.patients.models import Patient

USER = settings.AUTH_USER_MODEL


class ItemKind(models.TextChoices):
    """What raised the safety item; ``reference`` is that row's id."""

    ANSWER = "answer", "Safety answer in a questionnaire or rating"
    REPORT = "report", "Self-harm thoughts in a concern report"


class ReviewAction(models.TextChoices):
    """What the clinician did (P-SR2): at least one is required."""

    PHONE_CALL = "phone_call", "Phone call with the patient"
    RISK_ASSESSMENT = "risk_assessment", "Structured risk assessment (e.g. C-SSRS)"
    SAFETY_PLAN = "safety_plan", "Safety plan made or reviewed"
    EMERGENCY_REFERRAL = "emergency_referral", "Emergency referral"
    OTHER = "other", "Other (described in the note)"


class SafetyReview(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="safety_reviews")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    reference = models.PositiveIntegerField()
    actions = models.JSONField(help_text="ReviewAction codes: what was done.")
    note = models.TextField(blank=True)
    done_at = models.DateTimeField(help_text="When it was done (not in the future).")
    reviewed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(help_text="When the review was recorded.")
    marked_high_risk = models.BooleanField(
        default=False, help_text="The clinician confirmed 'high suicide risk' for the options."
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-reviewed_at", "-pk")
        constraints = (
            # One standing review per item: a form sent twice finds the stored one (P-SR4).
            models.UniqueConstraint(
                fields=["patient", "kind", "reference"],
                condition=models.Q(reopened_at__isnull=True),
                name="one_standing_review_per_safety_item",
            ),
        )

    def __str__(self) -> str:
        return f"review of {self.kind} {self.reference} (patient {self.patient_id})"

    @property
    def action_labels(self) -> list[str]:
        labels = dict(ReviewAction.choices)
        return [str(labels.get(code, code)) for code in self.actions]

    @property
    def action_words(self) -> str:
        """'phone call with the patient, structured risk assessment (e.g. C-SSRS)'."""
        return ", ".join(label[:1].lower() + label[1:] for label in self.action_labels)


class WorseningChoice(models.TextChoices):
    """Which change the dashboard calls worsening (P-SR6; core ``WorseningPolicy``)."""

    RELIABLE_OR_MID = (
        "reliable_or_mid",
        (
            "A reliable change, or a move into a higher band by at least the minimal important "
            "difference (recommended)"
        ),
    )
    ANY_BAND = "any_band", "Any move into a higher severity band (flags one-point moves)"


class ClinicSafetySettings(models.Model):
    """A clinic's safety and dashboard settings, chosen by its clinic administrator."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="+")
    worsening_rule = models.CharField(
        max_length=20, choices=WorseningChoice.choices, default=WorseningChoice.RELIABLE_OR_MID
    )
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"safety settings of clinic {self.clinic_id}"
