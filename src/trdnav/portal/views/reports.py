"""The patient's side-effect and concern reports, and their messages with the care team."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.core.errors import InvalidInput
from trdnav.patients.models import Patient
from trdnav.patients.pages import errors_onto, patient_view
from trdnav.portal.access import owned_by
from trdnav.portal.forms import ConcernForm, MessageForm, ReplyForm
from trdnav.portal.models import Thread
from trdnav.portal.services.concerns import report_concern
from trdnav.portal.services.messaging import read_thread, reply, start_thread
from trdnav.portal.views.common import render_portal, to_help_now


@login_required
@require_http_methods(["GET", "POST"])
@patient_view("concern_report", own=True)
def concerns(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_concern(patient=patient, data=form.cleaned_data, by=actor)
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            if report.self_harm_thoughts:
                return to_help_now(request)
            flash.success(request, "Thank you. Your care team will read your report.")
            return redirect("portal:concerns")
    context = {"form": form, "reports": patient.concerns.all()}
    status = 400 if form.is_bound and form.errors else 200
    return render_portal(request, "portal/concerns.html", context, patient=patient, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@patient_view("portal_thread", own=True)
def threads(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = start_thread(patient=patient, from_patient=True, by=actor, **form.cleaned_data)
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            return redirect("portal:thread", pk=thread.pk)
    audit_patient(actor, patient, Action.VIEW, "portal_thread_list")
    context = {"form": form, "threads": patient.threads.all()}
    status = 400 if form.is_bound and form.errors else 200
    return render_portal(request, "portal/threads.html", context, patient=patient, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@patient_view("portal_thread", own=True)
def thread(request: HttpRequest, actor: Actor, patient: Patient, pk: int) -> HttpResponse:
    found = owned_by(Thread.objects.all(), patient=patient, pk=pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reply(thread=found, body=form.cleaned_data["body"], from_patient=True, by=actor)
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            return redirect("portal:thread", pk=found.pk)
    context = {
        "thread": found,
        "messages_": read_thread(thread=found, as_patient=True, by=actor),
        "form": form,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render_portal(request, "portal/thread.html", context, patient=patient, status=status)
