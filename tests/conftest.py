"""Shared fixtures. Database tests use pytest-django's ``db`` fixture (a real database)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from tests.factories import make_clinic, make_member, make_patient
from trdnav.accounts.models import Clinic, Role, User
from trdnav.audit import guard
from trdnav.patients.models import Patient


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a SQLite run, PostgreSQL-only tests are deselected (CI runs them in its PostgreSQL
    pass): nothing is skipped for a missing database."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    chosen = [item for item in items if item.get_closest_marker("postgresql_only") is None]
    if len(chosen) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Relax the audit table's delete guard in the test database only: Django empties every
    table between transactional tests (live-server browser tests). Tests of the guard re-arm
    it inside their own transaction."""
    with django_db_blocker.unblock():
        guard.set_delete_guard(connection, enforced=False)
    yield


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic("north")


@pytest.fixture
def other_clinic(db: None) -> Clinic:
    return make_clinic("south")


@pytest.fixture
def clinician(clinic: Clinic) -> User:
    return make_member(clinic, Role.CLINICIAN, "dr-north")


@pytest.fixture
def clinic_admin(clinic: Clinic) -> User:
    return make_member(clinic, Role.CLINIC_ADMIN, "admin-north")


@pytest.fixture
def staff(clinic: Clinic) -> User:
    return make_member(clinic, Role.STAFF, "nurse-north")


@pytest.fixture
def patient(clinic: Clinic) -> Patient:
    return make_patient(clinic, "N-001")


@pytest.fixture
def patient_user(clinic: Clinic, patient: Patient) -> User:
    user = make_member(clinic, Role.PATIENT, "patient-north")
    patient.user = user
    patient.save(update_fields=["user"])
    return user


@pytest.fixture
def other_patient(other_clinic: Clinic) -> Patient:
    return make_patient(other_clinic, "S-001")
