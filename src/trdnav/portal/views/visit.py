"""Prepare for my visit: the patient's questions and the printable summary."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trdnav.audit.services import Actor
from trdnav.core.errors import InvalidInput
from trdnav.core.limits import EARLIEST_DATE, LATEST_DATE
from trdnav.patients.models import Patient
from trdnav.patients.pages import errors_onto, patient_view
from trdnav.portal.access import owned_by
from trdnav.portal.forms import QuestionForm
from trdnav.portal.models import VisitQuestion
from trdnav.portal.services.progress import CHART_HEIGHT, CHART_WIDTH, PAD
from trdnav.portal.services.visit import (
    add_question,
    last_visit_default,
    remove_question,
    visit_summary,
)
from trdnav.portal.views.common import render_portal


def _day(raw: str | None) -> date | None:
    """An ISO date within the plausible range (``core.limits``); anything else is ignored."""
    try:
        day = date.fromisoformat(raw) if raw and len(raw) <= 10 else None
    except ValueError:
        return None
    return day if day is not None and EARLIEST_DATE <= day <= LATEST_DATE else None


@login_required
@require_http_methods(["GET", "POST"])
@patient_view("visit_question", own=True)
def prepare(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_question(patient=patient, text=form.cleaned_data["text"], by=actor)
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            return redirect("portal:visit")
    context = {
        "form": form,
        "questions": patient.visit_questions.filter(done_at__isnull=True),
        "since": last_visit_default(patient, today=timezone.localdate()),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render_portal(request, "portal/visit.html", context, patient=patient, status=status)


@login_required
@require_POST
@patient_view("visit_question", own=True)
def question_done(request: HttpRequest, actor: Actor, patient: Patient, pk: int) -> HttpResponse:
    remove_question(
        question=owned_by(VisitQuestion.objects.all(), patient=patient, pk=pk), by=actor
    )
    return redirect("portal:visit")


@login_required
@require_GET
@patient_view("visit_summary", own=True)
def summary(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    today = timezone.localdate()
    since = _day(request.GET.get("since")) or last_visit_default(patient, today=today)
    since = max(since, patient.date_of_birth)  # nothing to show from before birth
    context = {
        "summary": visit_summary(patient=patient, since=min(since, today), by=actor),
        "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT, "pad": PAD},
    }
    return render_portal(request, "portal/summary.html", context, patient=patient)
