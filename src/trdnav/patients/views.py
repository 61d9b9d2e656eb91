"""Patient pages. Each: load with an access check → validate → service → respond."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from trdnav.accounts.permissions import Capability, capability_required
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, actor_from_request, record_event
from trdnav.clinical.views import chart_context
from trdnav.core.errors import InvalidInput
from trdnav.patients.access import visible_patients
from trdnav.patients.forms import PatientForm
from trdnav.patients.models import Patient
from trdnav.patients.pages import errors_onto, patient_view
from trdnav.patients.services import create_patient, update_patient

PAGE_SIZE = 50


def _save_form(actor: Actor, form: PatientForm, patient: Patient | None) -> Patient | None:
    """Run the service; on refusal, put its field errors on the form and return None."""
    if not form.is_valid():
        return None
    try:
        if patient is None:
            return create_patient(clinic=actor.clinic, data=form.cleaned_data, by=actor)  # type: ignore[arg-type]
        return update_patient(patient=patient, data=form.cleaned_data, by=actor)
    except InvalidInput as exc:
        errors_onto(form, exc)
        return None


@capability_required(Capability.VIEW_PATIENTS)
@require_GET
def patient_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    patients = visible_patients(request.user)
    if query:
        patients = patients.filter(
            Q(family_name__icontains=query)
            | Q(given_name__icontains=query)
            | Q(record_number__icontains=query)
        )
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    record_event(
        by=actor_from_request(request),
        action=Action.VIEW,
        object_type="patient_search" if query else "patient_list",
        summary=f"page {page.number}, {len(page.object_list)} shown",
        shown=[p.pk for p in page.object_list],
    )
    return render(request, "patients/list.html", {"page": page, "query": query})


@capability_required(Capability.EDIT_PATIENTS)
@require_http_methods(["GET", "POST"])
def patient_create(request: HttpRequest) -> HttpResponse:
    form = PatientForm(request.POST or None)
    if request.method == "POST":
        patient = _save_form(actor_from_request(request), form, None)
        if patient is not None:
            return redirect("patients:detail", pk=patient.pk)
    status = 400 if form.is_bound else 200
    return render(request, "patients/form.html", {"form": form}, status=status)


@login_required
@require_GET
@patient_view()
def patient_detail(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    """The patient chart: trends, safety flags, history, TRD status and stages, options."""
    return render(request, "patients/detail.html", chart_context(request, patient))


@capability_required(Capability.EDIT_PATIENTS)
@require_http_methods(["GET", "POST"])
@patient_view()
def patient_edit(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    form = PatientForm(request.POST or None, instance=patient)
    if request.method == "POST":
        saved = _save_form(actor, form, patient)
        if saved is not None:
            return redirect("patients:detail", pk=saved.pk)
    status = 400 if form.is_bound else 200
    return render(request, "patients/form.html", {"form": form, "patient": patient}, status=status)
