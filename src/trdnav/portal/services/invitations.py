"""Invitations: a clinician invites a patient; the patient sets a password through a one-time
link that expires (``TRDNAV_INVITATION_DAYS``, default 7) and works once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from trdnav.accounts.models import Membership, Role, User
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, record_event
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.patients.models import Patient
from trdnav.patients.services import link_patient_login
from trdnav.portal.models import Invitation

USERNAME_TAKEN = "this username is taken; choose another"
INVALID_LINK = "this invitation link is not valid: it was used, revoked or has expired"


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_lifetime() -> timedelta:
    return timedelta(days=settings.TRDNAV_INVITATION_DAYS)


def _clean_email(email: str) -> str:
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput.single("email", "enter a valid e-mail address") from None
    return email


@transaction.atomic
def invite_patient(*, patient: Patient, email: str, by: Actor) -> tuple[Invitation, str]:
    """Create an invitation (earlier open ones are revoked); returns it and the plain token,
    which is never stored."""
    email = _clean_email(email)
    now = timezone.now()
    Invitation.objects.filter(
        patient=patient, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        patient=patient, email=email, digest=digest_of(token), created_by=by.user,
        created_at=now, expires_at=now + invitation_lifetime(),
    )  # fmt: skip
    record_event(
        by=by, action=Action.CREATE, object_type="portal_invitation", object_id=invitation.pk,
        patient_id=patient.pk,
    )  # fmt: skip
    return invitation, token


def send_invitation(*, invitation: Invitation, link: str, clinic_name: str) -> None:
    """Mail the link. The message names the clinic only: no health information in e-mail."""
    days = settings.TRDNAV_INVITATION_DAYS
    body = (
        f"{clinic_name} has invited you to its patient portal.\n\n"
        f"Open this link to choose your password (it works once and expires in {days} days):\n"
        f"{link}\n\nIf you did not expect this message, you can ignore it."
    )
    send_mail(
        f"Your invitation to the {clinic_name} patient portal",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )


def open_invitation(token: str) -> Invitation | None:
    """The invitation for ``token`` if it is still usable (not used, revoked or expired)."""
    return (
        Invitation.objects.select_related("patient", "patient__clinic", "patient__user")
        .filter(
            digest=digest_of(token), accepted_at__isnull=True, revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )  # fmt: skip


def _password_errors(password: str, user: User) -> list[FieldError]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [FieldError("password", message) for message in exc.messages]
    return []


def _login_for(invitation: Invitation, username: str) -> User:
    """The patient's existing login (a reset), or a new unsaved one with ``username``."""
    existing = invitation.patient.user
    if existing is not None:
        return existing
    username = username.strip()
    if not username:
        raise InvalidInput.single("username", "choose a username")
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput.single("username", USERNAME_TAKEN)
    return User(username=username, email=invitation.email)


def _save_login(user: User) -> None:
    # The existence check in _login_for can race with another acceptance of the same name;
    # the unique constraint then decides, and the loser gets the same field error.
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise InvalidInput.single("username", USERNAME_TAKEN) from None


@transaction.atomic
def accept_invitation(*, token: str, username: str, password: str, by: Actor) -> User:
    """Set the password and link the login to the record; the link cannot be used again."""
    found = open_invitation(token)
    invitation = (
        found
        and Invitation.objects.select_for_update()
        .filter(pk=found.pk, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise InvalidInput.single("token", INVALID_LINK)
    user = _login_for(invitation, username)
    errors = _password_errors(password, user)
    if errors:
        raise InvalidInput(errors)
    user.set_password(password)
    _save_login(user)
    patient = invitation.patient
    Membership.objects.get_or_create(
        user=user, defaults={"clinic_id": patient.clinic_id, "role": Role.PATIENT}
    )
    acting = Actor(user=user, clinic=patient.clinic, ip_address=by.ip_address,
                   user_agent=by.user_agent, via=by.via)  # fmt: skip
    if patient.user_id != user.pk:
        link_patient_login(patient=patient, user=user, by=acting)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_event(
        by=acting, action=Action.UPDATE, object_type="portal_invitation",
        object_id=invitation.pk, patient_id=patient.pk, summary="invitation accepted",
    )  # fmt: skip
    return user
