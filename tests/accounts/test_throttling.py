"""Log-in throttling per address and per username (django-axes), atomic under bursts."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.contrib.auth.signals import user_login_failed
from django.db import OperationalError, close_old_connections, connection
from django.test import Client, override_settings

from tests.factories import PASSWORD, make_member
from trdnav.accounts.models import Clinic, Role, User
from trdnav.audit.models import Action, AuditEvent

LOGIN = "/accounts/login/"


def _attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _locked(response: Any) -> bool:
    return b"Too many failed attempts" in response.content


@override_settings(TRDNAV_LOGIN_MAX_FAILURES_PER_ADDRESS=6)
def test_one_address_spraying_many_usernames_is_locked(client: Client, clinician: User) -> None:
    for n in range(6):
        assert not _locked(_attempt(client, f"user-{n}", "wrong password", ip="10.9.9.9"))
    # The address is locked, even for a real account with the right password …
    assert _locked(_attempt(client, "dr-north", PASSWORD, ip="10.9.9.9"))
    # … but the account itself is not: the clinician logs in from their own workstation.
    assert _attempt(client, "dr-north", PASSWORD, ip="10.0.0.2").status_code == 302
    locked = AuditEvent.objects.get(action=Action.LOGIN_LOCKED)
    assert locked.summary == "locked by address"


@override_settings(TRDNAV_LOGIN_MAX_FAILURES=4)
def test_one_username_tried_from_many_addresses_is_locked(client: Client, clinician: User) -> None:
    for n in range(4):
        _attempt(client, "DR-North ", "wrong password", ip=f"10.1.0.{n}")
    assert _locked(_attempt(client, "dr-north", PASSWORD, ip="10.1.0.99"))
    assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED).count() == 1
    assert AuditEvent.objects.get(action=Action.LOGIN_LOCKED).summary == "locked by username"


@override_settings(TRDNAV_LOGIN_MAX_FAILURES=3)
def test_a_locked_attempt_adds_nothing_to_the_audit_trail(client: Client, clinician: User) -> None:
    for _ in range(3):
        _attempt(client, "dr-north", "wrong password")
    before = AuditEvent.objects.count()
    for _ in range(10):
        assert _locked(_attempt(client, "dr-north", "wrong password"))
    assert AuditEvent.objects.count() == before


def test_an_unknown_username_and_a_wrong_password_get_the_same_answer(
    client: Client, clinician: User
) -> None:
    wrong = _attempt(client, "dr-north", "wrong password")
    unknown = _attempt(client, "no-such-person", "wrong password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors
    # The typed text of an unknown username (maybe a password) stays out of the trail.
    summaries = set(
        AuditEvent.objects.filter(action=Action.LOGIN_FAILED).values_list("summary", flat=True)
    )
    assert summaries == {"account 'dr-north'", "unknown username"}


def test_an_unknown_username_costs_a_password_hash_like_a_known_one(
    client: Client, clinician: User
) -> None:
    """Django's ModelBackend hashes the password once for an unknown user too, so timing
    does not tell them apart; pinned here so a custom backend cannot lose it."""
    from unittest import mock

    from django.contrib.auth import base_user, hashers

    with mock.patch.object(base_user, "make_password", wraps=hashers.make_password) as made:
        _attempt(client, "no-such-person", "wrong password")
    calls = made.call_args_list
    assert calls, "an unknown username returned without hashing"


@pytest.mark.django_db(transaction=True)
@override_settings(TRDNAV_LOGIN_MAX_FAILURES=5)
def test_a_burst_of_simultaneous_attempts_checks_no_more_passwords_than_the_limit() -> None:
    clinic = Clinic.objects.create(name="Burst", slug="burst")
    make_member(clinic, Role.CLINICIAN, "burst-user")
    checked: list[str] = []
    lock = threading.Lock()
    local = threading.local()

    def count(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
        local.checks.append(credentials.get("username", ""))

    user_login_failed.connect(count, weak=False)
    threads, errors, successes = 24, [], []
    codes: list[tuple[int, bool]] = []
    start = threading.Barrier(threads)

    def work(n: int) -> None:
        client = Client()
        password = "wrong password"
        try:
            start.wait()
            for attempt in range(300):
                local.checks = []
                try:
                    response = _attempt(client, "burst-user", password, ip="10.7.7.7")
                    with lock:  # only attempts that answered count: a retried one rolled back
                        checked.extend(local.checks)
                    break
                except OperationalError:
                    # SQLite's shared in-memory test database reports a busy table at once;
                    # the whole attempt rolled back, so it is simply tried again.
                    time.sleep(0.005 * (attempt % 10 + 1))
            else:
                raise AssertionError("never got through")
            with lock:
                codes.append((response.status_code, _locked(response)))
            if response.status_code == 302:
                successes.append(n)
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    try:
        pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    finally:
        user_login_failed.disconnect(count)
    assert errors == []
    assert len(codes) == threads, codes
    from axes.models import AccessAttempt
    from django.db.models import Sum

    stored = (
        AccessAttempt.objects.filter(username="burst-user").aggregate(
            n=Sum("failures_since_start")
        )["n"]
        or 0
    )
    # Without the gate the probe saw 18 of 40 wrong passwords checked; now exactly the limit,
    # counting both the checks a client was told about and the failures stored …
    assert successes == []
    assert len(checked) <= 5 and stored == 5, codes
    # … and the right password that follows the burst is refused: the username is locked.
    assert _locked(_attempt(Client(), "burst-user", PASSWORD, ip="10.7.7.8"))
