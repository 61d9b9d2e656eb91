"""The FHIR Bulk Data ``$export`` operation (docs/interop.md, "Bulk export"):

- ``GET /fhir/R4/$export`` and ``GET /fhir/R4/Patient/$export`` with ``Prefer: respond-async``
  start an export of the caller's clinic (``_type``, ``_since``, ``_outputFormat``) and answer
  202 with the status URL in ``Content-Location``;
- ``GET`` on that URL: 202 with ``X-Progress`` while it runs, 200 with the manifest when done,
  an OperationOutcome when it failed; ``DELETE`` cancels (202), after which it is gone (404);
- each file in the manifest is fetched with the same bearer token.

Only a clinic administrator's API token may export, and only their own clinic. The session
cookie is not accepted here (there is no CSRF to check on a bearer token), so these views are
exempt from CSRF.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from trdnav.accounts.models import Membership, Role
from trdnav.accounts.tokens import user_for_token
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, client_ip, record_event
from trdnav.core.errors import FieldError
from trdnav.interop.base import operation_outcome
from trdnav.interop.bulk import check_request, parse_since, parse_types
from trdnav.jobs.models import Job, JobOutput, Status
from trdnav.jobs.runner import cancel, enqueue

FHIR_JSON = "application/fhir+json"
NDJSON = "application/fhir+ndjson"
RETRY_AFTER_SECONDS = 2


def _outcome(status: int, field: str, message: str, **headers: str) -> HttpResponse:
    body = json.dumps(operation_outcome([FieldError(field, message)]))
    response = HttpResponse(body, status=status, content_type=FHIR_JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _admin_membership(request: HttpRequest) -> Membership | HttpResponse:
    """The clinic administrator behind the bearer token, or the error response."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        return _outcome(401, "Authorization", "a valid bearer token is required",
                        WWW_Authenticate='Bearer realm="trdnav"')  # fmt: skip
    membership: Membership | None = getattr(user, "membership", None)
    if membership is None or membership.role != Role.CLINIC_ADMIN:
        record_event(
            by=Actor(user=user, clinic=getattr(membership, "clinic", None),
                     ip_address=client_ip(request), via="fhir-bulk"),
            action=Action.REFUSED, object_type="fhir_bulk_export",
            summary="bulk export needs a clinic administrator",
        )  # fmt: skip
        return _outcome(403, "Authorization", "only a clinic administrator may export")
    return membership


def _params(request: HttpRequest) -> dict[str, str | None]:
    names = ("_type", "_since", "_outputFormat")
    return {name: request.GET.get(name) for name in names}


@csrf_exempt
def kick_off(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return _outcome(405, "method", "use GET to start an export", Allow="GET")
    membership = _admin_membership(request)
    if isinstance(membership, HttpResponse):
        return membership
    if "respond-async" not in request.headers.get("Prefer", ""):
        return _outcome(400, "Prefer", "an export is asynchronous: send Prefer: respond-async")
    problems = check_request(_params(request))
    if problems:
        return HttpResponse(
            json.dumps(operation_outcome(problems)), status=400, content_type=FHIR_JSON
        )
    since = parse_since(request.GET.get("_since"))
    job = enqueue(
        "fhir_export",
        {
            "clinic_id": membership.clinic_id,
            "types": list(parse_types(request.GET.get("_type"))),
            "since": since.isoformat() if since else None,
            "transaction_time": timezone.now().isoformat(),
            "request": request.build_absolute_uri(),
        },
        clinic=membership.clinic,
        by=membership.user,
    )
    response = HttpResponse(status=202)
    response["Content-Location"] = request.build_absolute_uri(
        reverse("fhir-bulk:status", args=[job.pk])
    )
    return response


def _own_job(membership: Membership, job_id: uuid.UUID) -> Job | None:
    return Job.objects.filter(pk=job_id, kind="fhir_export", clinic=membership.clinic).first()


def _manifest(request: HttpRequest, job: Job) -> dict[str, Any]:
    outputs = JobOutput.objects.filter(job=job).only("name", "part", "count").order_by("pk")
    return {
        "transactionTime": job.payload["transaction_time"],
        "request": job.payload["request"],
        "requiresAccessToken": True,
        "output": [
            {
                "type": out.name,
                "url": request.build_absolute_uri(
                    reverse("fhir-bulk:file", args=[job.pk, out.name, out.part])
                ),
                "count": out.count,
            }
            for out in outputs
        ],
        "error": [],
    }


def _progress(job: Job) -> str:
    """``X-Progress``: ``queued``, ``started``, or ``40% (8 of 20 patients)``."""
    if not job.progress_total:
        return "queued" if job.status == Status.QUEUED else "started"
    done = f"{job.progress_done} of {job.progress_total} {job.progress_note}".strip()
    return f"{job.percent or 0}% ({done})"


def _status_response(request: HttpRequest, job: Job) -> HttpResponse:
    if job.status in (Status.QUEUED, Status.RUNNING):
        response = HttpResponse(status=202)
        response["X-Progress"] = _progress(job)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if job.status == Status.FAILED:
        return _outcome(500, "$export", "the export failed; start a new one")
    response = HttpResponse(json.dumps(_manifest(request, job)), content_type="application/json")
    if job.finished_at is not None:
        expires = job.finished_at + timedelta(hours=settings.TRDNAV_JOB_KEEP_HOURS)
        response["Expires"] = http_date(expires.timestamp())
    return response


@csrf_exempt
def status(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    if request.method not in ("GET", "DELETE"):
        return _outcome(405, "method", "use GET to poll or DELETE to cancel", Allow="GET, DELETE")
    membership = _admin_membership(request)
    if isinstance(membership, HttpResponse):
        return membership
    job = _own_job(membership, job_id)
    if job is None or job.status == Status.CANCELLED or job.cancel_requested:
        return _outcome(404, "job", "no such export (it may have been cancelled or expired)")
    if request.method == "DELETE":
        cancel(job)
        return HttpResponse(status=202)
    return _status_response(request, job)


@csrf_exempt
def output_file(request: HttpRequest, job_id: uuid.UUID, name: str, part: int) -> HttpResponse:
    if request.method != "GET":
        return _outcome(405, "method", "use GET", Allow="GET")
    membership = _admin_membership(request)
    if isinstance(membership, HttpResponse):
        return membership
    job = _own_job(membership, job_id)
    found = (
        JobOutput.objects.filter(job=job, name=name, part=part).first()
        if job is not None and job.status == Status.DONE and not job.cancel_requested
        else None
    )
    if found is None:
        return _outcome(404, "file", "no such export file (it may have expired)")
    record_event(
        by=Actor(user=membership.user, clinic=membership.clinic, ip_address=client_ip(request),
                 via="fhir-bulk"),
        action=Action.EXPORT, object_type="fhir_bulk_file", object_id=job.pk if job else "",
        summary=f"downloaded {found.count} {name} resources (part {part})",
    )  # fmt: skip
    return HttpResponse(found.body, content_type=NDJSON)
