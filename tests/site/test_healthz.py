from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client


@pytest.mark.django_db
def test_healthz_reports_the_application_and_database_as_ok(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["application"]["status"] == "ok"
    assert body["database"]["status"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client: Client) -> None:
    with mock.patch("trdnav.web.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == {
        "status": "unavailable",
        "vendor": body["database"]["vendor"],
        "error": "OperationalError",
    }


@pytest.mark.django_db
def test_the_home_page_renders(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"TRD Navigator" in response.content


@pytest.mark.django_db
def test_responses_carry_secure_headers(client: Client) -> None:
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_favicon_is_served_from_the_sites_own_static_files(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/trdnav/favicon.svg"
    icon = client.get(response["Location"])
    icon.close()  # a streamed file response holds its file open until closed
    assert icon.status_code == 200
