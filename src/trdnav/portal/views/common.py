"""Shared by the portal's views: rendering with the crisis guidance. (Form errors:
``trdnav.patients.pages.errors_onto``.)"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
