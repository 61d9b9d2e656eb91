"""Log-in throttling with django-axes, made atomic under bursts.

Two separate limits (docs/access-control.md, "Log-in throttling"):

- **per username**, across every address: ``TRDNAV_LOGIN_MAX_FAILURES`` failures (default 5);
- **per address**, across every username: ``TRDNAV_LOGIN_MAX_FAILURES_PER_ADDRESS`` (default 20,
  higher because a clinic's workstations often share one address).

Either lock refuses the attempt *before* the password is checked, and lasts
``TRDNAV_LOGIN_LOCK_MINUTES`` after the last failure (axes' cool-off). A success clears the
username's failures. Failures are stored by axes' database handler (``AccessAttempt``), shared by
every worker process; ``trdnav prune-logins`` bounds how long they are kept.

Axes checks the count and records a failure in separate steps, so 40 simultaneous attempts could
all pass the check before any failure is stored (the probe measured 18 password checks instead of
5). ``attempt_gate`` closes that race: every attempt first locks a row for its username and one
for its address (a row lock on PostgreSQL, the write lock on SQLite) and keeps them until the
request's transaction ends, so check, password and record happen one attempt at a time per
username and per address. The rows are 1,024 hashed buckets, so the table never grows.

The address is ``trdnav.audit.services.client_ip``: REMOTE_ADDR, or the forwarded client address
when the request came through a configured trusted proxy.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

BUCKETS = 1024
SCOPES = ("username", "ip_address")


def normal_username(username: str | None) -> str:
    """How log-in names compare: NFKC, trimmed, lower-case (matches invitations)."""
    return unicodedata.normalize("NFKC", username or "").strip().lower()[:150]


# --- axes settings callables (named in settings.py) -----------------------------------------


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    return normal_username(raw)


def axes_client_ip(request: HttpRequest) -> str | None:
    from trdnav.audit.services import client_ip

    return client_ip(request)


def axes_lockout_parameters(request: Any, credentials: dict[str, Any] | None) -> list[str]:
    """One scope at a time: ``check`` asks axes once per scope, each with its own limit."""
    return [getattr(request, "trdnav_throttle_scope", "username")]


def axes_failure_limit(request: Any, credentials: dict[str, Any] | None) -> int:
    if getattr(request, "trdnav_throttle_scope", "username") == "ip_address":
        return int(settings.TRDNAV_LOGIN_MAX_FAILURES_PER_ADDRESS)
    return int(settings.TRDNAV_LOGIN_MAX_FAILURES)


def axes_cool_off(request: Any = None) -> timedelta:
    return timedelta(minutes=settings.TRDNAV_LOGIN_LOCK_MINUTES)


# --- the gate and the check -----------------------------------------------------------------


def _bucket(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % BUCKETS


@contextmanager
def attempt_gate(username: str, ip: str | None) -> Iterator[None]:
    """Serialise attempts for this username and for this address (see module docstring).
    The locks last until the surrounding transaction ends."""
    from trdnav.accounts.models import LoginGate

    buckets = sorted({_bucket("u:" + normal_username(username)), _bucket("a:" + (ip or "-"))})
    with transaction.atomic():
        for bucket in buckets:  # always in the same order: no deadlock between two attempts
            while not LoginGate.objects.filter(pk=bucket).update(uses=F("uses") + 1):
                try:
                    with transaction.atomic():
                        LoginGate.objects.create(pk=bucket)
                except IntegrityError:
                    pass
        yield


def locked_scope(request: HttpRequest, username: str) -> str | None:
    """The first scope ("username" or "ip_address") that is locked, or None."""
    from axes.handlers.proxy import AxesProxyHandler

    credentials = {"username": username}
    try:
        for scope in SCOPES:
            request.trdnav_throttle_scope = scope  # type: ignore[attr-defined]
            if not AxesProxyHandler.is_allowed(request, credentials):
                return scope
    finally:
        request.trdnav_throttle_scope = "username"  # type: ignore[attr-defined]
    return None


def clear_username(request: HttpRequest, username: str) -> None:
    """After a success: forget the username's failures (the address's stay counted)."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.reset_attempts(username=normal_username(username))


def is_at_limit(request: HttpRequest, username: str) -> bool:
    """True when the failure just recorded started a lock (for the audit event)."""
    return locked_scope(request, username) is not None
