"""Every page of the site, from the URL resolver: the list the accessibility and reflow walk
visits. A route's parameters take the values named here, or else the links to it found on the
role's pages; a route that is a page of no role that way fails the page-list test. Only
third-party screens and POST-only actions are left out, each with its reason below.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Any

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

# Route prefixes not walked, with the reason (reviewed; D26 in the UX walkthrough).
THIRD_PARTY = {
    "admin/": "Django's admin site: third-party screens, only the site administrator sees them "
    "(its axe findings are listed in docs/accessibility.md)",
    "api/v1/": "the JSON API, and its Swagger UI documentation page (third-party screen, listed "
    "in docs/accessibility.md)",
    "fhir/R4/": "the FHIR R4 API: application/fhir+json (and Bulk Data NDJSON) for FHIR "
    "clients with a bearer token, not pages (its access is in "
    "tests/site/test_authorisation_matrix.py and tests/interop)",
    "accounts/mfa/webauthn/": "the WebAuthn library's JSON ceremony endpoints, not pages",
    "healthz": "the load balancer's liveness probe: plain text, not a page",
    "cds-services": "the CDS Hooks JSON endpoints an EHR calls (tests/cds), not pages",
    "favicon.ico": "a redirect to a static file",
}
# Routes that only act (POST); a GET answers 405, which the walk's tests check.
ACTIONS = {
    "accounts/logout/": "ends the session",
    "accounts/tokens/<int:pk>/revoke/": "revokes an API token",
    "portal/visit/questions/<int:pk>/done/": "marks a visit question done",
    "portal/care/patients/<int:pk>/invite/": "sends a portal invitation",
    "portal/care/patients/<int:pk>/schedules/": "adds a questionnaire schedule",
    "portal/care/patients/<int:pk>/messages/": "starts a message thread",
    "portal/care/schedules/<int:pk>/stop/": "stops a questionnaire schedule",
    "portal/care/reports/<int:pk>/acknowledge/": "acknowledges a patient's report",
    "portal/care/safety/<int:pk>/acknowledge/": "leads to the review of a safety notice's item",
    "safety/patients/<int:pk>/reviews/<int:review_id>/reopen/": "reopens a safety review",
    "courses/<int:course_id>/sessions/<int:number>/sign/": "signs a session record",
    "dashboard/courses/<int:course_id>/checkpoints/<str:rule>/acknowledge/": "acknowledges a "
    "course checkpoint alert",
}

# Where each route's parameters come from: a key of the walk's world (a list of values, each
# walked). Keys are the resolver's route strings; a route without values here is taken from
# the links on the role's pages.
PARAMETERS: dict[str, dict[str, str]] = {
    "accounts/tokens/<int:pk>/revoke/": {"pk": "token"},
    "patients/<int:pk>/": {"pk": "patients"},
    "patients/<int:pk>/edit/": {"pk": "patients"},
    "patients/<int:pk>/assessments/": {"pk": "patients"},
    "patients/<int:pk>/assessments/new/": {"pk": "patient"},
    "patients/<int:pk>/assessments/new/<slug:code>/": {"pk": "patient", "code": "instruments"},
    "patients/<int:pk>/assessments/<int:assessment_id>/void/": {
        "pk": "patient",
        "assessment_id": "assessment",
    },
    "patients/<int:pk>/clinical/": {"pk": "patients"},
    "patients/<int:pk>/history/": {"pk": "patients"},
    "patients/<int:pk>/history/episodes/new/": {"pk": "patient"},
    "patients/<int:pk>/history/episodes/<int:index>/": {"pk": "patients", "index": "first"},
    "patients/<int:pk>/history/episodes/<int:index>/remove/": {"pk": "patient", "index": "first"},
    "patients/<int:pk>/history/treatments/new/": {"pk": "patient"},
    "patients/<int:pk>/history/treatments/new/<str:kind>/": {"pk": "patient", "kind": "kinds"},
    "patients/<int:pk>/history/treatments/<int:index>/": {"pk": "patients", "index": "first"},
    "patients/<int:pk>/history/treatments/<int:index>/remove/": {
        "pk": "patient",
        "index": "first",
    },
    "portal/invitation/<str:token>/": {"token": "invitation"},
    "portal/questionnaires/<int:pk>/": {"pk": "schedules"},
    "portal/treatments/<slug:therapy_id>/": {"therapy_id": "therapies"},
    "portal/messages/<int:pk>/": {"pk": "thread"},
    "portal/visit/questions/<int:pk>/done/": {"pk": "question"},
    "portal/care/patients/<int:pk>/": {"pk": "patients"},
    "portal/care/patients/<int:pk>/invite/": {"pk": "patient"},
    "portal/care/patients/<int:pk>/schedules/": {"pk": "patient"},
    "portal/care/patients/<int:pk>/messages/": {"pk": "patient"},
    "portal/care/schedules/<int:pk>/stop/": {"pk": "schedules"},
    "portal/care/messages/<int:pk>/": {"pk": "thread"},
    "portal/care/reports/<int:pk>/acknowledge/": {"pk": "report"},
    "portal/care/safety/<int:pk>/acknowledge/": {"pk": "notice"},
    # A reopen only answers a POST; any review id shows that.
    "safety/patients/<int:pk>/reviews/<int:review_id>/reopen/": {
        "pk": "patient",
        "review_id": "first",
    },
    "instruments/<slug:code>/": {"code": "instruments"},
    # The demo courses (trdnav.demo.courses): an active esketamine course (session 3 signed with
    # an override, session 6 not yet recorded: the empty session form), an active rTMS course
    # and a completed ECT course; the REMS forms of one submitted and one due session.
    "courses/plan/<int:pk>/<slug:therapy_id>/": {"pk": "patient", "therapy_id": "course_therapies"},
    "courses/<int:course_id>/": {"course_id": "courses"},
    "courses/<int:course_id>/summary/": {"course_id": "courses"},
    "courses/<int:course_id>/end/": {"course_id": "active_courses"},
    "courses/<int:course_id>/sessions/<int:number>/": {
        "course_id": "courses",
        "number": "session_numbers",
    },
    "courses/<int:course_id>/sessions/<int:number>/amend/": {
        "course_id": "courses",
        "number": "signed_number",
    },
    "courses/<int:course_id>/sessions/<int:number>/sign/": {
        "course_id": "courses",
        "number": "signed_number",
    },
    "courses/rems/<int:session_id>/": {"session_id": "rems_sessions"},
    "dashboard/courses/<int:course_id>/checkpoints/<str:rule>/acknowledge/": {
        "course_id": "courses",
        "rule": "checkpoint_rule",
    },
    # The public guide's treatment pages are found by the links on its index.
    "guide/<slug:clinic>/": {"clinic": "clinic"},
    "guide/<slug:clinic>/self-check/": {"clinic": "clinic"},
}

# The values the walk's world provides (tests/e2e/test_every_page.py: world()).
WORLD_KEYS = {
    "patient", "patients", "first", "instruments", "kinds", "therapies", "assessment",
    "schedules", "thread", "report", "notice", "question", "invitation", "token", "clinic",
    "courses", "active_courses", "session_numbers", "signed_number", "rems_sessions",
    "course_therapies", "checkpoint_rule",
}  # fmt: skip

# Parameters every route under a prefix shares, unless PARAMETERS says otherwise: a new page
# under a patient's URLs is walked with no change here.
PREFIX_PARAMETERS = {"patients/<int:pk>/": {"pk": "patients"}}

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_HREF = re.compile(r'href="(/[^"#?]*)')


def routes(urlconf: str | None = None) -> list[str]:
    """Every route string the resolver knows, in its order."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.append(prefix + str(pattern.pattern))

    walk(get_resolver(urlconf).url_patterns, "")
    return list(dict.fromkeys(found))


