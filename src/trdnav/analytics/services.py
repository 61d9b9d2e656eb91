"""Use cases of the analytics app: the report for a clinic, on the analytics database."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from trdnav.accounts.models import Clinic
from trdnav.analytics.report import Report, build_report, parameters, tallies_from_django
from trdnav.analytics.routing import analytics_db_alias

EARLIEST = date(1900, 1, 1)


def minimum_cell() -> int:
    return int(settings.TRDNAV_ANALYTICS_MIN_CELL)


def outcome_report(
    *,
    clinic: Clinic,
    since: date | None = None,
    until: date | None = None,
    now: datetime | None = None,
    minimum: int | None = None,
) -> Report:
    """The clinic's outcome report for courses started between ``since`` and ``until``."""
    start = since or EARLIEST
    end = until or date.max
    params = parameters(clinic.pk, start, end, now or timezone.now())
    tallies = tallies_from_django(analytics_db_alias(), params)
    return build_report(tallies, minimum=minimum or minimum_cell(), since=start, until=end)
