"""Assessment pages: pick an instrument, fill in its items, see the patient's assessments.

Each: check the role → load the patient through the access helper (404 outside scope, audited)
→ parse the form → call the service → respond.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from trdnav.accounts.permissions import Capability, capability_required
from trdnav.assessments.forms import AssessmentForm
from trdnav.assessments.models import Assessment, Source
from trdnav.assessments.services import record_assessment
from trdnav.audit.services import actor_from_request
from trdnav.core.errors import InvalidInput
from trdnav.core.instruments import Instrument, UnknownInstrument, get_instrument, list_instruments
from trdnav.patients.access import get_patient_for
from trdnav.patients.models import Patient

LIST_LIMIT = 200


def _instrument(code: str) -> Instrument:
    try:
        return get_instrument(code)
    except UnknownInstrument:
        raise Http404("unknown instrument") from None


def _saved(request: HttpRequest, form: AssessmentForm, patient: Patient) -> Assessment | None:
    """Run the service; on refusal, put its field errors on the form and return None."""
    if not form.is_valid():
        return None
    try:
        return record_assessment(
            patient=patient,
            instrument=form.instrument.code,
            answers=form.answers(),
            administered_on=form.cleaned_data["administered_on"],
            by=actor_from_request(request),
            source=Source.CLINICIAN,
        )
    except InvalidInput as exc:
        for error in exc.errors:
            form.add_service_error(error)
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
def choose_instrument(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(by=actor_from_request(request), pk=pk)
    context = {"patient": patient, "instruments": list_instruments()}
    return render(request, "assessments/choose.html", context)


@capability_required(Capability.RECORD_ASSESSMENTS)
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    instrument = _instrument(code)
    patient = get_patient_for(by=actor_from_request(request), pk=pk)
    form = AssessmentForm(request.POST or None, instrument=instrument)
    if request.method == "POST":
        assessment = _saved(request, form, patient)
        if assessment is not None:
            level = messages.ERROR if assessment.needs_safety_review else messages.SUCCESS
            messages.add_message(request, level, _summary(assessment, instrument))
            return redirect("patients:detail", pk=patient.pk)
    context = {"patient": patient, "form": form, "instrument": instrument}
    status = 400 if form.is_bound else 200
    return render(request, "assessments/form.html", context, status=status)


@login_required
@require_GET
def assessment_list(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient_for(by=actor_from_request(request), pk=pk, object_type="assessments")
    assessments = patient.assessments.all()[:LIST_LIMIT]
    return render(request, "assessments/list.html", {"patient": patient, "rows": assessments})
