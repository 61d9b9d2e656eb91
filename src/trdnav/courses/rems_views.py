"""The clinic's REMS task list (due, overdue, submitted, each with its deadline) and the
monitoring-form submission. The form's fields and the deadline come from the REMS rule in
force on the session's day (knowledge-base data with an effective date, never code)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from trdnav.accounts.permissions import Capability, capability_required
from trdnav.audit.services import actor_from_request
from trdnav.core.errors import InvalidInput
from trdnav.core.protocols import RemsRule, rems_prefill
from trdnav.courses import fields, present, services
from trdnav.courses.access import get_session_for
from trdnav.courses.forms import RemsForm
from trdnav.courses.models import RemsReport
from trdnav.courses.rems import rule_of

LIST_LIMIT = 200
DONE_SHOWN = 50
STATE_ORDER = {"overdue": 0, "due": 1, "submitted": 2}


@capability_required(Capability.DOCUMENT_SESSIONS)
@require_GET
def rems_list(request: HttpRequest) -> HttpResponse:
    """Open forms first (overdue, then due, by deadline), then the latest submitted ones. The
    service records the view with the patients shown."""
    now = timezone.now()
    tasks = services.rems_tasks(by=actor_from_request(request), include_submitted=True, now=now)
    rows = [present.rems_row(task.report, now) for task in tasks]
    open_rows = [r for r in rows if r["state"] != "submitted"]
    done = sorted(
        (r for r in rows if r["state"] == "submitted"),
        key=lambda r: r["report"].submitted_at,
        reverse=True,
    )
    open_rows.sort(key=lambda r: (STATE_ORDER[r["state"]], r["report"].due_at))
    shown = (open_rows + done[:DONE_SHOWN])[:LIST_LIMIT]
    return render(request, "courses/rems_list.html", {"rows": shown, "now": now})


@capability_required(Capability.DOCUMENT_SESSIONS)
@require_http_methods(["GET", "POST"])
def rems_submit(request: HttpRequest, session_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    session = get_session_for(by=actor, pk=session_id, object_type="rems_report")
    report = getattr(session, "rems_report", None)
    if report is None:
        raise Http404("no REMS monitoring form is due for this session")
    rule = rule_of(report)
    specs = rule.form_fields if rule is not None else ()
    if report.submitted_at is not None:
        if request.method == "POST":
            messages.info(request, "This form was already submitted; nothing new was stored.")
        return _page(request, report, rule, None)
    if request.method == "GET":
        # The answers the session record already holds are filled in; the nurse checks them.
        known = rems_prefill(session.values, rule) if rule is not None else {}
        form = RemsForm(initial=fields.initial_from(known, specs), specs=specs)
        return _page(request, report, rule, form)
    form = RemsForm(request.POST, specs=specs)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.submit_rems_report(
                    session=session, fields=fields.values_from(form, specs), by=actor
                )
        except InvalidInput as exc:
            fields.put_field_errors(form, exc.errors)
        else:
            messages.success(request, "REMS monitoring form submitted.")
            return redirect("courses:rems")
    return _page(request, report, rule, form, 400)


def _page(
    request: HttpRequest,
    report: RemsReport,
    rule: RemsRule | None,
    form: RemsForm | None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "report": report,
        "row": present.rems_row(report, timezone.now()),
        "session": report.session,
        "course": report.session.course,
        "patient": report.session.course.patient,
        "rule": rule,
        "form": form,
        "groups": fields.groups(form, form.specs) if form is not None else [],
        "submitted": [
            {"label": spec.label, "text": present.in_words(report.fields.get(spec.name))}
            for spec in (rule.form_fields if rule else ())
        ],
    }
    return render(request, "courses/rems_submit.html", context, status=status)
