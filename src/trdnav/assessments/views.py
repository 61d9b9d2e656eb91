"""Assessment pages: pick an instrument, fill in its items, see the patient's assessments.

Each: check the role → load the patient (``patient_view``: 404 outside scope, audited) → parse
the form → call the service → respond.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from trdnav.accounts.permissions import Capability, capability_required
from trdnav.assessments.forms import AssessmentForm, VoidForm
from trdnav.assessments.models import Assessment, Source
from trdnav.assessments.services import record_assessment, void_assessment
from trdnav.audit.services import Actor
from trdnav.clinical.changes import change_message, chart_summary
from trdnav.core.errors import InvalidInput
from trdnav.core.instruments import Instrument, UnknownInstrument, get_instrument, list_instruments
from trdnav.patients.models import Patient
from trdnav.patients.pages import errors_onto, patient_view

LIST_LIMIT = 200
TOKEN_SESSION_KEY = "assessment-form-token-{patient}-{code}"  # noqa: S105 (a session key name)


def _instrument(code: str) -> Instrument:
    try:
        return get_instrument(code)
    except UnknownInstrument:
        raise Http404("unknown instrument") from None


def _token_key(patient: Patient, code: str) -> str:
    return TOKEN_SESSION_KEY.format(patient=patient.pk, code=code)


def _form_token(request: HttpRequest, patient: Patient, code: str) -> str:
    """The submission token of the form being filled in: the same for every showing of the
    form (a reload or Back shows it again) until a submission with it is stored."""
    key = _token_key(patient, code)
    token = request.session.get(key)
    if not isinstance(token, str) or not token:
        token = uuid.uuid4().hex
        request.session[key] = token
    return token


def _saved(actor: Actor, form: AssessmentForm, patient: Patient) -> Assessment | None:
    """Run the service; on refusal, put its field errors on the form and return None."""
    if not form.is_valid():
        return None
    token = form.cleaned_data.get("submission_token") or None
    try:
        return record_assessment(
            patient=patient,
            instrument=form.instrument.code,
            answers=form.answers(),
            administered_on=form.cleaned_data["administered_on"],
            by=actor,
            source=Source.CLINICIAN,
            idempotency_key=f"form-{token}" if token else None,
        )
    except InvalidInput as exc:
        errors_onto(form, exc, place=form.service_error_target)
        return None


def _summary(assessment: Assessment, instrument: Instrument) -> str:
    parts = [f"Recorded {instrument.abbreviation} for {assessment.administered_on:%Y-%m-%d}"]
    if assessment.total is not None:
        severity = f" ({assessment.severity.replace('_', ' ')})" if assessment.severity else ""
        parts.append(f"total {assessment.total}{severity}")
    elif not assessment.valid:
        parts.append("incomplete: no total")
    if assessment.needs_safety_review:
        priority = ", high priority" if assessment.safety_priority == "high" else ""
        parts.append(f"safety item {assessment.safety}{priority}: review now")
    return "; ".join(parts) + "."


@capability_required(Capability.RECORD_ASSESSMENTS)
@require_GET
@patient_view()
def choose_instrument(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    context = {"patient": patient, "instruments": list_instruments()}
    return render(request, "assessments/choose.html", context)


@capability_required(Capability.RECORD_ASSESSMENTS)
@require_http_methods(["GET", "POST"])
@patient_view()
def record(request: HttpRequest, actor: Actor, patient: Patient, code: str) -> HttpResponse:
    instrument = _instrument(code)
    if request.method == "POST":
        form = AssessmentForm(request.POST, instrument=instrument)
        before = timezone.now()
        stages_before = chart_summary(patient)
        assessment = _saved(actor, form, patient)
        if assessment is not None:
            # A new token for the next form; this one keeps finding the stored assessment.
            request.session.pop(_token_key(patient, code), None)
            summary = _summary(assessment, instrument)
            if assessment.recorded_at < before:
                summary = f"Already recorded; nothing new was stored. {summary}"
            summary = f"{summary} {change_message(stages_before, chart_summary(patient))}"
            level = messages.ERROR if assessment.needs_safety_review else messages.SUCCESS
            messages.add_message(request, level, summary)
            return redirect("patients:detail", pk=patient.pk)
    else:
        initial = {
            "administered_on": timezone.localdate(),
            "submission_token": _form_token(request, patient, code),
        }
        form = AssessmentForm(initial=initial, instrument=instrument)
    context = {"patient": patient, "form": form, "instrument": instrument}
    status = 400 if form.is_bound else 200
    return render(request, "assessments/form.html", context, status=status)


@login_required
@require_GET
@patient_view("assessments")
def assessment_list(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    # Voided assessments stay in the record: listed, marked void, with the reason.
    assessments = Assessment.all_objects.filter(patient=patient).select_related("voided_by")
    rows = assessments[:LIST_LIMIT]
    return render(request, "assessments/list.html", {"patient": patient, "rows": rows})


@capability_required(Capability.RECORD_ASSESSMENTS)
@require_http_methods(["GET", "POST"])
@patient_view("assessments", capability=Capability.EDIT_PATIENTS)
def void(request: HttpRequest, actor: Actor, patient: Patient, assessment_id: int) -> HttpResponse:
    """Mark an assessment entered in error as void, with a reason (kept, audited). Voiding
    changes the clinical record, so it needs the right to edit records too (clinicians)."""
    assessment = get_object_or_404(Assessment.all_objects, pk=assessment_id, patient=patient)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and not assessment.is_voided and form.is_valid():
        try:
            void_assessment(assessment=assessment, reason=form.cleaned_data["reason"], by=actor)
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            name = assessment.instrument_abbreviation
            messages.success(
                request, f"{name} of {assessment.administered_on:%Y-%m-%d} is now void."
            )
            return redirect("assessments:list", pk=patient.pk)
    context = {"patient": patient, "assessment": assessment, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "assessments/void.html", context, status=status)
