"""Home page and health endpoint."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from trdnav.web.health import health_report


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


# Outside a request transaction: opening one would fail first when the database is down.
@transaction.non_atomic_requests
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report, healthy = health_report()
    return JsonResponse(report, status=200 if healthy else 503)
