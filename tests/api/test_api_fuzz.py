"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis).

Every operation of ``/api/v1/openapi.json`` gets a bounded number of generated requests
(valid and invalid), sent in-process to the Django WSGI application as a clinician with an
API token, on a database holding one patient with a treatment history and an assessment.
A test fails on any 5xx, an undocumented status code, a wrong content type, or a response
body that breaks the documented schema. Integer path ids are mostly pointed at the patient
so that the handlers run, not only the 404 path; so are course and session ids, at an esketamine
course with a draft session that has a blocking finding.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks as openapi_checks

from tests.courses.helpers import ESKETAMINE, HIGH_BP, START
from tests.factories import make_clinic, make_member, make_patient
from tests.personas import PERSONAS
from trdnav.accounts.models import Role
from trdnav.accounts.tokens import issue_token
from trdnav.api.main import api
from trdnav.assessments.services import record_assessment
from trdnav.audit.services import Actor
from trdnav.courses.services import plan_course, record_session
from trdnav.history.services import save_history
from trdnav.site.wsgi import application

EXAMPLES_PER_OPERATION = 20  # about 3 s per operation
CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]


def _document() -> dict[str, Any]:
    """The document ``/api/v1/openapi.json`` serves, built by the application itself.

    It is built at collection time, when the database is not open yet (every request runs in a
    transaction, so fetching the URL then is impossible; a lazy ``from_fixture`` schema needs a
    pytest internal that pytest 9 no longer has). ``test_the_fuzzed_document_is_the_served_one``
    checks that it is exactly what the URL serves."""
    schema: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    return schema


schema = schemathesis.openapi.from_dict(_document())
schema.app = application  # requests go in-process to the WSGI application


@pytest.fixture
def keep_the_test_transaction() -> Iterator[None]:
    """Requests reach the WSGI application directly, not through Django's test client, so
    Django's end-of-request hook would close the connection that holds the test's transaction
    (PostgreSQL); the test client detaches that hook the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_setup(db: None, keep_the_test_transaction: None) -> dict[str, Any]:
    clinic = make_clinic("fuzz")
    clinician = make_member(clinic, Role.CLINICIAN, "dr-fuzz")
    patient = make_patient(clinic, "F-001", date_of_birth=date(1970, 1, 1))
    actor = Actor(user=clinician)
    today = timezone.localdate()
    save_history(patient=patient, history=PERSONAS["ben"].history, by=actor, as_of=today)
    record_assessment(
        patient=patient, instrument="phq9", answers={"items": [1] * 9},
        administered_on=today, by=actor, source="clinician",
    )  # fmt: skip
    course = plan_course(patient=patient, protocol_id=ESKETAMINE, start=START, by=actor)
    session = record_session(course=course, values=HIGH_BP, by=actor)
    _, raw = issue_token(user=clinician, name="fuzz", by=actor)
    ids = {"patient_id": patient.pk, "course_id": course.pk, "session_id": session.pk}
    return {"ids": ids, "token": raw}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error_or_breaks_its_schema(
    case: Any, fuzz_setup: dict[str, Any]
) -> None:
    for name, stored in fuzz_setup["ids"].items():
        wanted = case.path_parameters.get(name) if case.path_parameters else None
        if isinstance(wanted, int) and wanted % 4 != 0:
            case.path_parameters[name] = stored
    headers = {"Authorization": f"Bearer {fuzz_setup['token']}"}
    case.call_and_validate(headers=headers, checks=CHECKS)


def test_the_fuzzed_document_is_the_served_one(client: Any, db: None) -> None:
    assert client.get("/api/v1/openapi.json").json() == _document()
