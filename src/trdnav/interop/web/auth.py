"""Who is calling a FHIR route, what their role allows, and which patients they may reach.

Reusable by every route under ``/fhir/R4/`` (read, search, create, bulk export):

- ``authenticate(request)``: the ``Authorization: Bearer trd_…`` token of the API tokens page
  (``trdnav.accounts.tokens.user_for_token``) → an audit ``Actor`` with ``via = "fhir"``.
  No token, a revoked or unknown one, or a patient's: **401** with ``WWW-Authenticate``. A
  browser session is not accepted here (no CSRF to check on a FHIR client's POST).
- ``require(actor, capability)``: the role's capability (docs/access-control.md) or **403**.
- ``clinic_patients(actor)``: the clinic's patients (every query starts from it).
- ``scoped_patient(actor, id, object_type)``: one patient through
  ``trdnav.patients.access.get_patient_for`` (the read is audited); another clinic's patient,
  or an id that is no patient, is **404** (its existence does not leak) and the refusal is
  audited.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from trdnav.accounts.permissions import Capability, has_capability, membership_of
from trdnav.accounts.tokens import user_for_token
from trdnav.audit.refusals import RefusedRead, RefusedRole
from trdnav.audit.services import Actor, actor_from_request
from trdnav.interop.web.responses import FhirError
from trdnav.patients.access import get_patient_for, visible_patients
from trdnav.patients.models import Patient

VIA = "fhir"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="fhir"'}


def authenticate(request: HttpRequest) -> Actor:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise FhirError(401, "send Authorization: Bearer <API token>", headers=_CHALLENGE)
    user = user_for_token(token.strip())
    if user is None:
        raise FhirError(401, "the token is unknown, revoked or not allowed", headers=_CHALLENGE)
    request.user = user
    return actor_from_request(request, via=VIA)


def require(actor: Actor, capability: Capability) -> None:
    if membership_of(actor.user) is None or not has_capability(actor.user, capability):
        raise FhirError(403, f"your role may not do this ({capability.value})")


def clinic_patients(actor: Actor) -> QuerySet[Patient]:
    return visible_patients(actor.user).select_related("clinic")


def scoped_patient(
    actor: Actor, patient_id: object, object_type: str, expression: str = "patient"
) -> Patient:
    """The patient (a ``view`` is audited), or 404 / 403 with the refusal audited."""
    try:
        return get_patient_for(by=actor, pk=patient_id, object_type=object_type)
    except RefusedRead as refused:
        raise FhirError(404, f"no Patient/{patient_id} here", expression) from refused
    except RefusedRole as refused:  # pragma: no cover - a patient's token never authenticates
        raise FhirError(403, "patients use the portal") from refused
