"""The application's security posture as a PHI application: production cookies and headers,
no health data in cookies, CSRF on session-authenticated API writes, no open redirect after
log-in, and a content security policy that forbids inline and foreign scripts."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from django.test import Client

import trdnav.site.settings as settings_module
from tests.factories import PASSWORD
from trdnav.accounts.models import User
from trdnav.patients.models import Patient

SETTINGS_FILE = Path(settings_module.__file__)
PHQ9_POSITIVE = {"administered_on": "2025-02-01", **{f"item_{n}": "1" for n in range(1, 10)}}


def test_production_cookies_are_secure_and_headers_strict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRDNAV_ENV", "production")
    monkeypatch.setenv("TRDNAV_SECRET_KEY", "k0-j1_h2.g3~f4" * 4)
    for name in ("TRDNAV_HTTPS", "TRDNAV_HSTS_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    production = runpy.run_path(str(SETTINGS_FILE))
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"] and production["CSRF_COOKIE_HTTPONLY"]
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["ALLOWED_HOSTS"] == []


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_content_security_policy_allows_only_the_sites_own_scripts(client: Client) -> None:
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"


def test_no_template_has_an_inline_event_handler() -> None:
    """Inline handlers (``onclick=…``) would need 'unsafe-inline' in the script policy."""
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    templates = SETTINGS_FILE.parents[1].glob("*/templates/**/*.html")
    assert [t.name for t in templates if handler.search(t.read_text(encoding="utf-8"))] == []


@pytest.mark.django_db
def test_health_data_in_a_flash_message_never_travels_in_a_cookie(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.post(f"/patients/{patient.pk}/assessments/new/phq9/", PHQ9_POSITIVE)
    assert response.status_code == 302
    assert "messages" not in response.cookies  # the score and safety flag stay server-side
    page = client.get(response["Location"]).content.decode()
    assert "safety item positive" in page


@pytest.mark.django_db
def test_the_api_refuses_a_session_write_without_the_csrf_token(
    clinician: User, patient: Patient
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(clinician)
    response = client.patch(
        f"/api/v1/patients/{patient.pk}", {"email": "x@example.org"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.email != "x@example.org"


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_the_login_never_redirects_off_site(client: Client, clinician: User, target: str) -> None:
    response = client.post(
        f"/accounts/login/?next={target}", {"username": "dr-north", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith(("//", "/\\"))


@pytest.mark.django_db
def test_the_api_documentation_page_loads_swagger_from_the_site_itself(
    client: Client, clinician: User
) -> None:
    client.force_login(clinician)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "https://" not in page  # nothing loaded from another origin
    assert docs["Content-Security-Policy"] == client.get("/dashboard/")["Content-Security-Policy"]
    assert "script-src 'self';" in docs["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["clinic", "clinic_id", "user", "user_id", "id"])
def test_a_patch_cannot_move_a_patient_to_another_clinic_or_login(
    client: Client, clinician: User, patient: Patient, field: str
) -> None:
    client.force_login(clinician)
    before = (patient.clinic_id, patient.user_id, patient.pk)
    response = client.patch(
        f"/api/v1/patients/{patient.pk}", {field: 999}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    patient.refresh_from_db()
    assert (patient.clinic_id, patient.user_id, patient.pk) == before
