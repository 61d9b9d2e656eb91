"""Analytics queries go to the read replica when one is configured (DATABASE_READ_URL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings

from trdnav.accounts.models import Clinic
from trdnav.analytics import services
from trdnav.analytics.report import Tallies
from trdnav.analytics.routing import analytics_db_alias


def test_the_alias_is_the_replica_only_when_one_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert analytics_db_alias() == "default"
    # Not override_settings: Django warns about overriding DATABASES; only the name is read.
    monkeypatch.setattr(settings, "DATABASES", {**settings.DATABASES, "replica": {}})
    assert analytics_db_alias() == "replica"


@pytest.mark.django_db
def test_the_report_runs_its_queries_on_the_replica_alias(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[str] = []

    def spy(using: str, params: Any) -> Tallies:
        used.append(using)
        return Tallies([], [], [])

    monkeypatch.setattr(services, "tallies_from_django", spy)
    monkeypatch.setattr(services, "analytics_db_alias", lambda: "replica")
    services.outcome_report(clinic=clinic)
    assert used == ["replica"]


def test_the_replica_url_becomes_the_replica_database_mirroring_default_in_tests() -> None:
    code = (
        "import json; from trdnav.site import settings as s; "
        "print(json.dumps({k: s.DATABASES[k].get('NAME') for k in s.DATABASES} | "
        "{'mirror': s.DATABASES['replica']['TEST']}))"
    )
    env = {
        **os.environ,
        "TRDNAV_ENV": "test",
        "DATABASE_URL": "postgresql://app@127.0.0.1:5432/trdnav",
        "DATABASE_READ_URL": "postgresql://reader@127.0.0.1:5433/trdnav",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    databases = json.loads(out.stdout)
    assert databases["replica"] == "trdnav"
    assert databases["mirror"] == {"MIRROR": "default"}
