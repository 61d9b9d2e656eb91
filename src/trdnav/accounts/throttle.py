"""Login throttling: after ``TRDNAV_LOGIN_MAX_FAILURES`` failed attempts for one username from
one IP address within ``TRDNAV_LOGIN_LOCK_MINUTES``, that pair is refused until the oldest
failure in the window ages out. A success clears the pair's failures.

Keyed on username *and* address so that an attacker elsewhere cannot lock a clinician out of
their own workstation; documented in docs/access-control.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from trdnav.accounts.models import FailedLogin


def _window() -> timedelta:
    return timedelta(minutes=settings.TRDNAV_LOGIN_LOCK_MINUTES)


def _normal(username: str) -> str:
    return username.strip().lower()[:150]


def _recent(username: str, ip: str | None, now: datetime) -> list[datetime]:
    rows = FailedLogin.objects.filter(
        username=_normal(username), ip_address=ip, at__gt=now - _window()
    )
    return list(rows.order_by("at").values_list("at", flat=True))


def locked_until(username: str, ip: str | None, *, now: datetime | None = None) -> datetime | None:
    """When the lock on this username and address lifts, or None when it is not locked."""
    now = now or timezone.now()
    failures = _recent(username, ip, now)
    if len(failures) < settings.TRDNAV_LOGIN_MAX_FAILURES:
        return None
    # The lock lifts when enough failures have aged out to fall below the limit.
    return failures[-settings.TRDNAV_LOGIN_MAX_FAILURES] + _window()


def note_failure(username: str, ip: str | None, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    FailedLogin.objects.filter(at__lte=now - _window()).delete()
    FailedLogin.objects.create(username=_normal(username), ip_address=ip, at=now)


def clear_failures(username: str, ip: str | None) -> None:
    FailedLogin.objects.filter(username=_normal(username), ip_address=ip).delete()
