"""Refused reads are audited too: a look at a record outside one's scope leaves a trace.

A page that refuses raises ``RefusedRead`` (a 404) or ``RefusedRole`` (a 403) carrying the
events to record. Because pages run in one transaction per request (ATOMIC_REQUESTS), an event
written before the exception would be rolled back with it; ``AuditRefusalsMiddleware`` writes
the events after that rollback. The API answers refusals inside its own view (the transaction
commits), so the events recorded there stand and the middleware never sees the exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse

from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor, record_event


@dataclass
class _Pending:
    events: list[dict[str, Any]] = field(default_factory=list)
    stored: list[tuple[int, str]] = field(default_factory=list)

    def record(self) -> None:
        """Write the events unless they are already stored (the API path kept them). Compared
        by id and hash: SQLite may hand a rolled-back id to another row."""
        kept = [AuditEvent.objects.filter(pk=pk, hash=h).exists() for pk, h in self.stored]
        if self.stored and all(kept):
            return
        with transaction.atomic():
            written = [record_event(**event) for event in self.events]
        self.stored = [(event.pk, event.hash) for event in written]


def refusal_events(
    by: Actor,
    *,
    object_type: str,
    object_id: object,
    summary: str,
    owner_clinic_id: int | None = None,
    patient_id: int | None = None,
) -> _Pending:
    """Record the refusal now (kept when the request commits) and return it for the middleware.

    One event goes to the actor's clinic. When the record exists in another clinic, a second
    event goes to that clinic's trail, so its administrator sees who probed it."""
    events = [
        {"by": by, "action": Action.REFUSED, "object_type": object_type,
         "object_id": str(object_id)[:64], "summary": summary},
    ]  # fmt: skip
    if owner_clinic_id is not None and owner_clinic_id != getattr(by.clinic, "pk", None):
        from trdnav.accounts.models import Clinic

        owner = Clinic.objects.filter(pk=owner_clinic_id).first()
        if owner is not None:
            events.append(
                {"by": Actor(user=by.user, clinic=owner, ip_address=by.ip_address,
                             user_agent=by.user_agent, via=by.via),
                 "action": Action.REFUSED, "object_type": object_type,
                 "object_id": str(object_id)[:64], "patient_id": patient_id,
                 "summary": "refused: outside the requester's clinic"}
            )  # fmt: skip
    pending = _Pending(events=events)
    pending.record()
    return pending


class RefusedRead(Http404):
    """404 for a record outside the user's scope; carries the audit events."""

    def __init__(self, message: str, pending: _Pending) -> None:
        super().__init__(message)
        self.pending = pending


class RefusedRole(PermissionDenied):
    """403 for a role that may not use this page; carries the audit events."""

    def __init__(self, message: str, pending: _Pending) -> None:
        super().__init__(message)
        self.pending = pending


class AuditRefusalsMiddleware:
    """Writes refusal events that the request's rolled-back transaction took with it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        pending = getattr(exception, "pending", None)
        if isinstance(pending, _Pending):
            pending.record()
