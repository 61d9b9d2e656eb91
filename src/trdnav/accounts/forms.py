"""Login with throttling, and the API-token form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from trdnav.accounts import throttle
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, actor_from_request, client_ip, record_event

LOCKED_MESSAGE = (
    "Too many failed attempts for this username from this address. "
    "Try again in %(minutes)d minutes."
)


class ThrottledLoginMixin:
    """Refuses a locked username+address before checking the password; counts failures."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request is not None else None
        self._refuse_if_locked(username, ip)
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except ValidationError:
            throttle.note_failure(username, ip)
            record_event(
                by=self._anonymous_actor(),
                action=Action.LOGIN_FAILED,
                object_type="user",
                summary=f"username {username[:60]!r}",
            )
            raise
        throttle.clear_failures(username, ip)
        return cleaned

    def _refuse_if_locked(self, username: str, ip: str | None) -> None:
        until = throttle.locked_until(username, ip)
        if until is None:
            return
        record_event(by=self._anonymous_actor(), action=Action.LOGIN_LOCKED, object_type="user")
        minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
        raise ValidationError(LOCKED_MESSAGE, code="locked", params={"minutes": minutes})

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
