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
