"""The care team's side of the portal: a patient's portal panel (invitation, schedules,
reports, messages), the inbox of things to acknowledge, and replying to messages.

Patients are loaded through ``patient_view`` with a capability (403 for a role without it, 404
outside the clinic); rows through ``clinic_rows`` (other clinics' rows are 404).
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trdnav.accounts.permissions import Capability, has_capability, require_capability
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, actor_from_request, record_event
from trdnav.core.errors import InvalidInput
from trdnav.patients.models import Patient
from trdnav.patients.pages import errors_onto, patient_view
from trdnav.portal.access import clinic_rows
from trdnav.portal.forms import InviteForm, MessageForm, ReplyForm, ScheduleForm
from trdnav.portal.models import (
    ConcernReport,
    QuestionnaireSchedule,
    SafetyNotice,
    SafetySource,
    Thread,
)
from trdnav.portal.services.concerns import acknowledge_concern
from trdnav.portal.services.invitations import invite_patient, send_invitation
from trdnav.portal.services.messaging import can_read_portal, read_thread, reply, start_thread
from trdnav.portal.services.safety import acknowledge_notice
from trdnav.portal.services.schedules import schedule_lines, set_schedule, stop_schedule
from trdnav.portal.services.tasks import open_tasks


def _invite_to(patient: Patient) -> str:
    """An existing login's own address (a reset goes there), else the record's."""
    login = patient.user
    return (login.email if login is not None and login.email else "") or patient.email


def _panel(request: HttpRequest, patient: Patient, **forms: object) -> HttpResponse:
    context = {
        "patient": patient,
        "lines": schedule_lines(patient=patient, as_of=timezone.localdate()),
        "invitations": patient.invitations.all()[:5],
        "reports": patient.concerns.all()[:20],
        "threads": patient.threads.all(),
        "invite_form": forms.get("invite_form")
        or InviteForm(initial={"email": _invite_to(patient)}),
        "schedule_form": forms.get("schedule_form")
        or ScheduleForm(initial={"every_days": 7, "start": timezone.localdate()}),
        "message_form": forms.get("message_form") or MessageForm(),
        "can_manage": has_capability(request.user, Capability.MANAGE_PORTAL),
        "patient_can_read": can_read_portal(patient),
    }
    status = 400 if forms else 200
    return render(request, "portal/care/panel.html", context, status=status)


@login_required
@require_GET
@patient_view("portal_panel", capability=Capability.PORTAL_INBOX)
def panel(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    return _panel(request, patient)


@login_required
@require_POST
@patient_view("portal_invitation", capability=Capability.MANAGE_PORTAL)
def invite(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _panel(request, patient, invite_form=form)
    try:
        invitation, token = invite_patient(
            patient=patient, email=form.cleaned_data["email"], by=actor
        )
    except InvalidInput as exc:  # e.g. another address for an existing login, by a non-admin
        errors_onto(form, exc)
        return _panel(request, patient, invite_form=form)
    link = request.build_absolute_uri(reverse("portal:accept", args=[token]))
    if send_invitation(invitation=invitation, link=link, clinic_name=patient.clinic.name):
        flash.success(request, f"Invitation sent to {invitation.email}. The link: {link}")
    else:
        flash.warning(
            request,
            f"The invitation was created, but the e-mail to {invitation.email} could not be sent "
            f"(the mail server did not answer). Give the patient this link another way: {link}",
        )
    return redirect("portal:care_panel", pk=patient.pk)


@login_required
@require_POST
@patient_view("questionnaire_schedule", capability=Capability.MANAGE_PORTAL)
def add_schedule(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            set_schedule(patient=patient, data=form.cleaned_data, by=actor)
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            return redirect("portal:care_panel", pk=patient.pk)
    return _panel(request, patient, schedule_form=form)


@login_required
@require_POST
def end_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    rows = clinic_rows(
        QuestionnaireSchedule.objects.all(), by=actor, capability=Capability.MANAGE_PORTAL
    )
    schedule = get_object_or_404(rows, pk=pk)
    stop_schedule(schedule=schedule, by=actor)
    return redirect("portal:care_panel", pk=schedule.patient_id)


@login_required
@require_POST
@patient_view("portal_thread", capability=Capability.PORTAL_INBOX)
def new_thread(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            thread = start_thread(
                patient=patient, from_patient=False, by=actor, **form.cleaned_data
            )
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            return redirect("portal:care_thread", pk=thread.pk)
    return _panel(request, patient, message_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    rows = clinic_rows(
        Thread.objects.select_related("patient"), by=actor, capability=Capability.PORTAL_INBOX
    )
    found = get_object_or_404(rows, pk=pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reply(thread=found, body=form.cleaned_data["body"], from_patient=False, by=actor)
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            return redirect("portal:care_thread", pk=found.pk)
    context = {"thread": found, "patient": found.patient, "form": form,
               "messages_": read_thread(thread=found, as_patient=False, by=actor)}  # fmt: skip
    return render(request, "portal/care/thread.html", context, status=400 if form.is_bound else 200)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    require_capability(request.user, Capability.PORTAL_INBOX)
    tasks = open_tasks(user=request.user, capability=Capability.PORTAL_INBOX)
    record_event(by=actor, action=Action.VIEW, object_type="portal_inbox")
    return render(request, "portal/care/inbox.html", {"tasks": tasks})


def _back(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Back to the dashboard, the patient's panel or the inbox: a fixed choice, never a URL
    from the form."""
    where = request.POST.get("next")
    if where == "panel":
        return redirect("portal:care_panel", pk=patient_id)
    return redirect("dashboard:home" if where == "dashboard" else "portal:care_inbox")


@login_required
@require_POST
def acknowledge_report(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    rows = clinic_rows(ConcernReport.objects.all(), by=actor, capability=Capability.PORTAL_INBOX)
    report = get_object_or_404(rows, pk=pk)
    acknowledge_concern(report=report, by=actor)
    return _back(request, report.patient_id)


@login_required
@require_POST
def acknowledge_safety(request: HttpRequest, pk: int) -> HttpResponse:
    """A safety notice is reviewed, not just acknowledged (P-SR2): this older action leads to
    the review of the item the notice belongs to, which asks what was done."""
    actor = actor_from_request(request)
    rows = clinic_rows(SafetyNotice.objects.all(), by=actor, capability=Capability.MANAGE_PORTAL)
    notice = get_object_or_404(rows, pk=pk)
    kind = "answer" if notice.source == SafetySource.QUESTIONNAIRE else "report"
    if not notice.reference.isdigit():  # a notice naming no row: nothing to review
        acknowledge_notice(notice=notice, by=actor)
        return _back(request, notice.patient_id)
    where = reverse("safety:review", args=[notice.patient_id, kind, int(notice.reference)])
    return redirect(f"{where}?next={_next_word(request)}")


def _next_word(request: HttpRequest) -> str:
    where = request.POST.get("next")
    return where if where in ("panel", "dashboard", "inbox") else "inbox"
