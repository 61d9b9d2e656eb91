"""The clinic admin's settings hub: one page listing every setting a clinic changes in the app,
each section linking to its own page (crisis help in the portal, the dashboard's worsening
rule), and the clinic's other settings, which are set outside the app, shown as they stand."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from trdnav.accounts.models import Clinic
from trdnav.accounts.permissions import Capability, capabilities_of, membership_of
from trdnav.portal.services.crisis_help import current as current_crisis_help
from trdnav.safety.settings import settings_for

# The hub opens to whoever may change at least one of its sections (both are admin-only).
HUB_CAPABILITIES = frozenset({Capability.MANAGE_CLINIC, Capability.SAFETY_SETTINGS})


@dataclass(frozen=True)
class Section:
    title: str
    what: str
    now: str
    url: str
    link_text: str


@dataclass(frozen=True)
class FixedSetting:
    """A clinic setting without a page in the app: shown so the admin knows how it stands."""

    title: str
    now: str


def _crisis_section(clinic: Clinic) -> Section:
    _, numbers = current_crisis_help(clinic)
    count = len(numbers)
    now = (
        f"{count} number{'s' if count != 1 else ''} set"
        if count
        else "No numbers set: patients are told to call their local emergency number"
    )
    return Section(
        title="Crisis help for patients",
        what="The words and phone numbers every portal page's Help now shows your patients.",
        now=now,
        url=reverse("portal:clinic_crisis_help"),
        link_text="Change crisis help",
    )


def _worsening_section(clinic: Clinic) -> Section:
    rule = settings_for(clinic.pk)
    return Section(
        title="Worsening rule for the dashboard",
        what="Which rise in a patient's scores the dashboard calls worsening.",
        now=str(rule.get_worsening_rule_display()),
        url=reverse("safety:settings"),
        link_text="Change the worsening rule",
    )


def _fixed_settings(clinic: Clinic) -> list[FixedSetting]:
    def yes_no(value: bool) -> str:
        return "Yes" if value else "No"

    return [
        FixedSetting(
            "Staff confirm each log-in with an authenticator code",
            yes_no(clinic.require_mfa_for_staff),
        ),
        FixedSetting(
            "Staff may sign a treatment session over a blocking check",
            yes_no(clinic.staff_may_override_session_blocks),
        ),
        FixedSetting(
            "Treatment-course protocol settings (REMS, deadlines, tighter limits)",
            "Set for this clinic" if clinic.protocol_settings else "The defaults",
        ),
    ]


@login_required
@require_GET
def clinic_settings_hub(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    held = capabilities_of(membership) & HUB_CAPABILITIES
    if membership is None or not held:
        raise PermissionDenied("your role does not allow the clinic's settings")
    clinic = membership.clinic
    sections = []
    if Capability.MANAGE_CLINIC in held:
        sections.append(_crisis_section(clinic))
    if Capability.SAFETY_SETTINGS in held:
        sections.append(_worsening_section(clinic))
    context = {"clinic": clinic, "sections": sections, "fixed": _fixed_settings(clinic)}
    return render(request, "web/clinic_settings.html", context)
