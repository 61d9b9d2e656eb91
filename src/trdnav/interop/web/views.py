"""Read, search, create and ``metadata``: each view authenticates, checks the role, scopes to
the clinic, audits and answers ``application/fhir+json``; every failure is an OperationOutcome.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from trdnav.accounts.permissions import Capability
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, record_event
from trdnav.core.errors import InvalidInput
from trdnav.core.jsonin import load_json
from trdnav.interop.base import Resource
from trdnav.interop.web import search as searching
from trdnav.interop.web.auth import authenticate, clinic_patients, require, scoped_patient
from trdnav.interop.web.responses import FHIR_JSON, FhirError, error_response, fhir_response
from trdnav.interop.web.types import TYPES, TypeSpec

View = Callable[..., HttpResponse]
_ACCEPTED_BODIES = (FHIR_JSON, "application/json")


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir/R4").rstrip("/")


def fhir_view(methods: tuple[str, ...]) -> Callable[[View], View]:
    """Allowed methods (others: 405 with ``Allow``), every error as an OperationOutcome, and
    the audit of refusals kept even when the work inside rolled back."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    allow = ", ".join(methods)
                    raise FhirError(405, f"allowed here: {allow}", headers={"Allow": allow})
                return view(request, *args, **kwargs)
            except FhirError as error:
                pending = getattr(error.__cause__, "pending", None)
                if pending is not None:
                    pending.record()
                return error_response(error)
            except InvalidInput as invalid:  # pragma: no cover - services' errors are mapped
                return error_response(FhirError(422, "invalid", errors=invalid.errors))

        return wrapped

    return decorate


def _spec(resource_type: str) -> TypeSpec:
    spec = TYPES.get(resource_type)
    if spec is None:
        known = ", ".join(TYPES)
        raise FhirError(404, f"resource types served here: {known}", "resourceType")
    return spec


@fhir_view(("GET",))
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement (no token needed, as FHIR clients read it first)."""
    from trdnav.interop.web.capability import capability_statement

    return fhir_response(capability_statement(base_url(request), now=timezone.now()))


def _page_patients(page: list[Resource]) -> list[int]:
    ids = {searching.patient_of(r) for r in page}
    return sorted(int(i) for i in ids if i is not None and i.isdigit())


def _search(request: HttpRequest, actor: Actor, spec: TypeSpec) -> HttpResponse:
    params = [(k, v) for k in request.GET for v in request.GET.getlist(k)]
    query = searching.parse_search(params, spec.search_params)
    if spec.reader is None:  # no patient data (Questionnaire)
        found = spec.everything()
    else:
        if query.patient is not None:
            patients = [scoped_patient(actor, query.patient, "fhir_search")]
        else:
            patients = list(clinic_patients(actor))
        found = spec.reader(patients)
    matched = searching.ordered([r for r in found if searching.matches(r, query)])
    base = base_url(request)
    link = f"{base}/{spec.name}"
    bundle, page = searching.searchset(
        matched, query, base=base, self_url=lambda p: f"{link}?{searching.query_string(p)}"
    )
    if spec.reader is not None:
        record_event(
            by=actor, action=Action.VIEW, object_type="fhir_search",
            summary=f"{spec.name} search: {len(page)} of {len(matched)} shown",
            shown=_page_patients(page),
        )  # fmt: skip
    return fhir_response(bundle)


def _body(request: HttpRequest) -> dict[str, Any]:
    kind = request.content_type or ""
    if kind not in _ACCEPTED_BODIES:
        raise FhirError(415, f"send {FHIR_JSON}", "Content-Type")
    try:
        body = load_json(request.body, field="body")
    except InvalidInput as invalid:
        raise FhirError(400, "invalid", errors=invalid.errors) from invalid
    if not isinstance(body, dict):
        raise FhirError(400, "expected one resource (a JSON object)", "resourceType")
    return body


def _create(request: HttpRequest, actor: Actor, spec: TypeSpec) -> HttpResponse:
    if spec.create is None:
        raise FhirError(405, f"{spec.name} cannot be created here", headers={"Allow": "GET"})
    require(actor, spec.create_capability or Capability.RECORD_ASSESSMENTS)
    resource = _body(request)
    if resource.get("resourceType") != spec.name:
        raise FhirError(400, f"expected a {spec.name}", "resourceType")
    stored = spec.create(actor, resource, request.headers.get("If-None-Exist"))
    base = base_url(request)
    body: Resource = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": [
            {"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r}
            for r in stored.resources
        ],
    }
    headers = {"Location": f"{base}/{stored.location}"}
    return fhir_response(body, 201 if stored.created else 200, headers)


@fhir_view(("GET", "POST"))
def type_level(request: HttpRequest, resource_type: str) -> HttpResponse:
    """``GET`` searches, ``POST`` creates."""
    spec = _spec(resource_type)
    actor = authenticate(request)
    if request.method == "POST":
        return _create(request, actor, spec)
    require(actor, Capability.VIEW_PATIENTS)
    return _search(request, actor, spec)


@fhir_view(("GET",))
def instance(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    """``GET <Type>/<id>``: the patient is found first (its id leads every resource id)."""
    spec = _spec(resource_type)
    actor = authenticate(request)
    require(actor, Capability.VIEW_PATIENTS)
    missing = FhirError(404, f"no {resource_type}/{resource_id} here", "id")
    if spec.reader is None:
        found = [r for r in spec.everything() if r["id"] == resource_id]
    else:
        patient_id = resource_id.split("-", 1)[0]
        if not patient_id.isdigit():
            raise missing
        object_type = f"fhir_{resource_type}"[:40]
        patient = scoped_patient(actor, patient_id, object_type, "id")
        found = [r for r in spec.reader([patient]) if r["id"] == resource_id]
    if not found:
        raise missing
    return fhir_response(found[0])
