"""Home page and health endpoint."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from trdnav.accounts.permissions import Capability, has_capability
from trdnav.core.instruments import list_instruments
from trdnav.web.health import health_report


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Staff go to their dashboard, a patient to their portal, everyone else sees the intro
    and the instrument catalogue."""
    if has_capability(request.user, Capability.VIEW_PATIENTS):
        return redirect("dashboard:home")
    record = getattr(request.user, "patient_record", None)
    if record is not None and record.active:
        return redirect("portal:home")
    return render(request, "web/home.html", {"instruments": list_instruments()})


# Outside a request transaction: opening one would fail first when the database is down.
@transaction.non_atomic_requests
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)
