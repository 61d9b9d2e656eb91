"""Course pages: plan a course from a chart option, the course page, the course summary (and
its printout), ending a course. Sessions: ``session_views``; REMS: ``rems_views``; the
patient's calendar: ``portal_views``.

Each view: check the role → load the record (a patient through ``patients.pages.patient_view``,
a course through ``trdnav.courses.access``: clinic-scoped, audited; 404 outside the clinic) →
validate → call a service (its refusal onto the form with ``errors_onto``) → respond.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from trdnav.accounts.permissions import Capability, capability_required
from trdnav.audit.services import Actor, actor_from_request
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.protocols import (
    CoursePlan,
    Protocol,
    ProtocolError,
    get_protocol,
    plan_course,
    protocols_for_therapy,
)
from trdnav.courses import present, services
from trdnav.courses.access import get_course_for
from trdnav.courses.forms import EndForm, PlanForm
from trdnav.courses.models import Course
from trdnav.courses.summary import summary_context
from trdnav.patients.models import Patient
from trdnav.patients.pages import errors_onto, patient_view

PLAN_TOKEN = "course-plan-token-{patient}-{therapy}"  # noqa: S105 (a session key name)


def protocol_of(course: Course) -> Protocol | None:
    """The course's protocol, or None when the knowledge base no longer has it (the stored
    plan and values are still shown)."""
    try:
        return get_protocol(course.protocol_id)
    except ProtocolError:
        return None


def _token(request: HttpRequest, key: str) -> str:
    token = request.session.get(key)
    if not isinstance(token, str) or not token:
        token = uuid.uuid4().hex
        request.session[key] = token
    return token


def _preview(form: PlanForm, protocols: tuple[Protocol, ...]) -> CoursePlan | None:
    """The plan the form's values would make, or None (errors put on the form)."""
    if not form.is_valid():
        return None
    try:
        return plan_course(
            form.cleaned_data["protocol"],
            form.cleaned_data["start"],
            sessions=form.cleaned_data.get("sessions"),
        )
    except InvalidInput as exc:
        _form_errors(form, exc)
        return None


def _form_errors(form: PlanForm, exc: InvalidInput) -> None:
    """The service's errors on the plan form: next to the field they name, else above the form
    with the path in front (a reused submission token: a plain sentence)."""

    def place(error: FieldError) -> tuple[str | None, str]:
        if error.field == "idempotency_key":
            return None, "This form was already sent with other values; open it again."
        if error.field in form.fields:
            return error.field, error.message
        return None, f"{error.field}: {error.message}"

    errors_onto(form, exc, place=place)


@capability_required(Capability.PLAN_COURSES)
@require_http_methods(["GET", "POST"])
@patient_view("course_plan")
def plan(request: HttpRequest, actor: Actor, patient: Patient, therapy_id: str) -> HttpResponse:
    protocols = protocols_for_therapy(therapy_id)
    if not protocols:
        raise Http404("no protocol delivers this therapy")
    key = PLAN_TOKEN.format(patient=patient.pk, therapy=therapy_id)
    if request.method == "GET":
        today = timezone.localdate()
        initial = {"protocol": protocols[0].id, "start": today}
        initial["submission_token"] = _token(request, key)
        form = PlanForm(initial=initial, protocols=protocols)
        shown = plan_course(protocols[0].id, today)
        return _plan_page(request, patient, therapy_id, form, protocols, shown)
    form = PlanForm(request.POST, protocols=protocols)
    preview = _preview(form, protocols)
    if preview is None or request.POST.get("action") != "create":
        status = 400 if preview is None else 200
        return _plan_page(request, patient, therapy_id, form, protocols, preview, status)
    try:
        with transaction.atomic():
            course = services.plan_course(
                patient=patient,
                protocol_id=form.cleaned_data["protocol"],
                start=form.cleaned_data["start"],
                by=actor,
                sessions=form.cleaned_data.get("sessions"),
                idempotency_key=form.key("form"),
            )
    except InvalidInput as exc:
        _form_errors(form, exc)
        return _plan_page(request, patient, therapy_id, form, protocols, None, 400)
    request.session.pop(key, None)
    messages.success(request, f"Course planned: {course.protocol_name}, from {course.start_date}.")
    return redirect("courses:detail", course_id=course.pk)


def _plan_page(
    request: HttpRequest,
    patient: Any,
    therapy_id: str,
    form: PlanForm,
    protocols: tuple[Protocol, ...],
    preview: CoursePlan | None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "patient": patient,
        "therapy_id": therapy_id,
        "form": form,
        "protocols": protocols,
        "preview": preview,
    }
    return render(request, "courses/plan.html", context, status=status)


def course_context(course: Course, now: Any) -> dict[str, Any]:
    protocol = protocol_of(course)
    stored = list(course.sessions.all().select_related("signed_by", "rems_report"))
    rows = present.session_rows(course.plan or {}, stored)
    reports = [present.rems_row(s.rems_report, now) for s in stored if hasattr(s, "rems_report")]
    return {
        "course": course,
        "patient": course.patient,
        "protocol": protocol,
        "rows": rows,
        "next": present.next_session(rows),
        "outcome": course.outcome or {},
        "outcome_words": present.outcome_words(course.outcome),
        "rems": reports,
        "measures": list((course.plan or {}).get("measures", [])),
    }


@capability_required(Capability.VIEW_PATIENTS)
@require_GET
def detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_course_for(by=actor_from_request(request), pk=course_id)
    context = course_context(course, timezone.now())
    return render(request, "courses/detail.html", context)


@capability_required(Capability.VIEW_PATIENTS)
@require_GET
def summary(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_course_for(
        by=actor_from_request(request), pk=course_id, object_type="course_summary"
    )
    context = summary_context(course, protocol_of(course), timezone.now())
    return render(request, "courses/summary.html", context)


@capability_required(Capability.PLAN_COURSES)
@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, course_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    course = get_course_for(by=actor, pk=course_id)
    form = EndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not course.is_ended and form.is_valid():
        try:
            with transaction.atomic():
                services.end_course(
                    course=course,
                    status=form.cleaned_data["status"],
                    by=actor,
                    reason=form.cleaned_data.get("reason") or "",
                )
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, "The course is ended.")
            return redirect("courses:detail", course_id=course.pk)
    if request.method == "POST" and course.is_ended:
        messages.info(request, "This course had already ended; nothing was changed.")
        return redirect("courses:detail", course_id=course.pk)
    status = 400 if form.is_bound else 200
    context = {"course": course, "patient": course.patient, "form": form}
    return render(request, "courses/end.html", context, status=status)
