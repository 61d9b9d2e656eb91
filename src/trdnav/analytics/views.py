"""The clinic's outcome report page (clinic administrators; docs/analytics.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trdnav.accounts.permissions import Capability, capability_required, require_capability
from trdnav.analytics import present
from trdnav.analytics.forms import ReportFilterForm
from trdnav.analytics.services import outcome_report
from trdnav.audit.models import Action
from trdnav.audit.services import actor_from_request, record_event


@capability_required(Capability.VIEW_ANALYTICS)
@require_GET
def outcomes(request: HttpRequest) -> HttpResponse:
    membership = require_capability(request.user, Capability.VIEW_ANALYTICS)
    form = ReportFilterForm(request.GET or None)
    since = until = None
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data.get("since"), form.cleaned_data.get("until")
    report = outcome_report(clinic=membership.clinic, since=since, until=until)
    record_event(
        by=actor_from_request(request),
        action=Action.VIEW,
        object_type="outcome_report",
        summary="outcome report (aggregates only)",
    )
    labels = present.labels_for(report)
    context = {
        "form": form,
        "report": report,
        "overall": present.table_rows(report, "all", labels)[0],
        "breakdowns": [
            (title, present.table_rows(report, dimension, labels))
            for dimension, title in present.DIMENSION_TITLES.items()
        ],
        "chart": present.chart_data(report, labels),
        "curve_rows": present.curve_rows(report),
        "weekly_rows": present.weekly_rows(report, labels),
    }
    return render(request, "analytics/outcomes.html", context)
