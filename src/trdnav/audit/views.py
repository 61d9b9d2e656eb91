"""The audit log page: clinic administrators see their clinic's events, with filters."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trdnav.accounts.permissions import Capability, capability_required, require_capability
from trdnav.audit.forms import AuditFilterForm
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import actor_from_request, record_event
from trdnav.patients.models import Patient

PAGE_SIZE = 50


def _filtered(events: Any, filters: dict[str, Any]) -> Any:
    if filters.get("user"):
        events = events.filter(actor_username__iexact=filters["user"])
    if filters.get("patient"):
        ids = Patient.objects.filter(
            clinic_id=filters["clinic_id"], record_number=filters["patient"]
        ).values_list("pk", flat=True)
        events = events.filter(patient_id__in=list(ids))
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("start"):
        events = events.filter(at__date__gte=filters["start"])
    if filters.get("end"):
        events = events.filter(at__date__lte=filters["end"])
    return events


@capability_required(Capability.VIEW_AUDIT)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    membership = require_capability(request.user, Capability.VIEW_AUDIT)
    form = AuditFilterForm(request.GET or None)
    events: Any = AuditEvent.objects.filter(clinic_id=membership.clinic_id)
    status = 200
    if form.is_bound and not form.is_valid():
        events, status = events.none(), 400
    elif form.is_bound:
        events = _filtered(events, {**form.cleaned_data, "clinic_id": membership.clinic_id})
    # Recorded first, so the page a reviewer sees includes their own look at it.
    record_event(by=actor_from_request(request), action=Action.VIEW, object_type="audit_log")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page}, status=status)
