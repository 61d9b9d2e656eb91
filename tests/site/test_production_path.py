"""The production path without a real server: forwarded headers trusted only from the proxy,
production's refusals, SMTP settings, SQLite's locking options, the demo's guard and
``trdnav createadmin``. tests/site/test_deployment.py runs the same path through the real
server."""

from __future__ import annotations

import runpy
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.db.utils import ConnectionHandler
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from typer.testing import CliRunner

import trdnav.site.settings as settings_module
from tests.factories import PASSWORD
from trdnav.accounts.models import Membership, Role, User
from trdnav.audit.models import AuditEvent
from trdnav.cli import app
from trdnav.patients.models import Patient
from trdnav.site.config import parse_database_url
from trdnav.site.proxy import client_address, parse_proxies
from trdnav.site.transactions import ShortReadTransactionsMiddleware

SETTINGS_FILE = str(Path(settings_module.__file__))
PROXY = "10.0.0.1"
BEHIND_PROXY = override_settings(
    TRDNAV_TRUSTED_PROXIES=[PROXY],
    SECURE_HSTS_SECONDS=31536000,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
FROM_PROXY: dict[str, Any] = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_PROTO": "https"}


# ------------------------------------------------------------ forwarded headers


@BEHIND_PROXY
@pytest.mark.django_db
def test_https_from_the_trusted_proxy_gets_hsts_and_the_same_header_from_elsewhere_does_not(
    client: Client,
) -> None:
    trusted = client.get("/accounts/login/", **FROM_PROXY)
    assert trusted["Strict-Transport-Security"] == "max-age=31536000"
    spoofed = client.get(
        "/accounts/login/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https"
    )
    assert "Strict-Transport-Security" not in spoofed


@BEHIND_PROXY
@override_settings(SECURE_SSL_REDIRECT=True)
@pytest.mark.django_db
def test_the_https_redirect_does_not_loop_behind_the_proxy_and_still_redirects_plain_http(
    client: Client,
) -> None:
    assert client.get("/accounts/login/", **FROM_PROXY).status_code == 200
    plain = client.get("/accounts/login/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    spoofed = client.get(
        "/accounts/login/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https"
    )
    assert spoofed.status_code == 301


@BEHIND_PROXY
@pytest.mark.django_db
def test_log_in_through_the_proxy_sets_secure_cookies_and_audits_the_browsers_address(
    client: Client, clinician: User
) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": "dr-north", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7",
        **FROM_PROXY,
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"]
    event = AuditEvent.objects.filter(action="login").latest("id")
    # The rightmost address the proxy saw; the leftmost is whatever the browser claimed.
    assert event.ip_address == "203.0.113.7"


@BEHIND_PROXY
@pytest.mark.django_db
def test_x_forwarded_for_from_an_untrusted_address_is_ignored(
    client: Client, clinician: User
) -> None:
    client.post(
        "/accounts/login/",
        {"username": "dr-north", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.9",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert AuditEvent.objects.filter(action="login").latest("id").ip_address == "198.51.100.9"


@BEHIND_PROXY
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sender", "scheme"), [(PROXY, "https"), ("198.51.100.9", "http")], ids=["proxy", "other"]
)
def test_invitation_links_are_https_only_when_the_trusted_proxy_says_so(
    client: Client, clinician: User, patient: Patient, sender: str, scheme: str
) -> None:
    client.force_login(clinician)
    response = client.post(
        f"/portal/care/patients/{patient.pk}/invite/",
        {"email": "p@example.org"},
        REMOTE_ADDR=sender,
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_HOST="testserver",  # as a browser (and the proxy) sends it
    )
    assert response.status_code == 302
    link = next(w for w in mail.outbox[-1].body.split() if "/portal/invitation/" in w)
    assert link.startswith(f"{scheme}://testserver/portal/invitation/"), link


def test_the_browser_is_the_rightmost_address_that_is_not_a_proxy() -> None:
    proxies = parse_proxies(["10.0.0.0/24", "::1"])
    assert client_address("1.1.1.1, 203.0.113.7, 10.0.0.3", proxies) == "203.0.113.7"
    assert client_address("10.0.0.4", proxies) is None
    assert client_address("not-an-address, 10.0.0.3", proxies) is None


# ------------------------------------------------------------ production refusals


def _production(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    monkeypatch.setenv("TRDNAV_ENV", "production")
    monkeypatch.setenv("TRDNAV_SECRET_KEY", "k0-j1_h2.g3~f4" * 4)
    for name in ("TRDNAV_DEBUG", "TRDNAV_HTTPS", "TRDNAV_HSTS_SECONDS", "TRDNAV_SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRDNAV_DEBUG": "true"}, "TRDNAV_DEBUG"),
        ({"TRDNAV_HTTPS": "false"}, "TRDNAV_HTTPS"),
        ({"TRDNAV_HSTS_SECONDS": "0"}, "TRDNAV_HSTS_SECONDS"),
        ({"TRDNAV_SITE_URL": "http://trd.example.org"}, "TRDNAV_SITE_URL"),
        ({"TRDNAV_TRUSTED_PROXIES": "proxy.local"}, "TRDNAV_TRUSTED_PROXIES"),
        ({"TRDNAV_EMAIL_TLS": "true", "TRDNAV_EMAIL_SSL": "true"}, "exclude each other"),
        ({"TRDNAV_EMAIL_PORT": "70000"}, "TRDNAV_EMAIL_PORT"),
        ({"TRDNAV_EMAIL_PASSWORD": "x"}, "TRDNAV_EMAIL_USER"),
        (
            {
                "TRDNAV_EMAIL_HOST": "smtp.example.org",
                "TRDNAV_EMAIL_USER": "u",
                "TRDNAV_EMAIL_PASSWORD": "x",
            },
            "unencrypted",
        ),
    ],
)
def test_production_refuses_unsafe_or_impossible_values(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match=message):
        _production(monkeypatch, **env)


