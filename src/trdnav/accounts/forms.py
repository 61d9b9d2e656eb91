"""Login with throttling, and the API-token form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from trdnav.accounts import throttle
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, actor_from_request, client_ip, record_event

LOCKED_MESSAGE = (
    "Too many failed attempts for this username or from this address. "
    "Try again in %(minutes)d minutes."
)


class ThrottledLoginMixin:
    """Refuses a locked username or address before checking the password; failures are
    counted by django-axes (trdnav.accounts.throttle), one attempt at a time per username and
    per address."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = throttle.normal_username(self.cleaned_data.get("username"))
        if self.request is None:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
            return cleaned
        ip = client_ip(self.request)
        # Decide inside the gate, raise outside it: an exception inside would roll back the
        # failure axes has just recorded.
        with throttle.attempt_gate(username, ip):
            outcome = self._attempt(username)
        if isinstance(outcome, ValidationError):
            raise outcome
        return outcome

    def _attempt(self, username: str) -> dict[str, Any] | ValidationError:
        if throttle.locked_scope(self.request, username) is not None:
            return self._locked_error()
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except ValidationError as error:
            self._audit_failure(username)
            return error
        throttle.clear_username(self.request, username)
        return cleaned

    def _audit_failure(self, username: str) -> None:
        from trdnav.accounts.models import User

        # Name only an account that exists: a password typed into the username box stays out.
        known = User.objects.filter(username__iexact=username).exists()
        record_event(
            by=self._anonymous_actor(),
            action=Action.LOGIN_FAILED,
            object_type="user",
            summary=f"account {username[:60]!r}" if known else "unknown username",
        )
        scope = throttle.locked_scope(self.request, username)
        if scope is not None:  # this failure started a lock: one event per lock
            record_event(
                by=self._anonymous_actor(),
                action=Action.LOGIN_LOCKED,
                object_type="user",
                summary=f"locked by {'address' if scope == 'ip_address' else 'username'}",
            )

    def _locked_error(self) -> ValidationError:
        from django.conf import settings

        minutes = settings.TRDNAV_LOGIN_LOCK_MINUTES
        return ValidationError(LOCKED_MESSAGE, code="locked", params={"minutes": minutes})

    def _anonymous_actor(self) -> Actor:
        if self.request is None:
            return Actor(user=None)
        return actor_from_request(self.request)


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        strip=True,
        help_text="What the token is for, e.g. 'research export script'.",
    )
