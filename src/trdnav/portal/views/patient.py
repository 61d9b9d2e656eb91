"""The patient's pages. Each loads the patient's own record through
``patient_view(..., own=True)`` (anything else is 404), then validates, calls a service and
responds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from trdnav.audit.services import Actor
from trdnav.core.errors import InvalidInput
from trdnav.core.instruments import get_instrument
from trdnav.core.scheduling import DueState, DueStatus
from trdnav.guide import pages as guide_pages
from trdnav.patients.models import Patient
from trdnav.patients.pages import errors_onto, patient_view
from trdnav.portal.access import owned_by
from trdnav.portal.forms import QuestionnaireForm
from trdnav.portal.models import QuestionnaireSchedule
from trdnav.portal.services.messaging import unread_count
from trdnav.portal.services.progress import (
    CHART_HEIGHT,
    CHART_WIDTH,
    PAD,
    courses_ended_without_response,
    safety_concerns,
    trends,
)
from trdnav.portal.services.questionnaires import stored_for, submit_questionnaire
from trdnav.portal.services.schedules import schedule_lines, status_of, to_ask
from trdnav.portal.views.common import FLAGGED_KEY, render_portal, to_help_now

DRAFT_KEY = "portal-draft-{pk}"
ALREADY_SENT = (
    "We already have your answers of {day:%-d %B %Y}; nothing more is needed until the next "
    "one is due. Nothing new was stored."
)


@login_required
@require_GET
@patient_view("portal", own=True)
def home(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    lines = schedule_lines(patient=patient, as_of=timezone.localdate())
    context = {
        "to_do": to_ask(lines),
        "later": [line for line in lines if not line.status.needs_doing],
        "unread": unread_count(patient.threads.all(), for_patient=True),
        "drafts": {
            line.schedule.pk
            for line in lines
            if DRAFT_KEY.format(pk=line.schedule.pk) in request.session
        },
    }
    return render_portal(request, "portal/home.html", context, patient=patient)


def _draft(request: HttpRequest, pk: int) -> dict[str, str]:
    draft = request.session.get(DRAFT_KEY.format(pk=pk))
    return draft if isinstance(draft, dict) else {}


def _keep_draft(request: HttpRequest, pk: int, form: QuestionnaireForm) -> None:
    """The unsaved answers stay in the server-side session only (docs/portal.md, "Drafts")."""
    kept = {name: request.POST[name] for name in form.fields if request.POST.get(name)}
    request.session[DRAFT_KEY.format(pk=pk)] = kept


@login_required
@require_http_methods(["GET", "POST"])
@patient_view("portal_questionnaire", own=True)
def questionnaire(request: HttpRequest, actor: Actor, patient: Patient, pk: int) -> HttpResponse:
    schedule = owned_by(QuestionnaireSchedule.objects.filter(active=True), patient=patient, pk=pk)
    instrument = get_instrument(schedule.instrument)
    status = status_of(schedule, as_of=timezone.localdate())
    if not status.needs_doing or status.due_on is None:
        return _closed(request, schedule, status)
    if request.method == "GET":
        form = QuestionnaireForm(initial=_draft(request, pk), instrument=instrument)
        return _form_page(request, form, schedule, patient)
    form = QuestionnaireForm(request.POST, instrument=instrument)
    if request.POST.get("action") == "draft":
        _keep_draft(request, pk, form)
        messages.info(request, "Your answers are kept until you log out. Nothing was sent yet.")
        return redirect("portal:home")
    if form.is_valid():
        try:
            done = submit_questionnaire(
                schedule=schedule, answers=form.answers(), due_on=status.due_on, by=actor
            )
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            request.session.pop(DRAFT_KEY.format(pk=pk), None)
            if done.show_crisis_guidance:
                return to_help_now(request)
            if done.repeated:
                messages.info(request, ALREADY_SENT.format(day=done.assessment.administered_on))
            else:
                messages.success(request, "Thank you. Your answers were sent to your care team.")
            return redirect("portal:home")
    _keep_draft(request, pk, form)
    return _form_page(request, form, schedule, patient, status=400)


def _closed(
    request: HttpRequest, schedule: QuestionnaireSchedule, status: DueStatus
) -> HttpResponse:
    """The questionnaire is not due (already sent for this occurrence, not started, ended):
    no form. A repeated send (Back, a retry) of the occurrence just sent shows its result."""
    request.session.pop(DRAFT_KEY.format(pk=schedule.pk), None)
    sent = stored_for(schedule, status.due_on) if status.due_on is not None else None
    if sent is not None and request.method == "POST" and sent.show_crisis_guidance:
        return to_help_now(request)
    if status.state == DueState.DONE and status.last_completed_on is not None:
        messages.info(request, ALREADY_SENT.format(day=status.last_completed_on))
    elif status.state == DueState.NOT_STARTED and status.next_due_on is not None:
        first = f"{status.next_due_on:%-d %B %Y}"
        messages.info(request, f"This questionnaire is first due on {first}.")
    else:
        messages.info(request, "This questionnaire is not due now.")
    return redirect("portal:home")


def _form_page(
    request: HttpRequest,
    form: QuestionnaireForm,
    schedule: QuestionnaireSchedule,
    patient: Patient,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "schedule": schedule, "definition": form.instrument.definition}
    template = "portal/questionnaire.html"
    return render_portal(request, template, context, patient=patient, status=status)


@login_required
@require_GET
@patient_view("portal_crisis", own=True)
def crisis(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    """Help now: reached from every page's header (general words), and straight after an
    answer or report that mentions suicidal thoughts or self-harm (then it says so, once)."""
    flagged = bool(request.session.pop(FLAGGED_KEY, False))
    return render_portal(request, "portal/crisis.html", {"flagged": flagged}, patient=patient)


@login_required
@require_GET
@patient_view("portal_progress", own=True)
def progress(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    concerns = safety_concerns(patient=patient)
    context = {
        "ended_without_response": courses_ended_without_response(patient=patient)[:1],
        "trends": trends(patient=patient, concerns=concerns),
        "safety_concerns": concerns,
        "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT, "pad": PAD},
    }
    return render_portal(request, "portal/progress.html", context, patient=patient)


@login_required
@require_GET
@patient_view("portal_treatments", own=True)
def treatments(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    """The treatments grouped as the public guide groups them (one source: P-PH4)."""
    context = {
        "sections": guide_pages.grouped_treatments(
            lambda therapy_id: reverse("portal:treatment", args=[therapy_id])
        ),
        "investigational": guide_pages.investigational_ids(),
    }
    return render_portal(request, "portal/treatments.html", context, patient=patient)


@login_required
@require_GET
@patient_view("portal_treatments", own=True)
def treatment(
    request: HttpRequest, actor: Actor, patient: Patient, therapy_id: str
) -> HttpResponse:
    context = guide_pages.treatment_page(therapy_id)
    if context is None:
        raise Http404("no such treatment")
    return render_portal(request, "portal/treatment.html", context, patient=patient)
