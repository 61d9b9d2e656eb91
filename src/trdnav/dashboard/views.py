from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trdnav.accounts.permissions import Capability, capability_required
from trdnav.audit.models import Action
from trdnav.audit.services import actor_from_request, record_event
from trdnav.dashboard.services import dashboard_rows


@capability_required(Capability.VIEW_PATIENTS)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    rows = dashboard_rows(user=request.user)
    record_event(
        by=actor_from_request(request),
        action=Action.VIEW,
        object_type="dashboard",
        shown=[row.patient.pk for row in rows],
    )
    context = {"rows": rows, "due_days": settings.TRDNAV_MEASURES_DUE_DAYS}
    return render(request, "dashboard/home.html", context)
