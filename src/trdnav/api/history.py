"""``/api/v1/patients/{id}/history`` (read and replace the treatment-history document) and
``/api/v1/patients/{id}/staging`` (what the history engine concludes from it).

GET and PUT answer with an ``ETag``: the document's revision as a strong entity tag. A PUT with
``If-Match`` replaces the document only if it is still that revision (checked atomically by
``save_history``); otherwise 412 with the current revision, nothing stored. A PUT without
``If-Match`` is accepted (last write wins), as before; see docs/history-schema.md."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Body, Router, Schema, Status
from ninja.errors import HttpError

from trdnav.accounts.permissions import Capability, require_capability
from trdnav.api.patients import ERRORS
from trdnav.api.types import IsoDate
from trdnav.audit.services import actor_from_request
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.services import profile_of
from trdnav.core.history.assess import choose_profile
from trdnav.history.document import revision
from trdnav.history.services import StaleRevision, save_history
from trdnav.history.snapshots import staging_for
from trdnav.patients.access import get_patient_for

router = Router(tags=["history"])
# The whole request body is the history document (or null).
DOCUMENT = Body(...)  # type: ignore[type-arg]


class HistoryOut(Schema):
    patient_id: int
    history: dict[str, Any] | None
    knowledge_version: str


class StaleOut(Schema):
    """412: the document changed since the revision named in ``If-Match``."""

    detail: str
    current_revision: str


class StagingOut(Schema):
    """``assessment`` is exactly what ``trdnav stage`` prints (null without a history);
    ``snapshot`` is the latest stored record of it, ``knowledge_changed`` says the knowledge
    base changed since that record was stored (the new result has then been stored)."""

    patient_id: int
    profile: str
    assessment: dict[str, Any] | None
    knowledge_changed: bool
    previous_knowledge_version: str | None
    snapshot: dict[str, Any] | None


def _out(profile: ClinicalProfile, patient_id: int) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "history": profile.history,
        "knowledge_version": profile.knowledge_version,
    }


def etag(history: dict[str, Any] | None) -> str:
    """The document's revision as a strong entity tag."""
    return f'"{revision(history)}"'


def if_match(header: str | None) -> tuple[str, ...] | None:
    """The revisions an ``If-Match`` header accepts; None for no header or ``*`` (any).
    Strong comparison: a weak tag (``W/"..."``) matches nothing."""
    if header is None or header.strip() == "*":
        return None
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if not tags:
        raise HttpError(400, "If-Match must name an entity tag")
    return tuple(
        tag[1:-1] for tag in tags if len(tag) >= 2 and tag.startswith('"') and tag.endswith('"')
    )


@router.get("/patients/{patient_id}/history", response={200: HistoryOut, **ERRORS})
def read_history(request: HttpRequest, patient_id: int, response: HttpResponse) -> dict[str, Any]:
    require_capability(request.user, Capability.VIEW_PATIENTS)
    actor = actor_from_request(request, via="api")
    patient = get_patient_for(by=actor, pk=patient_id, object_type="treatment_history")
    profile = profile_of(patient)
    response["ETag"] = etag(profile.history)
    return _out(profile, patient.pk)


@router.put("/patients/{patient_id}/history", response={200: HistoryOut, 412: StaleOut, **ERRORS})
def replace_history(
    request: HttpRequest,
    patient_id: int,
    response: HttpResponse,
    history: dict[str, Any] | None = DOCUMENT,
) -> Any:
    """Replace the whole document (docs/history-schema.md); ``null`` removes it. Refused
    input: 422 with paths such as ``treatments[2].doses[0].mg_per_day``, nothing stored.
    With ``If-Match: "<revision>"`` (the ``ETag`` of a GET): 412 naming the current revision
    when the document changed meanwhile, nothing stored."""
    require_capability(request.user, Capability.EDIT_HISTORY)
    actor = actor_from_request(request, via="api")
    patient = get_patient_for(by=actor, pk=patient_id, object_type="treatment_history")
    expected = if_match(request.headers.get("If-Match"))
    try:
        profile = save_history(
            patient=patient,
            history=history,
            by=actor,
            as_of=timezone.localdate(),
            summary="history replaced",
            expected_revision=expected,
        )
    except StaleRevision as stale:
        response["ETag"] = f'"{stale.current}"'
        detail = "the history was changed since the revision in If-Match; read it again"
        return Status(412, {"detail": detail, "current_revision": stale.current})
    response["ETag"] = etag(profile.history)
    return _out(profile, patient.pk)


@router.get("/patients/{patient_id}/staging", response={200: StagingOut, **ERRORS})
def staging(
    request: HttpRequest, patient_id: int, profile: str = "", as_of: IsoDate | None = None
) -> dict[str, Any]:
    """Trial adequacy, TRD status under each definition and every staging model for the
    stored history, under ``profile`` (default ``usual_minimum``) as of ``as_of`` (today)."""
    require_capability(request.user, Capability.VIEW_PATIENTS)
    actor = actor_from_request(request, via="api")
    patient = get_patient_for(by=actor, pk=patient_id, object_type="staging")
    chosen = choose_profile(profile or None).name  # UnknownCode: 422 naming "profile"
    history = profile_of(patient).history
    empty = {"knowledge_changed": False, "previous_knowledge_version": None, "snapshot": None}
    if history is None:
        return {"patient_id": patient.pk, "profile": chosen, "assessment": None, **empty}
    day = as_of or timezone.localdate()
    result = staging_for(patient=patient, history=history, as_of=day, by=actor, profile=chosen)
    return {
        "patient_id": patient.pk,
        "profile": chosen,
        "assessment": result.result,
        **result.meta(),
    }
