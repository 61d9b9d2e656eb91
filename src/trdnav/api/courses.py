"""Treatment courses and their sessions (docs/courses.md):

``/api/v1/patients/{id}/courses`` (list, plan), ``/api/v1/courses/{id}`` (read),
``/api/v1/courses/{id}/end``, ``/api/v1/courses/{id}/sessions`` (list, record a draft),
``/api/v1/sessions/{id}/sign``, ``/amend`` and ``/rems`` (the REMS monitoring form).

Courses and sessions outside the caller's clinic answer 404. Values are checked by the
protocol (``trdnav.core.protocols``): an unknown field or a wrong type is 422 naming
``values.<field>``. Plans and session drafts take an ``idempotency_key``: the same key again
returns the stored record and stores nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime, ConfigDict, Strict

from trdnav.accounts.permissions import Capability, require_capability
from trdnav.api.course_out import course_out, session_out, sessions_with_history
from trdnav.api.patients import ERRORS, MAX_PAGE, ErrorOut
from trdnav.api.types import IsoDate
from trdnav.audit.services import actor_from_request
from trdnav.core.limits import MAX_CODE_LENGTH, MAX_OFFSET, MAX_SESSIONS
from trdnav.courses import services
from trdnav.courses.access import get_course_for, get_session_for
from trdnav.courses.checks import MAX_VALUE_FIELDS
from trdnav.courses.models import KEY_LENGTH, REASON_LENGTH
from trdnav.patients.access import get_patient_for

router = Router(tags=["courses"])
Key = Annotated[str, Field(min_length=1, max_length=KEY_LENGTH)]
Number = Annotated[int, Strict(), Field(ge=1, le=MAX_SESSIONS)]
Reason = Annotated[str, Field(max_length=REASON_LENGTH)]
Values = Annotated[dict[str, Any], Field(max_length=MAX_VALUE_FIELDS)]
Overrides = Annotated[dict[str, Reason], Field(max_length=MAX_VALUE_FIELDS)]


class CourseIn(Schema):
    """Plan ``protocol_id`` (``trdnav protocols`` lists them) from ``start``; ``sessions``
    changes the protocol's planned number; ``therapy_id`` is the option it delivers."""

    model_config = ConfigDict(extra="forbid")

    protocol_id: str = Field(min_length=1, max_length=MAX_CODE_LENGTH)
    start: IsoDate
    sessions: Number | None = None
    therapy_id: str | None = Field(None, min_length=1, max_length=MAX_CODE_LENGTH)
    idempotency_key: Key | None = None


class EndIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: Literal["completed", "stopped"]
    reason: Reason = Field("", description="Required when the course is stopped.")
    ended_on: IsoDate | None = Field(None, description="Default: today.")


class SessionIn(Schema):
    """``values``: the protocol's session fields (``trdnav protocols show ID``). Without
    ``number`` the next session is recorded; a draft with that number is saved again."""

    model_config = ConfigDict(extra="forbid")

    values: Values
    number: Number | None = None
    performed_at: AwareDatetime | None = None
    idempotency_key: Key | None = None


class SignIn(Schema):
    """``overrides``: each block rule to sign over, with its written reason."""

    model_config = ConfigDict(extra="forbid")

    overrides: Overrides = Field(default_factory=dict)


class AmendIn(Schema):
    """``values``: only the fields changed (null clears one); ``reason`` is required."""

    model_config = ConfigDict(extra="forbid")

    values: Values
    reason: Reason
    overrides: Overrides = Field(default_factory=dict)


class RemsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    fields: Values


class FindingOut(Schema):
    rule: str
    level: str
    field: str
    message: str
    source: str


class NotSignableOut(Schema):
    """422 from sign or amend. When blocks remain, ``findings`` lists them and ``errors`` name
    ``values.<field>`` (a required field, never overridable) or ``overrides.<rule>`` (a
    written reason is needed); other invalid input has ``errors`` only."""

    detail: str
    errors: list[dict[str, str]] = Field(default_factory=list)
    findings: list[FindingOut] = Field(default_factory=list)


class CourseOut(Schema):
    id: int
    patient_id: int
    protocol_id: str
    protocol_name: str
    therapy_id: str
    knowledge_version: str
    status: str
    start_date: date
    planned_sessions: int
    instrument: str
    baseline_assessment_id: int | None
    plan: dict[str, Any] = Field(..., description="The CoursePlan: sessions and measures.")
    outcome: dict[str, Any] | None
    ended_on: date | None
    stop_reason: str
    history_treatment_ref: str
    created_at: datetime
    sessions_signed: int


class CourseListOut(Schema):
    count: int
    items: list[CourseOut]


class SessionOut(Schema):
    """``findings`` is the protocol check at the last save (SessionCheck.to_dict())."""

    id: int
    course_id: int
    number: int
    scheduled_on: date | None
    performed_at: datetime | None
    state: str = Field(..., description="draft or signed")
    values: dict[str, Any]
    findings: dict[str, Any]
    recorded_by: str | None
    signed_by: str | None
    signed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    overrides: list[dict[str, Any]]
    amendments: list[dict[str, Any]]
    rems: dict[str, Any] | None


class SessionListOut(Schema):
    count: int
    items: list[SessionOut]


CONFLICT = {409: ErrorOut}


@router.get("/patients/{patient_id}/courses", response={200: CourseListOut, **ERRORS})
def list_courses(
    request: HttpRequest,
    patient_id: int,
    limit: int = Query(50, ge=1, le=MAX_PAGE),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=MAX_OFFSET),  # type: ignore[type-arg]
) -> dict[str, Any]:
    """The patient's courses, newest first."""
    require_capability(request.user, Capability.VIEW_PATIENTS)
    actor = actor_from_request(request, via="api")
    patient = get_patient_for(by=actor, pk=patient_id)
    rows = services.courses_of(patient=patient, by=actor)
    return {"count": rows.count(), "items": [course_out(c) for c in rows[offset : offset + limit]]}


