"""Shared by the portal's views: rendering with the crisis guidance, and form errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trdnav.core.errors import InvalidInput
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


def errors_onto(form: forms.Form, error: InvalidInput) -> None:
    """Put a service's field errors on the form (unknown fields as form-wide errors)."""
    for field_error in error.errors:
        name = field_error.field if field_error.field in form.fields else None
        form.add_error(name, field_error.message)
