"""Invitations: a clinician invites a patient; the patient sets a password through a one-time
link that expires (``TRDNAV_INVITATION_DAYS``, default 7) and works once."""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from trdnav.accounts.models import Membership, Role, User
from trdnav.accounts.names import normalise_username
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.patients.models import Patient
from trdnav.patients.services import link_patient_login
from trdnav.portal.models import Invitation

logger = logging.getLogger(__name__)

# Kept for callers that still import it; never shown: a taken name gets a number added instead,
# so the form cannot be used to find out which usernames exist.
USERNAME_TAKEN = "this username is not available; choose another"
ADMIN_ONLY_EMAIL = (
    "this patient already has a portal login; only a clinic administrator can send its "
    "invitation to a different e-mail address"
)
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


def _portal_email(patient: Patient, email: str, by: Actor) -> None:
    """A patient's existing login keeps its e-mail address unless a clinic administrator
    changes it (the reset link goes there, so whoever changes it can take the login over).
    The change is audited."""
    login = patient.user
    if login is None or login.email.strip().lower() == email.lower():
        return
    membership = getattr(by.user, "membership", None)
    if membership is None or membership.role != Role.CLINIC_ADMIN:
        raise InvalidInput.single("email", ADMIN_ONLY_EMAIL)
    previous = login.email
    login.email = email
    login.save(update_fields=["email"])
    if previous:
        clinic = patient.clinic.name
        transaction.on_commit(lambda: _tell_previous_address(previous, clinic))
    audit_patient(
        by, patient, Action.UPDATE, "portal_login", login,
        summary="portal e-mail address changed by a clinic administrator",
    )  # fmt: skip


def _tell_previous_address(address: str, clinic_name: str) -> None:
    """The old address learns of the change (the clinic's name only, no health information),
    so a change the patient did not ask for does not go unnoticed."""
    send_mail(
        f"Your {clinic_name} patient portal e-mail address was changed",
        f"{clinic_name} changed the e-mail address of your patient portal login. If you did not "
        "ask for this, please contact the clinic.",
        settings.DEFAULT_FROM_EMAIL,
        [address],
        fail_silently=True,
    )


@transaction.atomic
def invite_patient(*, patient: Patient, email: str, by: Actor) -> tuple[Invitation, str]:
    """Create an invitation (earlier open ones are revoked); returns it and the plain token,
    which is never stored. For a patient who already has a login (a password reset), the
    invitation goes to the login's own address unless a clinic administrator changes it."""
    email = _clean_email(email)
    _portal_email(patient, email, by)
    now = timezone.now()
    Invitation.objects.filter(
        patient=patient, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        patient=patient, email=email, digest=digest_of(token), created_by=by.user,
        created_at=now, expires_at=now + invitation_lifetime(),
    )  # fmt: skip
    audit_patient(by, patient, Action.CREATE, "portal_invitation", invitation)
    return invitation, token


def send_invitation(*, invitation: Invitation, link: str, clinic_name: str) -> bool:
    """Mail the link; False when the mail server could not take it (down, refused, timed out):
    the invitation stays valid and the care team hands the link over another way. The message
    names the clinic only: no health information in e-mail. The log names the error's kind and
    the invitation's id, never the address."""
    days = settings.TRDNAV_INVITATION_DAYS
    body = (
        f"{clinic_name} has invited you to its patient portal.\n\n"
        f"Open this link to choose your password (it works once and expires in {days} days):\n"
        f"{link}\n\nIf you did not expect this message, you can ignore it."
    )
    try:
        send_mail(
            f"Your invitation to the {clinic_name} patient portal",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [invitation.email],
        )
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning(
            "invitation %s: the mail server did not take the e-mail (%s)",
            invitation.pk,
            type(exc).__name__,
        )
        return False
    return True


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


def _password_errors(password: str, user: User, patient: Patient) -> list[FieldError]:
    user.person_names = (patient.given_name, patient.family_name)  # type: ignore[attr-defined]
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [FieldError("password", message) for message in exc.messages]
    return []


def _chosen_username(username: str) -> str:
    try:
        return normalise_username(username)
    except ValidationError as exc:
        raise InvalidInput.single("username", exc.messages[0]) from None


def _login_for(invitation: Invitation, username: str) -> User:
    """The patient's existing login (a reset), or a new unsaved one with ``username``."""
    existing = invitation.patient.user
    if existing is not None:
        return existing
    if not username.strip():
        raise InvalidInput.single("username", "choose a username")
    return User(username=_chosen_username(username), email=invitation.email)


def _save_login(user: User) -> None:
    """Save a new login. A name that is taken (now, or by a concurrent acceptance) gets a
    number added; the page after acceptance shows the final username. Nothing before that
    tells whether a name exists, and each try uses up a one-time invitation."""
    if user.pk is not None:
        user.save()
        return
    wanted = user.username
    for _ in range(20):
        if not User.objects.filter(username__iexact=user.username).exists():
            try:
                with transaction.atomic():
                    user.save()
                return
            except IntegrityError:
                pass
        user.username = f"{wanted[:140]}-{secrets.randbelow(9000) + 1000}"
    raise InvalidInput.single("username", USERNAME_TAKEN)


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
    errors = _password_errors(password, user, invitation.patient)
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
    audit_patient(
        acting, patient, Action.UPDATE, "portal_invitation", invitation,
        summary="invitation accepted",
    )  # fmt: skip
    return user
