"""The chart page's clinical sections, and the clinical-profile edit page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trdnav.accounts.permissions import Capability, capability_required, has_capability
from trdnav.assessments.queries import latest_for_patient
from trdnav.audit.services import Actor, actor_from_request
from trdnav.clinical.changes import saying_what_changed
from trdnav.clinical.chart import chart_data
from trdnav.clinical.forms import ClinicalProfileForm
from trdnav.clinical.header import (
    current_treatment,
    definitions,
    latest_scores,
    stage_details,
    stage_ladder,
    trd_status,
)
from trdnav.clinical.lifechart import life_chart
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.notes import Notes, cite
from trdnav.clinical.present import (
    option_cards,
    to_check,
    top_warnings,
    triage,
    worded,
)
from trdnav.clinical.services import options_for, profile_of, update_clinical_profile
from trdnav.core.errors import InvalidInput
from trdnav.core.knowledge import load_therapies
from trdnav.core.knowledge.clinician_groups import load_clinician_groups
from trdnav.courses.chart import courses_on_chart, plannable
from trdnav.courses.loop.chart import chart_courses
from trdnav.patients.models import Patient
from trdnav.patients.pages import errors_onto, patient_view


def _options(patient: Patient, profile: ClinicalProfile, as_of: date) -> dict[str, Any]:
    try:
        recommendation = options_for(patient=patient, as_of=as_of, profile=profile)
    except InvalidInput as exc:
        # A stored document that no longer validates (the knowledge base changed): say so.
        return {"options_error": [error.as_dict() for error in exc.errors]}
    data = recommendation.to_dict()
    cards = option_cards(recommendation)
    names = {card["id"]: card["name"] for card in cards}
    return {
        "recommendation": recommendation,
        "options": cards,
        "history_summary": recommendation.history.to_dict(),
        "urgent_conditions": [worded(r.to_dict()) for r in recommendation.urgent_conditions],
        "warnings": top_warnings(data.get("warnings", [])),
        "to_check": to_check(data.get("to_check", []), names, load_therapies()),
        "plannable": plannable(cards),
        "triage": triage(cards, load_clinician_groups(), load_therapies()),
    }


def _header(context: dict[str, Any]) -> dict[str, Any]:
    """The "what now?" header, from what the page already loaded (no query)."""
    summary = context.get("history_summary")
    return {
        "trd": trd_status(summary),
        "ladder": stage_ladder((summary or {}).get("staging")) if summary else [],
        "current": current_treatment(context["profile"].history, context["courses_on_chart"]),
        "scores": latest_scores(context["chart"], context["latest"]),
        "definitions": definitions(summary),
        "stage_details": stage_details((summary or {}).get("staging")) if summary else [],
    }


def _sources(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Every citation and policy key on the page as a numbered note (P-WD2): the text keeps a
    short reference and the note's number."""
    notes = Notes()
    if "recommendation" in context:
        version = context["recommendation"].knowledge_version
        context["knowledge_refs"] = [{"number": notes.number(f"Knowledge base version {version}")}]
    items = [*context.get("urgent_conditions", []), *context.get("warnings", [])]
    for card in context.get("options", []):
        items += [*card["reasons"], *card["expect"], *card["interactions"]]
    for item in items:
        cite(item, notes)
    header = context["header"]
    for row in [*header["definitions"], *header["stage_details"]]:
        row["refs"] = notes.policies(row.get("policies", []))
    return notes.listed()


def chart_context(request: HttpRequest, patient: Patient) -> dict[str, Any]:
    """Everything the chart page shows, in a fixed number of queries."""
    as_of = timezone.localdate()
    latest = latest_for_patient(patient.pk)
    profile = profile_of(patient)
    courses = courses_on_chart(patient)
    series = chart_data(patient.pk)
    context: dict[str, Any] = {
        "patient": patient,
        "as_of": as_of,
        "latest": latest,
        "chart": series,
        "profile": profile,
        "life": life_chart(profile.history, courses, series, as_of, request.GET.get("range")),
        "courses_on_chart": courses,
        "courses_loop": chart_courses(
            patient=patient,
            history=profile.history,
            as_of=as_of,
            by=actor_from_request(request),
            courses=courses,
        ),
    }
    if has_capability(request.user, Capability.VIEW_PATIENTS):
        context.update(_options(patient, profile, as_of))
    context["header"] = _header(context)
    context["source_notes"] = _sources(context)
    return context


@capability_required(Capability.EDIT_HISTORY)
@require_http_methods(["GET", "POST"])
@patient_view("clinical_profile")
def profile_edit(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    profile = profile_of(patient)
    form = ClinicalProfileForm(
        request.POST or None, initial=ClinicalProfileForm.initial_for(profile)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with saying_what_changed(request, patient):
                update_clinical_profile(
                    patient=patient, data=form.profile_data(), by=actor, as_of=timezone.localdate()
                )
            return redirect("patients:detail", pk=patient.pk)
        except InvalidInput as exc:
            errors_onto(form, exc, place=form.core_error_target)
    status = 400 if form.is_bound else 200
    context = {"patient": patient, "form": form}
    return render(request, "clinical/profile_form.html", context, status=status)
