"""Answers in ``application/fhir+json``, and every error as an OperationOutcome.

An error names the element in ``expression`` (FHIRPath-like: ``item[linkId=item9].answer``,
``subject``, ``date``) and carries the HTTP status it is sent with. No patient data goes into
``diagnostics``: it names fields and allowed values only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpResponse

from trdnav.core.errors import FieldError
from trdnav.interop.base import Resource

FHIR_JSON = "application/fhir+json"
# Issue type per HTTP status (the R4 issue-type value set).
_ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    412: "duplicate",
    413: "too-costly",
    415: "not-supported",
    422: "invalid",
}


class FhirError(Exception):
    """Raised anywhere below a FHIR view; answered as an OperationOutcome with ``status``."""

    def __init__(
        self,
        status: int,
        message: str,
        expression: str | None = None,
        *,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.errors = list(errors) or [FieldError(expression or "", message)]
        self.headers = dict(headers or {})


def outcome(status: int, errors: Sequence[FieldError]) -> Resource:
    code = _ISSUE_CODES.get(status, "processing")
    issues = []
    for error in errors:
        issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": error.message}
        if error.field:
            issue["expression"] = [error.field]
        issues.append(issue)
    return {"resourceType": "OperationOutcome", "issue": issues}


def fhir_response(
    resource: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None
) -> HttpResponse:
    body = json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body, status=status, content_type=f"{FHIR_JSON}; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(error: FhirError) -> HttpResponse:
    return fhir_response(outcome(error.status, error.errors), error.status, error.headers)
