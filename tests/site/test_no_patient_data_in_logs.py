"""No patient data in any log line, error page or exception text: the error paths (bad input
on the API and on forms, a database integrity error, a view that fails with patient data in its
exception) run with a canary value, and every captured log record, formatted by the test capture
and by each configured handler, is searched for it. The checks that the errors were logged at
all keep the test able to fail."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.site.canary_urls import CANARY
from trdnav.accounts.models import User
from trdnav.accounts.tokens import issue_token
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient
from trdnav.web.logsafe import WITHHELD

pytestmark = pytest.mark.django_db


def _all_log_text(caplog: pytest.LogCaptureFixture) -> str:
    """The captured records as the test capture shows them and as every handler of the
    root and ``django`` loggers would write them."""
    handlers = [*logging.getLogger().handlers, *logging.getLogger("django").handlers]
    texts = [caplog.text]
    for record in caplog.records:
        texts.extend(handler.format(record) for handler in handlers)
        texts.append(repr(record.__dict__))
    return "\n".join(texts)


@override_settings(ROOT_URLCONF="tests.site.canary_urls", DEBUG=False)
def test_error_paths_log_no_patient_data(
    caplog: pytest.LogCaptureFixture, clinician: User, patient: Patient
) -> None:
    caplog.set_level(logging.DEBUG)
    _, raw = issue_token(user=clinician, name="t", by=Actor(user=clinician))
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")
    pages = Client(raise_request_exception=False)
    pages.force_login(clinician)
    responses: list[Any] = []

    def send(client: Client, method: str, url: str, body: Any) -> None:
        data = body if isinstance(body, str) else json.dumps(body)
        responses.append(client.generic(method, url, data, content_type="application/json"))

    # Bad input on the API: NUL next to the canary, an unknown field named by it, bad JSON.
    send(api, "POST", "/api/v1/patients", {
        "record_number": "C-1", "given_name": f"{CANARY}\u0000", "family_name": CANARY,
        "date_of_birth": "1970-01-01",
    })  # fmt: skip
    send(api, "PATCH", f"/api/v1/patients/{patient.pk}", {CANARY: CANARY})
    send(api, "PUT", f"/api/v1/patients/{patient.pk}/history", f'{{"{CANARY}": [nope')
    send(api, "PUT", f"/api/v1/patients/{patient.pk}/history", {"episodes": [{"id": CANARY}]})
    # Bad input on forms.
    responses.append(pages.post("/patients/new/", {"given_name": CANARY, "record_number": ""}))
    history_import = f"/patients/{patient.pk}/history/import/"
    responses.append(pages.post(history_import, {"history": f'{{"{CANARY}": ' + "[" * 999}))
    # A database integrity error and a failing view: 500s.
    integrity = pages.get("/failing/integrity/")
    failing = pages.get("/failing/value/")

    assert [r.status_code for r in responses[:4]] == [422, 422, 422, 422]
    assert all(400 <= r.status_code < 500 for r in responses[4:])
    assert integrity.status_code == failing.status_code == 500
    # Error pages and value errors never repeat a value (a field error names its field: the
    # unknown key sent in the PATCH comes back as the field's name, to its sender only).
    for response in (responses[0], responses[3], integrity, failing):
        assert CANARY not in response.content.decode()
    text = _all_log_text(caplog)
    assert "Internal Server Error: /failing/value/" in text  # the errors were logged ...
    assert "ValueError" in text and "IntegrityError" in text  # ... with their type ...
    assert WITHHELD in text  # ... and their message withheld
    assert CANARY not in text
    assert not Patient.objects.filter(given_name__contains=CANARY).exists()


def test_sql_statements_logged_in_development_lose_their_text(
    caplog: pytest.LogCaptureFixture, patient: Patient
) -> None:
    from django.db import connection

    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    previous = connection.force_debug_cursor
    connection.force_debug_cursor = True
    try:
        list(Patient.objects.filter(given_name=CANARY))
    finally:
        connection.force_debug_cursor = previous
    assert any(r.name == "django.db.backends" for r in caplog.records)
    assert CANARY not in _all_log_text(caplog)
