"""Audit every successful log-in and log-out, whichever page performed it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from trdnav.audit.models import Action
from trdnav.audit.services import actor_from_request, record_event


# Django sends both signals while request.user is still the person logging in or out.
@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None:
        record_event(by=actor_from_request(request), action=Action.LOGIN, object_type="user")


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and user is not None:
        record_event(by=actor_from_request(request), action=Action.LOGOUT, object_type="user")


@receiver(user_logged_in)
def remember_mfa_requirement(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from trdnav.accounts.mfa import remember_requirement

    remember_requirement(sender, request, user)


def _webauthn_credential_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Security keys and passkeys: a registration, and each use as a second factor (the
    library saves ``last_used_at`` after a successful check), are audited. The library's views
    give no request here, so the events carry no address."""
    from trdnav.audit.services import Actor

    fields = kwargs.get("update_fields") or ()
    if not created and "last_used_at" not in fields:
        return
    user = instance.user
    membership = getattr(user, "membership", None)
    actor = Actor(user=user, clinic=membership.clinic if membership else None, via="page")
    if created:
        summary = "security key or passkey registered"
        record_event(
            by=actor,
            action=Action.CREATE,
            object_type="mfa_device",
            object_id=instance.pk,
            summary=summary,
        )
    else:
        summary = "second factor: security key or passkey"
        record_event(
            by=actor, action=Action.LOGIN, object_type="user", object_id=user.pk, summary=summary
        )


def connect_webauthn_audit() -> None:
    from django.db.models.signals import post_save
    from django_otp_webauthn.models import WebAuthnCredential

    post_save.connect(_webauthn_credential_saved, sender=WebAuthnCredential, weak=False)
