"""The patient's course calendar in the portal: each course's upcoming and past sessions and
"what to expect next" from the knowledge base's plain-language text for the therapy
(``therapy_card(..., audience="patient")``, verified statements only).

No clinical internals: no values, findings, overrides or amendments; a session is "done" once
signed, otherwise it is shown on its planned day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from trdnav.audit.services import Actor
from trdnav.courses import present
from trdnav.courses.models import Course
from trdnav.patients.models import Patient
from trdnav.patients.pages import patient_view
from trdnav.portal.therapies import patient_card
from trdnav.portal.views.common import render_portal

STATUS_WORDS = {
    "planned": "planned",
    "active": "under way",
    "completed": "completed",
    "stopped": "stopped",
}


def calendar(course: Course, today: date) -> dict[str, Any]:
    rows = present.session_rows(course.plan or {}, list(course.sessions.all()))
    done = [r for r in rows if r["state"] == "signed"]
    upcoming = [] if course.is_ended else [r for r in rows if r["state"] != "signed"]
    return {
        "course": course,
        "status_words": STATUS_WORDS.get(course.status, course.status),
        "done": [{"number": r["number"], "on": _done_on(r)} for r in done],
        "upcoming": [
            {"number": r["number"], "on": r["on"], "late": r["on"] is not None and r["on"] < today}
            for r in upcoming
        ],
        "next": next((r for r in upcoming if r["on"] is None or r["on"] >= today), None),
        "card": patient_card(course.therapy_id) if course.therapy_id else None,
        "measures": [
            m
            for m in (course.plan or {}).get("measures", [])
            if m.get("respondent") == "patient" and str(m.get("on", "")) >= today.isoformat()
        ],
    }


def _done_on(row: dict[str, Any]) -> date | None:
    session = row["session"]
    if session is not None and session.performed_at is not None:
        return timezone.localdate(session.performed_at)
    planned: date | None = row["on"]
    return planned


@login_required
@require_GET
@patient_view("portal_courses", own=True)
def my_courses(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    today = timezone.localdate()
    courses = Course.objects.filter(patient=patient).prefetch_related("sessions")
    context = {"courses": [calendar(c, today) for c in courses], "today": today}
    return render_portal(request, "courses/portal_courses.html", context, patient=patient)
