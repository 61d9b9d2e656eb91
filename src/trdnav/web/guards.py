"""Two guards every request passes.

``RejectUnstorableInputMiddleware``: a NUL character in the path or the query string (``?q=a%00``)
is refused with 400 before any view runs. PostgreSQL cannot compare or store it, so it would
otherwise fail deep in a query as a 500; SQLite would store it silently. (Form fields refuse NUL
through Django's own validator; JSON bodies through ``trdnav.core.jsonin``.)

``NoStoreMiddleware``: every page and API response that does not set its own caching says
``Cache-Control: no-store`` (with ``private``), so that patient data never stays in a shared
browser's or proxy's cache after log-out. Static files are served by WhiteNoise before this
middleware and keep their long-lived caching.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import add_never_cache_headers

Handler = Callable[[HttpRequest], HttpResponse]
NUL_REFUSED = "The address contains a NUL character, which is not allowed."


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


class RejectUnstorableInputMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            if request.path.startswith("/api/"):
                errors = [{"field": "query", "message": "must not contain a NUL character"}]
                response: HttpResponse = JsonResponse(
                    {"detail": "invalid input", "errors": errors}, status=400
                )
            else:
                response = HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain")
            add_never_cache_headers(response)
            return response
        return self.get_response(request)


class NoStoreMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        return response
