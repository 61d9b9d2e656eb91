"""``/api/v1/analytics/outcomes``: the clinic's outcome report (clinic administrators).

The same report as the Outcomes page and ``trdnav report``, as JSON: cells per breakdown
(suppressed cells carry only their name and ``suppressed: true``), Kaplan–Meier steps, and the
weekly mean change. Aggregates only; the read is audited as an export.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from trdnav.accounts.permissions import Capability, require_capability
from trdnav.analytics.services import outcome_report
from trdnav.api.patients import ERRORS
from trdnav.api.types import IsoDate
from trdnav.audit.models import Action
from trdnav.audit.services import actor_from_request, record_event
from trdnav.core.errors import InvalidInput

router = Router(tags=["analytics"])


class OutcomesOut(Schema):
    minimum_cell: int
    since: str
    until: str
    cells: list[dict[str, Any]]
    weekly_change: dict[str, list[dict[str, Any]]]


class PeriodIn(Schema):
    since: IsoDate | None = None
    until: IsoDate | None = None


@router.get("/analytics/outcomes", response={200: OutcomesOut, **ERRORS})
def outcomes(request: HttpRequest, period: Query[PeriodIn]) -> dict[str, Any]:
    """Response, remission, early improvement, medians and curves per therapy, TRD stage,
    clinician and quarter, for courses started in the period."""
    membership = require_capability(request.user, Capability.VIEW_ANALYTICS)
    if period.since and period.until and period.until < period.since:
        raise InvalidInput.single("until", "must not be before since")
    report = outcome_report(clinic=membership.clinic, since=period.since, until=period.until)
    record_event(
        by=actor_from_request(request, via="api"),
        action=Action.EXPORT,
        object_type="outcome_report",
        summary="outcome report (aggregates only)",
    )
    return report.to_dict()
