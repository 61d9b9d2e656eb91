"""The session form (tablet-friendly, generated from the protocol's field specs) and signing
with written override reasons. Amending a signed session: ``amend_views``.

"Save draft" stores the values and shows the protocol check's findings; "Sign" stores them and
signs when no block remains (a block is lifted only by a written reason from a user whose role
may override: clinicians, and staff where the clinic allows). A missing required field can
never be overridden. A signed session is amended, never overwritten.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trdnav.accounts.permissions import Capability, capability_required, has_capability
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, actor_from_request, audit_patient
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.courses import fields, present, services
from trdnav.courses.access import get_course_for
from trdnav.courses.errors import SessionAlreadySigned, SessionNotSignable
from trdnav.courses.forms import SessionForm, SignForm
from trdnav.courses.models import Course, TreatmentSession
from trdnav.courses.views import protocol_of
from trdnav.patients.pages import errors_onto

MAX_NUMBER = 10_000
SESSION_TOKEN = "course-session-token-{course}-{number}"  # noqa: S105 (a session key name)
CLINICIAN_MUST_SIGN = (
    "A clinician must sign this session: a value is outside the protocol's limits, and your "
    "role cannot override it. The values are saved as a draft."
)


def load(request: HttpRequest, course_id: int, number: int) -> tuple[Actor, Course, Any]:
    """The course (scoped, audited) and its session ``number`` (None when not yet recorded).
    A number outside the plan and the recorded sessions is 404."""
    actor = actor_from_request(request)
    course = get_course_for(by=actor, pk=course_id)
    if not 0 < number <= MAX_NUMBER:  # a number no database column holds: missing, not a 500
        raise Http404("this course has no session with that number")
    session = course.sessions.filter(number=number).first()
    planned = {int(s["number"]) for s in (course.plan or {}).get("sessions", [])}
    if session is None and number not in planned:
        raise Http404("this course has no session with that number")
    if session is not None:
        audit_patient(actor, course.patient_id, Action.VIEW, "treatment_session", session)
    return actor, course, session


def specs_of(course: Course) -> tuple[Any, ...]:
    protocol = protocol_of(course)
    if protocol is None:
        raise Http404("this course's protocol is no longer in the knowledge base")
    return protocol.session_fields


def _token(request: HttpRequest, course: Course, number: int) -> str:
    key = SESSION_TOKEN.format(course=course.pk, number=number)
    token = request.session.get(key)
    if not isinstance(token, str) or not token:
        token = uuid.uuid4().hex
        request.session[key] = token
    return token


def _drop_token(request: HttpRequest, course: Course, number: int) -> None:
    request.session.pop(SESSION_TOKEN.format(course=course.pk, number=number), None)


def _page(
    request: HttpRequest,
    course: Course,
    number: int,
    session: TreatmentSession | None,
    form: SessionForm | None = None,
    sign_form: SignForm | None = None,
    status: int = 200,
    refused: str = "",
) -> HttpResponse:
    protocol = protocol_of(course)
    specs = protocol.session_fields if protocol else ()
    overrides = list(session.overrides.select_related("by")) if session else []
    found = present.findings(
        session.findings if session else None, protocol, [o.rule for o in overrides]
    )
    may_override = has_capability(request.user, Capability.OVERRIDE_SESSION_BLOCKS)
    rules = present.override_rules(found)
    if form is None and (session is None or not session.is_signed):
        initial = fields.initial_from(session.values if session else {}, specs)
        initial["submission_token"] = _token(request, course, number)
        form = SessionForm(initial=initial, specs=specs)
    if sign_form is None and may_override and rules:
        sign_form = SignForm(rules=rules)
    context = {
        "course": course,
        "patient": course.patient,
        "protocol": protocol,
        "number": number,
        "session": session,
        "form": form,
        "groups": fields.groups(form, specs, number, present.flagged(found)) if form else [],
        "findings": found,
        "blocks": present.blocks(found),
        "sign_form": sign_form,
        "may_override": may_override,
        "refused": refused,
        "values": present.value_rows(protocol, session.values) if protocol and session else [],
        "overrides": overrides,
        "messages_by_rule": {row["rule"]: row["message"] for row in found},
        "amendments": _amendments(protocol, session),
    }
    return render(request, "courses/session.html", context, status=status)


def _amendments(protocol: Any, session: TreatmentSession | None) -> list[dict[str, Any]]:
    if session is None:
        return []
    rows = session.amendments.select_related("by")
    return [{"amendment": a, "changes": present.changes(protocol, a)} for a in rows]


def _save_draft(
    request: HttpRequest, actor: Actor, course: Course, number: int, form: SessionForm
) -> TreatmentSession | None:
    """Validate and store the values as a draft (the protocol check runs in the service);
    None with the errors on the form when refused."""
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            return services.record_session(
                course=course,
                values=fields.values_from(form, form.specs),
                by=actor,
                number=number,
                idempotency_key=form.key(f"form-{number}"),
            )
    except SessionAlreadySigned:
        form.add_error(None, "This session was signed meanwhile; amend it with a reason.")
    except InvalidInput as exc:
        fields.put_field_errors(form, exc.errors)
    return None


@capability_required(Capability.DOCUMENT_SESSIONS)
@require_http_methods(["GET", "POST"])
def session_page(request: HttpRequest, course_id: int, number: int) -> HttpResponse:
    actor, course, session = load(request, course_id, number)
    if request.method == "GET":
        return _page(request, course, number, session)
    if session is not None and session.is_signed:
        messages.info(request, "This session is signed: amend it with a reason.")
        return redirect("courses:session", course_id=course.pk, number=number)
    form = SessionForm(request.POST, specs=specs_of(course))
    saved = _save_draft(request, actor, course, number, form)
    if saved is None:
        return _page(request, course, number, session, form=form, status=400)
    _drop_token(request, course, number)
    messages.success(request, f"Session {number} saved as a draft. Check the findings below.")
    return redirect("courses:session", course_id=course.pk, number=number)


@capability_required(Capability.DOCUMENT_SESSIONS)
@require_POST
def sign(request: HttpRequest, course_id: int, number: int) -> HttpResponse:
    """Store the form's values, then sign. Refused: the values stay saved as a draft and the
    page lists each block (with a reason field for users who may override)."""
    actor, course, session = load(request, course_id, number)
    if session is not None and session.is_signed:
        messages.info(request, "This session is already signed; nothing was changed.")
        return redirect("courses:session", course_id=course.pk, number=number)
    form = SessionForm(request.POST, specs=specs_of(course))
    saved = _save_draft(request, actor, course, number, form)
    if saved is None:
        return _page(request, course, number, session, form=form, status=400)
    _drop_token(request, course, number)
    found = present.findings(saved.findings, protocol_of(course))
    may_override = has_capability(request.user, Capability.OVERRIDE_SESSION_BLOCKS)
    rules = present.override_rules(found)
    sign_form = SignForm(request.POST, rules=rules if may_override else [])
    refused = _refusal(found, may_override, sign_form)
    if not refused:
        refused = _try_sign(actor, saved, sign_form)
    if refused:
        # The values are stored: the form shown again carries a new submission token.
        data = request.POST.copy()
        data["submission_token"] = _token(request, course, number)
        fresh = SessionForm(data, specs=specs_of(course))
        fresh.is_valid()
        return _page(request, course, number, saved, fresh, sign_form, 400, refused)
    messages.success(request, f"Session {number} signed.")
    return redirect("courses:session", course_id=course.pk, number=number)


def _refusal(found: list[dict[str, Any]], may_override: bool, sign_form: SignForm) -> str:
    if any(row["level"] == "block" and not row["overridable"] for row in found):
        return "Not signed: required fields are missing. The values are saved as a draft."
    if present.blocks(found) and not may_override:
        return CLINICIAN_MUST_SIGN
    if present.blocks(found) and not sign_form.is_valid():
        return "Not signed: give a written reason for each value outside the protocol's limits."
    return ""


def _try_sign(actor: Actor, session: TreatmentSession, sign_form: SignForm) -> str:
    overrides = sign_form.overrides() if sign_form.is_valid() else {}
    try:
        with transaction.atomic():
            services.sign_session(session=session, by=actor, overrides=overrides)
    except SessionNotSignable as exc:
        # Only the reasons the form asks for are placed; the refusal above lists every error.
        errors_onto(
            sign_form,
            [e for e in exc.errors if _override_field(e) in sign_form.fields],
            place=lambda error: (_override_field(error), error.message),
        )
        return "Not signed: " + "; ".join(e.message for e in exc.errors)
    except PermissionDenied:
        return CLINICIAN_MUST_SIGN
    except InvalidInput as exc:
        return "Not signed: " + "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
    return ""


def _override_field(error: FieldError) -> str:
    """The sign form's field for an error about an override reason (``overrides.<rule>``)."""
    return str(error.field).replace("overrides.", "override_")
