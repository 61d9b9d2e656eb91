"""The walk's page list (tests/e2e/pages.py) stays honest: every route is walked or left out
with a reason, every left-out action really refuses a GET, and a page added later is walked."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import get_resolver, path

from tests.e2e import pages
from trdnav.accounts.models import User

EVERY_VALUE = {key: ["1"] for key in pages.WORLD_KEYS}


def test_each_exclusion_names_a_route_that_exists() -> None:
    routes = pages.routes()
    for prefix in pages.THIRD_PARTY:
        assert any(route.startswith(prefix) for route in routes), prefix
    for route in pages.ACTIONS:
        assert route in routes, route


def test_parameters_name_only_routes_and_values_that_exist() -> None:
    routes = set(pages.routes())
    for route, sources in pages.PARAMETERS.items():
        assert route in routes, route
        assert set(sources) <= set(pages.parameters(route)), route
        assert set(sources.values()) <= pages.WORLD_KEYS, route


def test_every_page_route_has_values_for_its_parameters() -> None:
    for route in pages.page_routes():
        assert pages.urls_for(route, EVERY_VALUE), route


@pytest.mark.django_db
def test_every_left_out_action_refuses_a_get(client: Client, clinic_admin: User) -> None:
    """A route is left out of the walk as an action only if a GET answers 405."""
    client.force_login(clinic_admin)
    for route in pages.ACTIONS:
        for url in pages.urls_for(route, EVERY_VALUE):
            assert client.get(url).status_code == 405, url


def _added_later(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    *get_resolver().url_patterns,
    path("added-later/", _added_later),
    path("patients/<int:pk>/added-later/", _added_later),
    path("added-later/<int:pk>/", _added_later),
]


def test_a_page_added_later_is_walked_or_fails_for_want_of_values() -> None:
    walked = pages.page_routes(__name__)
    assert "added-later/" in walked
    assert pages.urls_for("patients/<int:pk>/added-later/", {"patients": ["7"]}) == [
        "/patients/7/added-later/"
    ]
    with pytest.raises(pages.MissingParameter, match="added-later/<int:pk>/: no value for pk"):
        pages.urls_for("added-later/<int:pk>/", EVERY_VALUE)
