"""The clinic admin's page for the portal's crisis help (P-PH3): who to call, shown to the
clinic's patients as tap-to-call buttons on every portal page's Help now."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trdnav.accounts.permissions import Capability, capability_required, require_capability
from trdnav.audit.services import actor_from_request
from trdnav.portal.crisis_form import CrisisHelpForm
from trdnav.portal.services.crisis_help import current, set_crisis_help
from trdnav.portal.services.safety import crisis_guidance_for


@capability_required(Capability.MANAGE_CLINIC)
@require_http_methods(["GET", "POST"])
def crisis_help(request: HttpRequest) -> HttpResponse:
    clinic = require_capability(request.user, Capability.MANAGE_CLINIC).clinic
    text, numbers = current(clinic)
    form = CrisisHelpForm(request.POST or None, initial=CrisisHelpForm.initial_for(text, numbers))
    if request.method == "POST" and form.is_valid():
        set_crisis_help(
            clinic=clinic,
            text=str(form.cleaned_data.get("text") or ""),
            numbers=form.numbers(),
            by=actor_from_request(request),
        )
        count = len(form.numbers())
        flash.success(
            request,
            f"Crisis help saved: patients now see {count} number{'s' if count != 1 else ''} "
            "on Help now."
            if count
            else "Crisis help saved: no numbers, so patients are told to call their local "
            "emergency number.",
        )
        return redirect("portal:clinic_crisis_help")
    context = {"form": form, "clinic": clinic, "guidance": crisis_guidance_for(clinic)}
    return render(
        request, "portal/care/crisis_help.html", context, status=400 if form.errors else 200
    )
