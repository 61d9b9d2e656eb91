from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from tests.factories import PASSWORD
from trdnav.accounts import throttle
from trdnav.accounts.models import FailedLogin, User
from trdnav.audit.models import Action, AuditEvent

LOGIN = "/accounts/login/"


def _attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> object:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_member_logs_in_and_lands_on_the_dashboard(client: Client, clinician: User) -> None:
    response = _attempt(client, "dr-north", PASSWORD)
    assert response.status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/dashboard/"
    login = AuditEvent.objects.get(action=Action.LOGIN)
    assert (login.actor_id, login.ip_address) == (clinician.pk, "10.0.0.1")


def test_a_wrong_password_is_refused_counted_and_audited(client: Client, clinician: User) -> None:
    response = _attempt(client, "dr-north", "wrong password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert FailedLogin.objects.filter(username="dr-north", ip_address="10.0.0.1").count() == 1
    failed = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert failed.actor_id is None and "dr-north" in failed.summary


@override_settings(TRDNAV_LOGIN_MAX_FAILURES=3, TRDNAV_LOGIN_LOCK_MINUTES=15)
def test_the_right_password_is_refused_once_the_pair_is_locked(
    client: Client, clinician: User
) -> None:
    for _ in range(3):
        _attempt(client, "dr-north", "wrong password")
    response = _attempt(client, "dr-north", PASSWORD)
    assert response.status_code == 200
    assert b"Too many failed attempts" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED).count() == 1


@override_settings(TRDNAV_LOGIN_MAX_FAILURES=3)
def test_the_lock_holds_only_for_that_username_and_address(client: Client, clinician: User) -> None:
    for _ in range(3):
        _attempt(client, "dr-north", "wrong password", ip="10.0.0.9")
    assert _attempt(client, "dr-north", PASSWORD, ip="10.0.0.1").status_code == 302


@override_settings(TRDNAV_LOGIN_MAX_FAILURES=2, TRDNAV_LOGIN_LOCK_MINUTES=10)
def test_the_lock_lifts_when_the_failures_age_out_of_the_window(db: None) -> None:
    start = timezone.now()
    throttle.note_failure("Someone", "10.0.0.1", now=start)
    throttle.note_failure("someone", "10.0.0.1", now=start + timedelta(minutes=1))
    assert throttle.locked_until("someone", "10.0.0.1", now=start + timedelta(minutes=2)) == (
        start + timedelta(minutes=10)
    )
    assert throttle.locked_until("someone", "10.0.0.1", now=start + timedelta(minutes=10)) is None


def test_a_successful_login_clears_earlier_failures(client: Client, clinician: User) -> None:
    _attempt(client, "dr-north", "wrong password")
    _attempt(client, "dr-north", PASSWORD)
    assert not FailedLogin.objects.filter(username="dr-north").exists()


def test_logout_needs_a_post_and_is_audited(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=clinician).exists()


def test_the_login_form_needs_a_csrf_token(clinician: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "dr-north", "password": PASSWORD})
    assert response.status_code == 403


@pytest.mark.django_db
def test_sessions_expire_after_the_configured_inactivity() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_production_hashes_passwords_with_argon2() -> None:
    from trdnav.site import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_the_admin_login_is_throttled_too(client: Client, clinician: User) -> None:
    with override_settings(TRDNAV_LOGIN_MAX_FAILURES=1):
        client.post("/admin/login/", {"username": "dr-north", "password": "nope"})
        response = client.post("/admin/login/", {"username": "dr-north", "password": PASSWORD})
    assert b"Too many failed attempts" in response.content
