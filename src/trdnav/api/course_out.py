"""The JSON shapes of courses and sessions (shared by the API handlers)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch

from trdnav.courses.models import (
    Course,
    SessionAmendment,
    SessionOverride,
    SessionState,
    TreatmentSession,
)
from trdnav.courses.rems import state_of


def _username(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


def course_out(course: Course) -> dict[str, Any]:
    fields = (
        "id", "patient_id", "protocol_id", "protocol_name", "therapy_id", "knowledge_version",
        "status", "start_date", "planned_sessions", "instrument", "baseline_assessment_id",
        "plan", "outcome", "ended_on", "stop_reason", "history_treatment_ref", "created_at",
    )  # fmt: skip
    out = {name: getattr(course, name) for name in fields}
    out["sessions_signed"] = course.sessions.filter(state=SessionState.SIGNED).count()
    return out


def sessions_with_history(sessions: Iterable[TreatmentSession]) -> list[TreatmentSession]:
    """The sessions again, with overrides, amendments, REMS forms and signers loaded."""
    ids = [s.pk for s in sessions]
    rows = TreatmentSession.objects.filter(pk__in=ids).order_by("number")
    rows = rows.select_related("signed_by", "recorded_by", "rems_report")
    return list(
        rows.prefetch_related(
            Prefetch("overrides", SessionOverride.objects.select_related("by")),
            Prefetch("amendments", SessionAmendment.objects.select_related("by")),
        )
    )


def _override(row: SessionOverride) -> dict[str, Any]:
    return {
        "rule": row.rule,
        "reason": row.reason,
        "by": _username(row.by),
        "at": row.at,
        "amendment_id": row.amendment_id,
    }


def _amendment(row: SessionAmendment) -> dict[str, Any]:
    return {
        "id": row.pk,
        "reason": row.reason,
        "previous_values": row.previous_values,
        "new_values": row.new_values,
        "findings": row.findings,
        "by": _username(row.by),
        "at": row.at,
    }


def _rems(session: TreatmentSession) -> dict[str, Any] | None:
    report = getattr(session, "rems_report", None)
    if report is None:
        return None
    return {
        "rule_effective_from": report.rule_effective_from,
        "due_at": report.due_at,
        "state": str(state_of(report)),
        "submitted_at": report.submitted_at,
        "submitted_by": _username(report.submitted_by),
        "fields": report.fields,
    }


def session_out(session: TreatmentSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "course_id": session.course_id,
        "number": session.number,
        "scheduled_on": session.scheduled_on,
        "performed_at": session.performed_at,
        "state": session.state,
        "values": session.values,
        "findings": session.findings,
        "recorded_by": _username(session.recorded_by),
        "signed_by": _username(session.signed_by),
        "signed_at": session.signed_at,
        "created_at": session.created_at,
        "updated_at": session.updated_at,
        "overrides": [_override(o) for o in session.overrides.all()],
        "amendments": [_amendment(a) for a in session.amendments.all()],
        "rems": _rems(session),
    }