def skipped(route: str) -> str | None:
    """Why the route is not walked, or None."""
    for prefix, reason in THIRD_PARTY.items():
        if route.startswith(prefix):
            return reason
    return ACTIONS.get(route)


def page_routes(urlconf: str | None = None) -> list[str]:
    return [route for route in routes(urlconf) if skipped(route) is None]


def parameters(route: str) -> list[str]:
    return [match["name"] for match in _PARAM.finditer(route)]


class MissingParameter(LookupError):
    pass


def urls_for(route: str, world: Mapping[str, list[str]]) -> list[str]:
    """The URLs the walk visits for one route: each combination of its parameters' values."""
    names = parameters(route)
    sources: dict[str, str] = {}
    for prefix, shared in PREFIX_PARAMETERS.items():
        if route.startswith(prefix):
            sources |= shared
    sources |= PARAMETERS.get(route, {})
    missing = [name for name in names if name not in sources or sources[name] not in world]
    if missing:
        raise MissingParameter(
            f"{route}: no value for {', '.join(missing)} (add it to PARAMETERS in "
            "tests/e2e/pages.py, or list the route in ACTIONS/THIRD_PARTY with the reason)"
        )
    choices = [world[sources[name]] for name in names]
    urls = []
    for values in itertools.product(*choices):
        urls.append("/" + _fill(route, dict(zip(names, values, strict=True))))
    return urls


def _fill(route: str, filled: dict[str, str]) -> str:
    return _PARAM.sub(lambda match: str(filled[match["name"]]), route)


def page_name(url_or_route: str) -> str:
    """A file-name-safe name: ``patients/<int:pk>/history/`` → ``patients_pk_history``,
    ``/patients/3/`` → ``patients_3``."""
    text = _PARAM.sub(lambda match: match["name"], url_or_route)
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_") or "home"


def linked_urls(html: list[str], urlconf: str | None = None) -> dict[str, list[str]]:
    """The site's own links in these pages, by the route they resolve to (sorted, unique)."""
    found: dict[str, set[str]] = {}
    for text in html:
        for url in _HREF.findall(text):
            try:
                route = resolve(url, urlconf).route
            except Resolver404:
                continue
            found.setdefault(route, set()).add(url)
    return {route: sorted(urls) for route, urls in found.items()}
