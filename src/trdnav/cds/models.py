"""What a clinician did with a card in the EHR (the CDS Hooks feedback endpoint)."""

from __future__ import annotations

from django.db import models


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    OVERRIDDEN = "overridden", "Overridden"


class CardFeedback(models.Model):
    """One feedback entry. ``clinic`` is the calling EHR's clinic (from its issuer), so feedback
    is scoped like every other record; the card's uuid ties it to the audited service call."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    issuer = models.CharField(max_length=300)
    service = models.CharField(max_length=100)
    card = models.CharField(max_length=100)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    accepted_suggestions = models.JSONField(default=list, blank=True)
    override_code = models.CharField(max_length=200, blank=True)
    override_system = models.CharField(max_length=300, blank=True)
    override_display = models.CharField(max_length=300, blank=True)
    override_comment = models.TextField(blank=True)
    outcome_at = models.DateTimeField()
    received_at = models.DateTimeField()

    class Meta:
        constraints = (
            # The spec allows the same feedback to arrive more than once; it is stored once.
            models.UniqueConstraint(
                fields=("clinic", "service", "card", "outcome", "outcome_at"),
                name="cds_feedback_once",
            ),
        )
        indexes = (models.Index(fields=["clinic", "received_at"]),)

    def __str__(self) -> str:
        return f"{self.service} card {self.card}: {self.outcome}"


class UsedToken(models.Model):
    """A JWT ``jti`` already accepted, kept until the token expires: a second use is a replay.
    In the database (not a per-process cache) so that every worker sees it."""

    issuer = models.CharField(max_length=300)
    jti = models.CharField(max_length=200)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("issuer", "jti"), name="cds_jti_once"),)

    def __str__(self) -> str:
        return f"{self.issuer} {self.jti}"
