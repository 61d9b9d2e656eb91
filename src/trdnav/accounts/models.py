"""Account models: people who log in, the clinics they belong to and their roles.

The project's own user model exists from the first migration so that roles and clinic
memberships could be added without swapping ``AUTH_USER_MODEL`` later.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from trdnav.core.errors import InvalidInput
from trdnav.core.protocols import effective_limits, get_protocol, rems_rule_in_force

# The keys of Clinic.protocol_settings (docs/courses.md).
PROTOCOL_SETTINGS = ("rems_enabled", "rems_deadline_days", "protocol_limits")


class User(AbstractUser):
    """A person who logs in: clinic staff or a patient."""


class Role(models.TextChoices):
    """What a member may do in their clinic (see docs/access-control.md)."""

    CLINIC_ADMIN = "clinic_admin", "Clinic administrator"
    CLINICIAN = "clinician", "Clinician"
    STAFF = "staff", "Staff (nurse or technician)"
    PATIENT = "patient", "Patient"


class Clinic(models.Model):
    """An organisation; every patient record and every staff account belongs to one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    require_mfa_for_staff = models.BooleanField(
        default=False,
        help_text="Staff must confirm each log-in with an authenticator app (TOTP) code.",
    )
    staff_may_override_session_blocks = models.BooleanField(
        default=False,
        help_text=(
            "Staff (nurses, technicians) may sign a treatment session over a blocking check "
            "with a written reason; otherwise only clinicians and clinic administrators may."
        ),
    )
    protocol_settings = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "Treatment-course settings the protocol checks read (docs/courses.md): "
            '"rems_enabled" (false where REMS forms are not filed), "rems_deadline_days" '
            '(shorter only), "protocol_limits" (per protocol id, tighter limits).'
        ),
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The admin form refuses protocol settings the protocol checks would refuse."""
        problem = protocol_settings_problem(self.protocol_settings)
        if problem:
            raise ValidationError({"protocol_settings": problem})


def protocol_settings_problem(value: Any) -> str:
    """What is wrong with a clinic's protocol settings ("" when nothing is)."""
    if not isinstance(value, dict):
        return "must be a JSON object"
    unknown = sorted(set(value) - set(PROTOCOL_SETTINGS))
    if unknown:
        return f"unknown setting {unknown[0]!r}; allowed: {', '.join(PROTOCOL_SETTINGS)}"
    if not isinstance(value.get("rems_enabled", True), bool):
        return "rems_enabled must be true or false"
    limits = value.get("protocol_limits", {})
    try:
        rems_rule_in_force(date.max, value)
        if not isinstance(limits, dict):
            return "protocol_limits must be an object of protocol ids"
        for protocol_id in limits:
            effective_limits(get_protocol(str(protocol_id)), value)
    except InvalidInput as refused:
        return str(refused)
    return ""


class Membership(models.Model):
    """A user's role in a clinic.

    A user has at most one membership (one clinic, one role): every query is scoped to that
    clinic without a clinic switcher. People working for two clinics hold two accounts.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.role} at {self.clinic})"


class LoginGate(models.Model):
    """1,024 rows, one per hash bucket of a username or an address: a log-in attempt locks its
    two rows so that attempts on one username or from one address run one at a time
    (trdnav.accounts.throttle). Failures themselves are counted by django-axes."""

    id = models.IntegerField(primary_key=True)
    uses = models.BigIntegerField(default=0)


class ApiToken(models.Model):
    """A bearer token for programmatic clients, acting with its owner's permissions.

    Only a SHA-256 digest is stored: the token is 256 random bits, so a slow hash adds nothing,
    and the plain value is shown once, when it is issued.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="First characters, to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
