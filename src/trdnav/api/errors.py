"""Every API error is JSON: ``{"detail": ..., "errors": [{"field": path, "message": ...}]}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from trdnav.core.errors import InvalidInput

# A request's parts in ninja's error locations; the part after "body" is the handler's
# parameter name, which clients never see.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form"}


def field_path(loc: list[Any] | tuple[Any, ...]) -> str:
    """``["body", "payload", "doses", 0, "mg"]`` → ``doses[0].mg``."""
    parts = list(loc)
    if parts and parts[0] in _LOCATIONS:
        parts = parts[2:] if parts[0] == "body" else parts[1:]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def install(api: NinjaAPI) -> None:
    def invalid(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        errors = [error.as_dict() for error in exc.errors]
        return api.create_response(
            request, {"detail": "invalid input", "errors": errors}, status=422
        )

    def unparsable(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": field_path(error.get("loc", ())), "message": str(error.get("msg", ""))}
            for error in exc.errors
        ]
        return api.create_response(
            request, {"detail": "invalid input", "errors": errors}, status=422
        )

    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or "forbidden"
        return api.create_response(request, {"detail": message}, status=403)

    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "not found"}, status=404)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # The body parser's refusals arrive wrapped (ninja answers "Cannot parse request
        # body"); when the cause names a field, answer like any other invalid input.
        cause = exc.__cause__
        if isinstance(cause, InvalidInput):
            return invalid(request, cause)
        if isinstance(cause, RequestDataTooBig):
            return too_big(request, cause)
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return api.create_response(request, {"detail": "request body too large"}, status=400)

    api.exception_handler(HttpError)(http_error)
    api.exception_handler(RequestDataTooBig)(too_big)
    api.exception_handler(InvalidInput)(invalid)
    api.exception_handler(ValidationError)(unparsable)
    api.exception_handler(PermissionDenied)(forbidden)
    api.exception_handler(Http404)(missing)