def test_production_reads_the_smtp_relay_with_its_password_from_a_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "smtp"
    secret.write_text("s3cret\n")
    production = _production(
        monkeypatch,
        TRDNAV_EMAIL_HOST="smtp.example.org",
        TRDNAV_EMAIL_TLS="true",
        TRDNAV_EMAIL_USER="trdnav@example.org",
        TRDNAV_EMAIL_PASSWORD_FILE=str(secret),
        TRDNAV_SITE_URL="https://trd.example.org",
        TRDNAV_TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8",
    )
    assert production["EMAIL_HOST"] == "smtp.example.org"
    assert production["EMAIL_PORT"] == 587
    assert production["EMAIL_USE_TLS"] is True and production["EMAIL_USE_SSL"] is False
    assert production["EMAIL_HOST_PASSWORD"] == "s3cret"
    assert production["TRDNAV_TRUSTED_PROXIES"] == ["127.0.0.1", "10.0.0.0/8"]
    # Django's own header check would trust any sender; the proxy middleware decides instead.
    assert production["SECURE_PROXY_SSL_HEADER"] is None
    assert production["MIDDLEWARE"][0] == "trdnav.site.proxy.TrustedProxyMiddleware"
    assert production["MIDDLEWARE"][-1].endswith("ShortReadTransactionsMiddleware")


# ------------------------------------------------------------ SQLite


def test_sqlite_runs_in_wal_and_a_transaction_takes_the_write_lock_when_it_begins(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    django_db_blocker.unblock()
    path = tmp_path / "probe.sqlite3"
    handler = ConnectionHandler({"default": parse_database_url(f"sqlite:///{path}").as_django()})
    probe = handler["default"]  # a connection of its own, not the test database's
    try:
        with probe.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 60000
        # What transaction.atomic() does to begin a transaction on this connection.
        probe.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        probe.cursor().execute("SELECT 1")  # a read only, yet the write lock is held
        other = sqlite3.connect(path, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        probe.rollback()
        probe.set_autocommit(True)
    finally:
        handler.close_all()
        django_db_blocker.restore()


def _spy(request: HttpRequest) -> HttpResponse:
    return HttpResponse("in a transaction" if connection.in_atomic_block else "autocommit")


@pytest.mark.parametrize("method", ["get", "post"])
def test_on_sqlite_reading_pages_run_without_the_request_transaction_and_writes_keep_it(
    method: str,
) -> None:
    request = getattr(RequestFactory(), method)("/")
    response = ShortReadTransactionsMiddleware(_spy).process_view(request, _spy, (), {})
    if method == "get" and connection.vendor == "sqlite":
        assert response is not None and response.content == b"autocommit"
    else:
        assert response is None  # Django wraps the view in ATOMIC_REQUESTS as before


# ------------------------------------------------------------ commands


@pytest.mark.parametrize("posture", ["production", "test"])
def test_the_demo_refuses_to_run_outside_demo_and_development(posture: str) -> None:
    result = CliRunner().invoke(app, ["demo", "--no-serve"], env={"TRDNAV_ENV": posture})
    assert result.exit_code == 2
    assert "refuses" in result.output and "published passwords" in result.output


@pytest.mark.django_db
def test_createadmin_creates_the_clinic_and_its_administrator_and_audits_it(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a sound passphrase 42\n")
    args = ["createadmin", "--username", "ada", "--email", "ada@example.org"]
    result = CliRunner().invoke(
        app, [*args, "--clinic", "North Clinic", "--password-file", str(secret)]
    )
    assert result.exit_code == 0, result.output
    user = User.objects.get(username="ada")
    assert user.check_password("a sound passphrase 42")
    assert not user.is_superuser
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.CLINIC_ADMIN and membership.clinic.slug == "north-clinic"
    assert AuditEvent.objects.filter(action="create", object_type="user", object_id=str(user.pk))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "password", "message"),
    [("ada", "short", "password"), ("dr-north", "a sound passphrase 42", "already exists")],
)
def test_createadmin_refuses_a_weak_password_or_a_taken_username_and_creates_nothing(
    tmp_path: Path, clinician: User, username: str, password: str, message: str
) -> None:
    secret = tmp_path / "pw"
    secret.write_text(password)
    users = User.objects.count()
    result = CliRunner().invoke(
        app,
        [
            "createadmin",
            "--username",
            username,
            "--email",
            "ada@example.org",
            "--clinic",
            "North Clinic",
            "--password-file",
            str(secret),
        ],
    )
    assert result.exit_code == 2
    assert message in result.output
    assert User.objects.count() == users
