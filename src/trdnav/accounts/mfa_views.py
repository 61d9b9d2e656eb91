"""The second factor's pages: enrolment (QR code, secret, recovery codes) and verification."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from trdnav.accounts.mfa import RECOVERY_CODES, confirmed_devices
from trdnav.audit.models import Action
from trdnav.audit.services import actor_from_request, record_event

WRONG_SETUP_CODE = "That code is not right. Check the clock of your device and try again."


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=16,
        strip=True,
        label="Code",
        help_text="The 6-digit code your authenticator app shows now, or a recovery code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _pending_device(user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def _issue_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the code (or type the secret), confirm with one code."""
    user: Any = request.user
    if any(isinstance(d, TOTPDevice) for d in confirmed_devices(user)):
        return redirect("accounts:mfa_verify")
    device = _pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = _issue_recovery_codes(user)
            record_event(
                by=actor_from_request(request), action=Action.CREATE, object_type="mfa_device",
                object_id=device.pk, summary="authenticator app enrolled; recovery codes issued",
            )  # fmt: skip
            done = {"codes": codes, "next": _next(request)}
            return render(request, "accounts/mfa_recovery.html", done)
        form.add_error("code", WRONG_SETUP_CODE)
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    context: dict[str, Any] = {"form": form, "qr": qr, "secret": secret, "next": _next(request)}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/mfa_setup.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The step after the password: a code from the app, or one recovery code (used up)."""
    user: Any = request.user
    devices = confirmed_devices(user)
    if not devices:
        return redirect("accounts:mfa_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        device = next((d for d in devices if d.verify_token(code)), None)
        actor = actor_from_request(request)
        if device is not None:
            otp_login(request, device)
            kind = "recovery code" if isinstance(device, StaticDevice) else "authenticator code"
            record_event(by=actor, action=Action.LOGIN, object_type="user",
                         object_id=user.pk, summary=f"second factor: {kind}")  # fmt: skip
            return redirect(_next(request))
        record_event(by=actor, action=Action.LOGIN_FAILED, object_type="user",
                     object_id=user.pk, summary="second factor refused")  # fmt: skip
        form.add_error("code", "That code is not right, or too many tries: wait and try again.")
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "next": _next(request)}
    return render(request, "accounts/mfa_verify.html", context, status=status)
