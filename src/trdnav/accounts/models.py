"""Account models: people who log in, the clinics they belong to and their roles.

The project's own user model exists from the first migration so that roles and clinic
memberships could be added without swapping ``AUTH_USER_MODEL`` later.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


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
