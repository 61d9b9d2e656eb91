from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from trdnav.accounts.permissions import Capability, capability_required, has_capability
from trdnav.audit.models import Action
from trdnav.audit.services import actor_from_request, record_event
from trdnav.courses.access import get_course_for
from trdnav.courses.loop import course_outcome_for
from trdnav.courses.loop.alerts import acknowledge_checkpoint as acknowledge
from trdnav.dashboard.filters import (
    SHOW,
    TREATMENT,
    Criteria,
    filter_rows,
    open_safety_of,
    stages_among,
)
from trdnav.dashboard.pagination import page_query, paginate
from trdnav.dashboard.services import dashboard_rows, with_sparklines


@capability_required(Capability.VIEW_PATIENTS)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # Sorted (most urgent first) and filtered over the whole clinic, then sliced: page 1 is
    # always the most urgent. Only the page's rows get sparklines and are rendered.
    every = dashboard_rows(user=request.user)
    criteria = Criteria.from_query(request.GET)
    page = paginate(filter_rows(every, criteria), request.GET.get("page"))
    rows = with_sparklines(page.rows)
    record_event(
        by=actor_from_request(request),
        action=Action.VIEW,
        object_type="dashboard",
        shown=[row.patient.pk for row in rows],
    )
    context = {
        "rows": rows,
        "page": page,
        "previous_query": page_query(criteria, page.number - 1) if page.has_previous else "",
        "next_query": page_query(criteria, page.number + 1) if page.has_next else "",
        "needing_attention": sum(1 for row in every if row.needs_attention),
        "total": len(every),
        "criteria": criteria,
        "show_choices": SHOW,
        "treatment_choices": TREATMENT,
        "stages": stages_among(every),
        "open_safety": open_safety_of(every),
        "can_review": has_capability(request.user, Capability.REVIEW_SAFETY),
        "due_days": settings.TRDNAV_MEASURES_DUE_DAYS,
    }
    return render(request, "dashboard/home.html", context)


@capability_required(Capability.PLAN_COURSES)
@require_POST
def acknowledge_checkpoint(request: HttpRequest, course_id: int, rule: str) -> HttpResponse:
    """Acknowledge one checkpoint alert of a course of the user's clinic (404 otherwise, the
    refusal audited as for every course page; 404 too for a rule the course does not raise
    today)."""
    actor = actor_from_request(request)
    course = get_course_for(by=actor, pk=course_id)
    outcome = course_outcome_for(course, timezone.localdate())
    if outcome is None or rule not in {str(a.rule) for a in outcome.alerts}:
        raise Http404("this course raises no such alert")
    acknowledge(course=course, rule=rule, by=actor)
    return redirect("dashboard:home")
