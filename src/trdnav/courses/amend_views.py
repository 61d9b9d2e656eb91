"""Amending a signed session: the changed values with a reason (the earlier values are kept;
the history is shown on the session page). New values outside the protocol's limits need a
written override reason, like a signature."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trdnav.accounts.permissions import Capability, capability_required, has_capability
from trdnav.core.errors import InvalidInput
from trdnav.courses import fields, present, services
from trdnav.courses.errors import SessionNotSignable
from trdnav.courses.forms import AmendForm, SignForm
from trdnav.courses.models import Course, TreatmentSession
from trdnav.courses.session_views import CLINICIAN_MUST_SIGN, load, specs_of


def _changed(form: AmendForm, stored: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that differ from the signed values (None clears a field)."""
    wanted = {
        spec.name: fields.stored_value(spec, form.cleaned_data.get(fields.form_name(spec.name)))
        for spec in form.specs
    }
    return {name: value for name, value in wanted.items() if stored.get(name) != value}


@capability_required(Capability.DOCUMENT_SESSIONS)
@require_http_methods(["GET", "POST"])
def amend(request: HttpRequest, course_id: int, number: int) -> HttpResponse:
    """Amend a signed session with a reason. New values outside the protocol's limits need a
    written override reason, like a signature."""
    actor, course, session = load(request, course_id, number)
    if session is None or not session.is_signed:
        messages.info(request, "Only a signed session is amended; change the draft instead.")
        return redirect("courses:session", course_id=course.pk, number=number)
    specs = specs_of(course)
    if request.method == "GET":
        form = AmendForm(initial=fields.initial_from(session.values, specs), specs=specs)
        return _amend_page(request, course, session, form)
    form = AmendForm(request.POST, specs=specs)
    rules = [(k.removeprefix("override_"), "") for k in request.POST if k.startswith("override_")]
    sign_form = SignForm(request.POST, rules=rules) if rules else None
    refused = ""
    if form.is_valid() and not _changed(form, dict(session.values)):
        # Nothing differs from the signed values (a repeated submission, or no edit).
        messages.info(request, "No value differs from the signed session; nothing was stored.")
        return redirect("courses:session", course_id=course.pk, number=number)
    if form.is_valid():
        overrides = sign_form.overrides() if sign_form and sign_form.is_valid() else {}
        try:
            with transaction.atomic():
                services.amend_session(
                    session=session,
                    values=_changed(form, dict(session.values)),
                    reason=form.cleaned_data["reason"],
                    by=actor,
                    overrides=overrides,
                )
        except SessionNotSignable as exc:
            refused, sign_form = _amend_blocks(request, exc)
        except PermissionDenied:
            refused = CLINICIAN_MUST_SIGN.replace("sign this session", "make this amendment")
        except InvalidInput as exc:
            fields.put_field_errors(form, [e for e in exc.errors if e.field != "reason"])
            if any(e.field == "reason" for e in exc.errors):
                form.add_error("reason", "Give the reason for the amendment.")
        else:
            messages.success(request, f"Session {number} amended; the earlier values are kept.")
            return redirect("courses:session", course_id=course.pk, number=number)
    return _amend_page(request, course, session, form, 400, sign_form, refused)


def _amend_blocks(request: HttpRequest, exc: SessionNotSignable) -> tuple[str, SignForm | None]:
    """The blocks the amended values raise: reason fields for a user who may override."""
    if any(str(f.get("rule")) in present.NOT_OVERRIDABLE for f in exc.findings):
        return "Not amended: a required field would be empty.", None
    if not has_capability(request.user, Capability.OVERRIDE_SESSION_BLOCKS):
        return CLINICIAN_MUST_SIGN.replace("sign this session", "make this amendment"), None
    rules = list({str(f["rule"]): str(f["message"]) for f in exc.findings}.items())
    return "Not amended: give a written reason for each value outside the limits.", SignForm(
        rules=rules
    )


def _amend_page(
    request: HttpRequest,
    course: Course,
    session: TreatmentSession,
    form: AmendForm,
    status: int = 200,
    sign_form: SignForm | None = None,
    refused: str = "",
) -> HttpResponse:
    context = {
        "course": course,
        "patient": course.patient,
        "session": session,
        "form": form,
        "groups": fields.groups(form, form.specs, session.number),
        "sign_form": sign_form,
        "refused": refused,
    }
    return render(request, "courses/amend.html", context, status=status)
