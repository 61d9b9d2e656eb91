"""The content security policy: scripts only from the site itself (no inline script, no
foreign origin), no plugins, no framing, forms posting only to the site. Styles allow inline
attributes, which the chart's timeline bars use for their positions.

The API's browsable documentation (``/api/v1/docs``) is django-ninja's Swagger UI, which loads
its script and stylesheet from a CDN and starts with an inline script: that one page gets a
policy allowing exactly that CDN and inline script (docs/access-control.md)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


API_DOCS_PATH = "/api/v1/docs"
SWAGGER_CDN = "https://cdn.jsdelivr.net"
API_DOCS_POLICY = POLICY.replace(
    "script-src 'self'", f"script-src 'self' 'unsafe-inline' {SWAGGER_CDN}"
).replace("style-src 'self'", f"style-src 'self' {SWAGGER_CDN}")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = API_DOCS_POLICY if request.path == API_DOCS_PATH else POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        return response
