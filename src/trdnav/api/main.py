"""The API object: version 1, authentication, JSON errors and the routers of each feature."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from trdnav.accounts.permissions import membership_of
from trdnav.api import analytics, assessments, clinical, courses, errors, history, patients
from trdnav.api.auth import API_AUTH
from trdnav.api.parser import LimitedJsonParser

api = NinjaAPI(
    title="TRD Navigator API",
    version="1",
    description=(
        "Authenticate with `Authorization: Bearer <token>` (tokens are issued on the "
        "API tokens page) or with a logged-in session plus the CSRF token for unsafe methods. "
        "Errors are JSON: `detail`, and for invalid input `errors` with a `field` path each."
    ),
    auth=API_AUTH,
    parser=LimitedJsonParser(),
    urls_namespace="api-v1",
    docs_url="/docs",
)
errors.install(api)
api.add_router("", patients.router)
api.add_router("", assessments.router)
api.add_router("", clinical.router)
api.add_router("", history.router)
api.add_router("", courses.router)
api.add_router("", analytics.router)


class MeOut(Schema):
    username: str
    clinic: str | None
    role: str | None


@api.get("/me", response=MeOut, tags=["accounts"])
def me(request: HttpRequest) -> dict[str, str | None]:
    """The authenticated user and their role."""
    membership = membership_of(request.user)
    return {
        "username": request.user.get_username(),
        "clinic": membership.clinic.slug if membership else None,
        "role": membership.role if membership else None,
    }
