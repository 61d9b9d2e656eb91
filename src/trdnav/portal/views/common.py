"""Shared by the portal's views: rendering with the crisis guidance. (Form errors:
``trdnav.patients.pages.errors_onto``.)"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from trdnav.patients.models import Patient
from trdnav.portal.services.safety import crisis_guidance_for


def render_portal(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    patient: Patient,
    status: int = 200,
) -> HttpResponse:
    """Every patient page carries its clinic's crisis guidance (shown in the footer)."""
    full = {"patient": patient, "guidance": crisis_guidance_for(patient.clinic), **context}
    return render(request, template, full, status=status)


# Set just before sending the patient to Help now after a flagged answer or report, so that
# page says why they are there; the header's link shows the general page (P-PH1).
FLAGGED_KEY = "portal-help-now-flagged"


def to_help_now(request: HttpRequest) -> HttpResponse:
    request.session[FLAGGED_KEY] = True
    return redirect("portal:crisis")
