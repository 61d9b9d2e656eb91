"""The patient's side-effect and concern reports, and their messages with the care team."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from trdnav.audit.models import Action
from trdnav.audit.services import actor_from_request, record_event
from trdnav.core.errors import InvalidInput
from trdnav.portal.access import own_patient, owned_by
from trdnav.portal.forms import ConcernForm, MessageForm, ReplyForm
from trdnav.portal.models import Thread
from trdnav.portal.services.concerns import report_concern
from trdnav.portal.services.messaging import read_thread, reply, start_thread
from trdnav.portal.views.common import errors_onto, render_portal


@login_required
@require_http_methods(["GET", "POST"])
def concerns(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    patient = own_patient(by=actor, object_type="concern_report")
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_concern(patient=patient, data=form.cleaned_data, by=actor)
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            if report.self_harm_thoughts:
                return redirect("portal:crisis")
            flash.success(request, "Thank you. Your care team will read your report.")
            return redirect("portal:concerns")
    context = {"form": form, "reports": patient.concerns.all()}
    status = 400 if form.is_bound and form.errors else 200
    return render_portal(request, "portal/concerns.html", context, patient=patient, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def threads(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    patient = own_patient(by=actor, object_type="portal_thread")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = start_thread(patient=patient, from_patient=True, by=actor, **form.cleaned_data)
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            return redirect("portal:thread", pk=thread.pk)
    record_event(
        by=actor, action=Action.VIEW, object_type="portal_thread_list", patient_id=patient.pk
    )
    context = {"form": form, "threads": patient.threads.all()}
    status = 400 if form.is_bound and form.errors else 200
    return render_portal(request, "portal/threads.html", context, patient=patient, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    patient = own_patient(by=actor, object_type="portal_thread")
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
