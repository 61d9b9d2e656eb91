from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tests.cds.helpers import BASE, issuers
from tests.factories import make_clinic, make_patient
from trdnav.accounts.models import Clinic
from trdnav.cds.auth import JWKS
from trdnav.patients.models import Patient


@pytest.fixture(autouse=True)
def cds_settings(settings: Any) -> Iterator[Any]:
    settings.TRDNAV_CDS_ISSUERS = issuers()
    settings.TRDNAV_CDS_BASE_URL = BASE
    JWKS.clear()
    cache.clear()
    yield settings
    JWKS.clear()
    cache.clear()


@pytest.fixture
def north(db: None) -> Clinic:
    return make_clinic("north")


@pytest.fixture
def matched(north: Clinic) -> Patient:
    """The EHR patient's record: record number N-001 (the recorded Patient's identifier)."""
    return make_patient(north, "N-001")
