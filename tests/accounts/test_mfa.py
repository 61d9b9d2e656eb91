"""Multi-factor authentication for staff: required per clinic, enrolment, verification."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from trdnav.accounts.models import Clinic, User
from trdnav.audit.models import Action, AuditEvent

NOW = 1_790_000_000  # a fixed instant: every code below is computed for it


def _code(device: TOTPDevice, at: float = NOW) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at
    return f"{totp.token():06d}"


def _log_in(client: Client, username: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


@pytest.fixture
def strict_clinic(clinic: Clinic) -> Clinic:
    clinic.require_mfa_for_staff = True
    clinic.save(update_fields=["require_mfa_for_staff"])
    return clinic


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _enrol(client: Client, user: User) -> TOTPDevice:
    page = client.get("/accounts/mfa/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/mfa/setup/", {"code": _code(device), "next": "/dashboard/"})
    assert response.status_code == 200, response.content[:400]
    return device


def test_without_the_clinic_setting_staff_log_in_with_a_password_only(
    client: Client, clinician: User
) -> None:
    _log_in(client, "dr-north")
    assert client.get("/dashboard/").status_code == 200


def test_a_required_but_unenrolled_member_is_sent_to_enrolment_first(
    client: Client, strict_clinic: Clinic, clinician: User, frozen: Any
) -> None:
    _log_in(client, "dr-north")
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/setup/?next=%2Fdashboard%2F")
    page = client.get("/accounts/mfa/setup/")
    device = TOTPDevice.objects.get(user=clinician)
    html = page.content.decode()
    assert "<svg" in html and "otpauth" not in html.replace("otpauth://", "")  # QR, not a link
    import base64

    assert base64.b32encode(device.bin_key).decode() in html
    # The API with the session is refused too, as JSON.
    api = client.get("/api/v1/patients")
    assert api.status_code == 403 and api.json()["detail"].startswith("multi-factor")


def test_enrolment_with_a_good_code_verifies_the_session_and_shows_recovery_codes(
    client: Client, strict_clinic: Clinic, clinician: User, frozen: Any
) -> None:
    _log_in(client, "dr-north")
    device = TOTPDevice.objects.create(user=clinician, name="authenticator", confirmed=False)
    wrong = client.post("/accounts/mfa/setup/", {"code": "000000"})
    assert wrong.status_code == 400
    frozen.shift(60)  # django-otp slows down retries after a failure
    device.refresh_from_db()
    ok = client.post("/accounts/mfa/setup/", {"code": _code(device, NOW + 60)})
    assert ok.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", ok.content.decode())
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=clinician).count() == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/dashboard/").status_code == 200
    assert AuditEvent.objects.filter(object_type="mfa_device", actor=clinician).exists()


def test_an_enrolled_member_must_enter_a_code_after_the_password(
    client: Client, strict_clinic: Clinic, clinician: User, frozen: Any
) -> None:
    device = TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    _log_in(client, "dr-north")
    response = client.get("/patients/")
    assert response["Location"].startswith("/accounts/mfa/verify/?next=%2Fpatients%2F")
    assert client.post("/accounts/mfa/verify/", {"code": "123456"}).status_code == 400
    assert client.get("/patients/").status_code == 302
    frozen.shift(60)  # django-otp slows down retries after a failure
    device.refresh_from_db()
    done = client.post(
        "/accounts/mfa/verify/", {"code": _code(device, NOW + 60), "next": "/patients/"}
    )
    assert done.status_code == 302 and done["Location"] == "/patients/"
    assert client.get("/patients/").status_code == 200
    summaries = list(
        AuditEvent.objects.filter(actor=clinician, object_type="user").values_list(
            "action", "summary"
        )
    )
    assert (Action.LOGIN_FAILED, "second factor refused") in summaries
    assert (Action.LOGIN, "second factor: authenticator code") in summaries


def test_a_code_is_not_accepted_twice(
    client: Client, strict_clinic: Clinic, clinician: User, frozen: Any
) -> None:
    device = TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    code = _code(device)
    _log_in(client, "dr-north")
    assert client.post("/accounts/mfa/verify/", {"code": code}).status_code == 302
    other = Client()
    _log_in(other, "dr-north")
    assert other.post("/accounts/mfa/verify/", {"code": code}).status_code == 400


def test_a_recovery_code_works_once(
    client: Client, strict_clinic: Clinic, clinician: User, frozen: Any
) -> None:
    TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    from django_otp.plugins.otp_static.models import StaticDevice

    spare = StaticDevice.objects.create(user=clinician, name="recovery codes")
    spare.token_set.create(token="abcd2345")
    _log_in(client, "dr-north")
    assert client.post("/accounts/mfa/verify/", {"code": "abcd2345"}).status_code == 302
    other = Client()
    _log_in(other, "dr-north")
    assert other.post("/accounts/mfa/verify/", {"code": "abcd2345"}).status_code == 400


def test_patients_of_a_strict_clinic_are_not_asked_for_a_code(
    client: Client, strict_clinic: Clinic, patient_user: User
) -> None:
    client.force_login(patient_user)
    assert client.get("/portal/").status_code == 200


def test_a_bearer_token_call_is_not_asked_for_a_code(
    client: Client, strict_clinic: Clinic, clinician: User
) -> None:
    from trdnav.accounts.tokens import issue_token
    from trdnav.audit.services import Actor

    _, raw = issue_token(user=clinician, name="script", by=Actor(user=clinician))
    response = client.get("/api/v1/patients", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_the_verify_page_never_redirects_off_site(
    client: Client, strict_clinic: Clinic, clinician: User, frozen: Any
) -> None:
    device = TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    _log_in(client, "dr-north")
    done = client.post(
        "/accounts/mfa/verify/", {"code": _code(device), "next": "https://evil.example/"}
    )
    assert done["Location"] == "/"


def test_the_clock_used_by_the_tests_is_frozen(frozen: Any) -> None:
    assert int(time.time()) == NOW


def test_the_enrolment_page_offers_a_security_key_or_passkey(
    client: Client, strict_clinic: Clinic, clinician: User
) -> None:
    _log_in(client, "dr-north")
    html = client.get("/accounts/mfa/setup/").content.decode()
    assert 'id="passkey-register-button"' in html
    assert "django_otp_webauthn/otp_webauthn_register.js" in html
    assert 'id="otp_webauthn_config"' in html


def test_a_new_member_can_begin_registering_a_passkey_for_this_site(
    client: Client, strict_clinic: Clinic, clinician: User
) -> None:
    _log_in(client, "dr-north")
    response = client.post("/accounts/mfa/webauthn/registration/begin/")
    assert response.status_code == 200, response.content[:300]
    options = response.json()
    assert options["rp"] == {"id": "testserver", "name": "TRD Navigator"}
    assert options["user"]["name"] == "dr-north" and options["challenge"]


def test_a_password_alone_cannot_register_a_passkey_past_an_enrolled_app(
    client: Client, strict_clinic: Clinic, clinician: User
) -> None:
    # Otherwise a stolen password would be enough: register a new key, and be "verified".
    TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    _log_in(client, "dr-north")
    response = client.post("/accounts/mfa/webauthn/registration/begin/")
    assert response.status_code in (401, 403)
    assert client.get("/dashboard/").status_code == 302


def test_password_less_log_in_with_a_passkey_is_off(client: Client, clinician: User) -> None:
    response = client.post("/accounts/mfa/webauthn/authentication/begin/")
    assert response.status_code in (401, 403)
