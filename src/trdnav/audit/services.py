"""Recording audit events. Every read or write of patient data goes through ``record_event``;
an event about one patient's record through ``audit_patient``, which fills in the patient and
the object from the rows themselves."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trdnav.audit.models import Action, AuditEvent

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

    from trdnav.accounts.models import Clinic, User

USER_AGENT_LENGTH = 300
SUMMARY_LENGTH = 200


@dataclass(frozen=True)
class Actor:
    """Who is acting and from where: passed to every service that reads or writes records."""

    user: User | None
    clinic: Clinic | None = None
    ip_address: str | None = None
    user_agent: str = ""
    via: str = "system"


def client_ip(request: HttpRequest) -> str | None:
    """The peer address. Behind a proxy, configure the proxy to set REMOTE_ADDR (see docs)."""
    return request.META.get("REMOTE_ADDR") or None


def actor_from_request(request: HttpRequest, *, via: str = "page") -> Actor:
    user: Any = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    membership = getattr(user, "membership", None) if user is not None else None
    return Actor(
        user=user,
        clinic=membership.clinic if membership is not None else None,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
        via=via,
    )


def record_event(
    *,
    by: Actor,
    action: Action,
    object_type: str = "",
    object_id: object = "",
    patient_id: int | None = None,
    summary: str = "",
    shown: Iterable[int] = (),
) -> AuditEvent:
    """Append one event. ``summary`` must not contain patient data (names, answers, notes).
    ``shown``: for lists and searches, the ids of the patients the page or response showed."""
    return AuditEvent.objects.create(
        actor=by.user,
        actor_username=by.user.get_username() if by.user is not None else "",
        clinic=by.clinic,
        patient_id=patient_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        ip_address=by.ip_address,
        user_agent=by.user_agent,
        via=by.via,
        summary=summary[:SUMMARY_LENGTH],
        shown_patient_ids=",".join(str(int(pk)) for pk in shown),
    )


def audit_patient(
    by: Actor,
    patient: Model | int,
    action: Action,
    object_type: str,
    obj: Model | int | None = None,
    *,
    summary: str = "",
) -> AuditEvent:
    """Record one event about one patient's record: the one way services and pages do it.

    ``patient`` is the patient (or their id); ``obj`` is the row acted on, or its id (the
    patient themself for an event about the record as a whole); no ``obj`` leaves the object id
    empty. ``summary`` must not contain patient data."""
    return record_event(
        by=by,
        action=action,
        object_type=object_type,
        object_id=_pk(obj) if obj is not None else "",
        patient_id=_pk(patient),
        summary=summary,
    )


def _pk(row: Model | int) -> int:
    return row if isinstance(row, int) else int(row.pk)