@router.post("/patients/{patient_id}/courses", response={201: CourseOut, **ERRORS})
def plan(request: HttpRequest, patient_id: int, payload: CourseIn) -> Status[dict[str, Any]]:
    """Plan a course: its sessions and measure schedule (``plan``) come from the protocol."""
    require_capability(request.user, Capability.PLAN_COURSES)
    actor = actor_from_request(request, via="api")
    patient = get_patient_for(by=actor, pk=patient_id)
    course = services.plan_course(
        patient=patient,
        protocol_id=payload.protocol_id,
        start=payload.start,
        by=actor,
        sessions=payload.sessions,
        therapy_id=payload.therapy_id,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, course_out(course))


@router.get("/courses/{course_id}", response={200: CourseOut, **ERRORS})
def read_course(request: HttpRequest, course_id: int) -> dict[str, Any]:
    require_capability(request.user, Capability.VIEW_PATIENTS)
    actor = actor_from_request(request, via="api")
    return course_out(get_course_for(by=actor, pk=course_id))


@router.post("/courses/{course_id}/end", response={200: CourseOut, **ERRORS})
def end(request: HttpRequest, course_id: int, payload: EndIn) -> dict[str, Any]:
    """Mark the course completed or stopped (a stop needs a ``reason``)."""
    require_capability(request.user, Capability.PLAN_COURSES)
    actor = actor_from_request(request, via="api")
    course = get_course_for(by=actor, pk=course_id)
    ended = services.end_course(
        course=course, status=payload.status, by=actor, reason=payload.reason, on=payload.ended_on
    )
    return course_out(ended)


@router.get("/courses/{course_id}/sessions", response={200: SessionListOut, **ERRORS})
def list_sessions(request: HttpRequest, course_id: int) -> dict[str, Any]:
    """The course's sessions in order, with their overrides, amendments and REMS forms."""
    require_capability(request.user, Capability.VIEW_PATIENTS)
    actor = actor_from_request(request, via="api")
    course = get_course_for(by=actor, pk=course_id)
    rows = sessions_with_history(services.sessions_of(course=course, by=actor))
    return {"count": len(rows), "items": [session_out(s) for s in rows]}


@router.post("/courses/{course_id}/sessions", response={201: SessionOut, **ERRORS})
def record(request: HttpRequest, course_id: int, payload: SessionIn) -> Status[dict[str, Any]]:
    """Save a draft session; ``findings`` says what blocks or warns before signing."""
    require_capability(request.user, Capability.DOCUMENT_SESSIONS)
    actor = actor_from_request(request, via="api")
    course = get_course_for(by=actor, pk=course_id)
    session = services.record_session(
        course=course,
        values=payload.values,
        by=actor,
        number=payload.number,
        idempotency_key=payload.idempotency_key,
        performed_at=payload.performed_at,
    )
    return Status(201, session_out(session))


def _not_signable(error: services.SessionNotSignable) -> Status[dict[str, Any]]:
    return Status(
        422,
        {
            "detail": "the session cannot be signed while these blocks remain",
            "errors": [e.as_dict() for e in error.errors],
            "findings": list(error.findings),
        },
    )


@router.post(
    "/sessions/{session_id}/sign",
    response={200: SessionOut, **CONFLICT, **ERRORS, 422: NotSignableOut},
)
def sign(request: HttpRequest, session_id: int, payload: SignIn) -> Any:
    """Sign the draft. Blocks need ``overrides`` (rule → reason) and a role that may
    override (403 otherwise); a missing required field can never be overridden (422).
    A session already signed (by someone else meanwhile) is 409."""
    require_capability(request.user, Capability.DOCUMENT_SESSIONS)
    actor = actor_from_request(request, via="api")
    session = get_session_for(by=actor, pk=session_id)
    try:
        signed = services.sign_session(session=session, by=actor, overrides=payload.overrides)
    except services.SessionNotSignable as error:
        return _not_signable(error)
    except services.SessionAlreadySigned as error:
        return Status(409, {"detail": error.errors[0].message})
    return session_out(sessions_with_history([signed])[0])


@router.post(
    "/sessions/{session_id}/amend", response={201: SessionOut, **ERRORS, 422: NotSignableOut}
)
def amend(request: HttpRequest, session_id: int, payload: AmendIn) -> Any:
    """Amend a signed session with a ``reason``; the previous values are kept. A block the
    new values raise needs an override, as at signing."""
    require_capability(request.user, Capability.DOCUMENT_SESSIONS)
    actor = actor_from_request(request, via="api")
    session = get_session_for(by=actor, pk=session_id)
    try:
        services.amend_session(
            session=session,
            values=payload.values,
            reason=payload.reason,
            by=actor,
            overrides=payload.overrides,
        )
    except services.SessionNotSignable as error:
        return _not_signable(error)
    return Status(201, session_out(sessions_with_history([session])[0]))


@router.post("/sessions/{session_id}/rems", response={200: SessionOut, **ERRORS})
def submit_rems(request: HttpRequest, session_id: int, payload: RemsIn) -> dict[str, Any]:
    """Submit the session's REMS monitoring form (``fields`` as the rule lists them)."""
    require_capability(request.user, Capability.DOCUMENT_SESSIONS)
    actor = actor_from_request(request, via="api")
    session = get_session_for(by=actor, pk=session_id)
    services.submit_rems_report(session=session, fields=payload.fields, by=actor)
    return session_out(sessions_with_history([session])[0])
