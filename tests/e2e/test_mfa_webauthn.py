"""A security key as the second factor, end to end in Chromium with a virtual authenticator."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, make_clinic, make_member

pytestmark = pytest.mark.browser


@pytest.fixture
def strict_member(transactional_db: None, live_server: Any, settings: Any) -> str:
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    clinic = make_clinic("keys")
    clinic.require_mfa_for_staff = True
    clinic.save(update_fields=["require_mfa_for_staff"])
    make_member(clinic, "clinician", "dr-keys")  # type: ignore[arg-type]
    return "dr-keys"


def _virtual_authenticator(page: Any) -> Any:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def test_a_member_registers_a_security_key_and_confirms_the_next_log_in_with_it(
    page: Any, screenshot: Any, strict_member: str
) -> None:
    from django_otp_webauthn.models import WebAuthnCredential

    _virtual_authenticator(page)
    log_in(page, strict_member, PASSWORD)
    assert "/accounts/mfa/setup/" in page.url
    page.get_by_role("button", name="Register a security key or passkey").click()
    status = page.locator("#passkey-register-status-message")
    for _ in range(150):  # the page's script finishes the ceremony; wait up to 15 s
        if WebAuthnCredential.objects.filter(user__username=strict_member).exists():
            break
        page.wait_for_timeout(100)
    screenshot("registered")
    assert WebAuthnCredential.objects.filter(user__username=strict_member).count() == 1, (
        status.inner_text()
    )
    assert page.goto("/dashboard/").status == 200

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    log_in(page, strict_member, PASSWORD)
    assert "/accounts/mfa/verify/" in page.url
    page.get_by_role("button", name="Use a security key or passkey").click()
    page.wait_for_url("**/dashboard/", timeout=15_000)
    assert page.goto("/dashboard/").status == 200
    from trdnav.audit.models import AuditEvent

    summaries = set(
        AuditEvent.objects.filter(actor_username=strict_member).values_list("summary", flat=True)
    )
    assert {"security key or passkey registered", "second factor: security key or passkey"} <= (
        summaries
    )
