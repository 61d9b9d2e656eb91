"""The walk's page list (tests/e2e/pages.py) stays honest: every route is walked or left out
with a reason, every left-out action really refuses a GET, and a page added later is walked."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import get_resolver, path

from tests.e2e import pages
from tests.e2e.test_every_page import ROLES, plan, world
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


@pytest.mark.django_db
def test_every_page_route_is_a_page_of_some_role_in_the_walk() -> None:
    """With the walk's world, each route the walk does not leave out answers 200 to some role
    (from its parameter values, or from a link on that role's pages): nothing is skipped
    because its values are missing or wrong. No GET is a 405 or a server error."""
    values = world()
    plans = [plan(role, values) for role in ROLES]
    assert [problem for p in plans for problem in p.problems] == []
    walked = set().union(*(p.routes for p in plans))
    missing = [route for route in pages.page_routes() if route not in walked]
    assert missing == [], (
        "routes that are a page of no role in the walk (give their parameters values in "
        "tests/e2e/pages.py PARAMETERS, and the world a row): " + ", ".join(missing)
    )


@pytest.mark.django_db
def test_every_left_out_action_refuses_a_get(client: Client, clinic_admin: User) -> None:
    """A route is left out of the walk as an action only if a GET answers 405."""
    client.force_login(clinic_admin)
    for route in pages.ACTIONS:
        for url in pages.urls_for(route, EVERY_VALUE):
            assert client.get(url).status_code == 405, url


def _added_later(request: HttpRequest, pk: int = 0) -> HttpResponse:
    links = '<a href="/added-later/7/">a record</a>' if not pk else ""
    return HttpResponse(f"<!doctype html><title>t</title><main>{links}</main>")


urlpatterns = [
    *get_resolver().url_patterns,
    path("added-later/", _added_later),
    path("patients/<int:pk>/added-later/", _added_later),
    path("added-later/<int:pk>/", _added_later),
    path("added-later/<int:pk>/unlinked/", _added_later),
]
HERE = "tests.e2e.test_page_list"


def test_a_page_added_later_is_in_the_walk() -> None:
    walked = pages.page_routes(HERE)
    assert {"added-later/", "added-later/<int:pk>/"} <= set(walked)
    assert pages.urls_for("patients/<int:pk>/added-later/", {"patients": ["7"]}) == [
        "/patients/7/added-later/"
    ]
    with pytest.raises(pages.MissingParameter, match="added-later/<int:pk>/: no value for pk"):
        pages.urls_for("added-later/<int:pk>/", EVERY_VALUE)


@pytest.mark.django_db
def test_a_page_added_later_without_values_is_found_by_its_links(settings: Any) -> None:
    settings.ROOT_URLCONF = HERE
    walk = plan("anonymous", EVERY_VALUE, HERE)
    assert "/added-later/7/" in walk.pages
    assert "added-later/<int:pk>/unlinked/" in walk.unreached
    assert "added-later/<int:pk>/" not in walk.unreached
