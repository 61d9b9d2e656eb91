"""The HTTP endpoints of the CDS Hooks service (JSON in, JSON out; no session, no CSRF).

- ``GET /cds-services``: discovery; public, it holds no patient data (P-CDS1).
- ``POST /cds-services/<id>``: the service; 401 without a valid EHR JWT, 400 naming each bad
  field, 412 when required FHIR data cannot be had, 200 with ``{"cards": [...]}``.
- ``POST /cds-services/<id>/feedback``: the feedback; the same authentication.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from trdnav.accounts.models import Clinic
from trdnav.audit.services import USER_AGENT_LENGTH, Actor, client_ip
from trdnav.cds.auth import AuthError, Caller, authenticate
from trdnav.cds.feedback import store_feedback
from trdnav.cds.hook_request import HOOK, parse_hook_request
from trdnav.cds.issuers import service_base_url
from trdnav.cds.prefetch import TEMPLATES, Unavailable
from trdnav.cds.service import SERVICE_ID, caller_clinic, patient_view
from trdnav.core.errors import InvalidInput

MAX_BODY_BYTES = 5 * 1024 * 1024
DESCRIPTION = (
    "TRD status and stage with their basis, the next-step options the engine ranks highest "
    "(with reasons and evidence links), and safety alerts, from the patient's treatment "
    "history and questionnaire scores in TRD Navigator's FHIR profile."
)


def discovery_document() -> dict[str, Any]:
    service = {
        "hook": HOOK,
        "id": SERVICE_ID,
        "title": "TRD Navigator: treatment-resistant depression",
        "description": DESCRIPTION,
        "prefetch": dict(TEMPLATES),
    }
    return {"services": [service]}


def _error(status: int, message: str, **extra: Any) -> JsonResponse:
    response = JsonResponse({"error": message, **extra}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="cds-services"'
    return response


def _invalid(exc: InvalidInput) -> JsonResponse:
    errors = [{"field": e.field, "message": e.message} for e in exc.errors]
    return _error(400, "the request is not valid", errors=errors)


def _body(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY_BYTES:
        raise InvalidInput.single("body", f"must be at most {MAX_BODY_BYTES} bytes")
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput.single("body", "must be JSON") from None


def _caller(request: HttpRequest) -> Caller:
    audience = service_base_url() + request.path.rstrip("/")
    return authenticate(request.headers.get("Authorization", ""), audience=audience)


def _actor(request: HttpRequest, caller: Caller, clinic: Any) -> Actor:
    return Actor(
        user=None,
        clinic=clinic,
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH],
        via="cds",
    )


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    return JsonResponse(discovery_document())


def _unknown_service(service_id: str) -> JsonResponse:
    return _error(404, f"no CDS service {service_id!r}; known: {SERVICE_ID}")


def _authorised_caller(
    request: HttpRequest, service_id: str
) -> tuple[Caller, Clinic] | JsonResponse:
    """The calling EHR and its clinic, or the error answer (404 service, 401 JWT, 403 clinic)."""
    if service_id != SERVICE_ID:
        return _unknown_service(service_id)
    try:
        caller = _caller(request)
    except AuthError as exc:
        return _error(401, str(exc))
    clinic = caller_clinic(caller.issuer)
    if clinic is None:
        return _error(403, "the issuer's configured clinic does not exist")
    return caller, clinic


@csrf_exempt
@require_POST
def service(request: HttpRequest, service_id: str) -> JsonResponse:
    checked = _authorised_caller(request, service_id)
    if isinstance(checked, JsonResponse):
        return checked
    caller, clinic = checked
    try:
        hook = parse_hook_request(_body(request), https_only=settings.IS_PRODUCTION)
        answer = patient_view(
            hook, issuer=caller.issuer, clinic=clinic, actor=_actor(request, caller, clinic),
            base=service_base_url(), as_of=timezone.localdate(),
        )  # fmt: skip
    except InvalidInput as exc:
        return _invalid(exc)
    except Unavailable as exc:
        return _error(412, "required FHIR data could not be obtained", missing=exc.missing)
    return JsonResponse({"cards": answer.cards})


@csrf_exempt
@require_POST
def feedback(request: HttpRequest, service_id: str) -> JsonResponse:
    checked = _authorised_caller(request, service_id)
    if isinstance(checked, JsonResponse):
        return checked
    caller, clinic = checked
    try:
        stored = store_feedback(
            _body(request), clinic=clinic, issuer=caller.issuer.iss, service=service_id,
            by=_actor(request, caller, clinic), now=timezone.now(),
        )  # fmt: skip
    except InvalidInput as exc:
        return _invalid(exc)
    return JsonResponse({"stored": stored})
