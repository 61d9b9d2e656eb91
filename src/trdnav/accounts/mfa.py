"""Multi-factor authentication for clinic staff (docs/access-control.md, "Multi-factor").

When a clinic sets ``require_mfa_for_staff``, every member of it who is not a patient must, after
the password, enter a six-digit code from an authenticator app (TOTP, RFC 6238, via django-otp)
before any page or API call with their session works. Instead of an app, a member may register
a security key or passkey (WebAuthn, via django-otp-webauthn) and confirm log-ins with it.
A member without a device is sent to the enrolment page first (QR code and secret, confirmed
with one code), which also shows ten one-time recovery codes. Members of other clinics may
enrol voluntarily: once they have a device, their log-ins are verified the same way.

API calls with a bearer token are not asked for a code: a token can only be issued from a
verified session, and is revoked on its own page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from trdnav.accounts.models import Role
from trdnav.accounts.permissions import membership_of

RECOVERY_CODES = 10
#: Paths that work before the second factor: the MFA pages themselves, log-in and log-out,
#: static files and the health check.
OPEN_PREFIXES = ("/accounts/mfa/", "/accounts/login/", "/accounts/logout/", "/static/",
                 "/healthz")  # fmt: skip


def confirmed_devices(user: Any) -> list[Any]:
    from django_otp import devices_for_user

    return list(devices_for_user(user, confirmed=True))


def mfa_required(user: Any) -> bool:
    """Staff of a clinic that requires it, and anyone who has enrolled a device."""
    membership = membership_of(user)
    if membership is None or membership.role == Role.PATIENT:
        return bool(user is not None and user.is_authenticated and confirmed_devices(user))
    return membership.clinic.require_mfa_for_staff or bool(confirmed_devices(user))


SESSION_KEY = "trdnav_mfa_required"


def remember_requirement(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """At each log-in (``user_logged_in``), decide once whether this session needs a second
    factor; later requests read the answer from the session instead of querying devices. A
    change to the clinic's setting therefore applies from each member's next log-in."""
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = mfa_required(user)


def needs_second_factor(request: HttpRequest) -> bool:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    required = request.session.get(SESSION_KEY)
    if required is None:  # a session from before this rule, or a log-in without the signal
        required = request.session[SESSION_KEY] = mfa_required(user)
    return bool(required) and not user.is_verified()


class RequireMFAMiddleware:
    """After django-otp's OTPMiddleware: a session that still needs its second factor reaches
    only the MFA pages (enrolment when the user has no device, verification otherwise)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(OPEN_PREFIXES) or not needs_second_factor(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if request.headers.get("Authorization", "").startswith("Bearer "):
                return self.get_response(request)  # token calls authenticate on their own
            return JsonResponse({"detail": "multi-factor verification required"}, status=403)
        target = "accounts:mfa_verify" if confirmed_devices(request.user) else "accounts:mfa_setup"
        return redirect(reverse(target) + "?" + urlencode({"next": request.get_full_path()}))


def webauthn_rp_id(request: HttpRequest) -> str:
    """WebAuthn's relying party: the host name the page was served from (no port)."""
    return request.get_host().rsplit(":", 1)[0].strip("[]")
