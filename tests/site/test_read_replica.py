"""``DATABASE_READ_URL`` adds the ``replica`` database, and analytics reads go there (and only
they); without it everything stays on ``default``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from trdnav import databases
from trdnav.databases import AnalyticsReplicaRouter, analytics_db_alias
from trdnav.patients.models import Patient
from trdnav.site.config import reminders_hour, replica_databases

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connections
from trdnav.databases import analytics_db_alias
print(json.dumps({"aliases": sorted(settings.DATABASES), "alias": analytics_db_alias(),
                  "replica": connections["replica"].settings_dict["NAME"]
                  if "replica" in settings.DATABASES else None}))
"""


def _probe(tmp_path: Path, **extra: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRDNAV_", "DATABASE"))}
    env |= {"TRDNAV_ENV": "test", "DJANGO_SETTINGS_MODULE": "trdnav.site.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'primary.sqlite3'}", **extra}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                         text=True, check=True, cwd=tmp_path)  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_with_a_read_url_the_replica_alias_exists_and_analytics_use_it(tmp_path: Path) -> None:
    replica = tmp_path / "replica.sqlite3"
    found = _probe(tmp_path, DATABASE_READ_URL=f"sqlite:///{replica}")
    assert found == {"aliases": ["default", "replica"], "alias": "replica",
                     "replica": str(replica)}  # fmt: skip


def test_without_a_read_url_there_is_only_the_primary(tmp_path: Path) -> None:
    assert _probe(tmp_path) == {"aliases": ["default"], "alias": "default", "replica": None}


def test_the_replica_is_read_only_in_spirit_and_mirrors_the_primary_in_tests() -> None:
    config = replica_databases("postgresql://reader@db-replica:5432/trdnav")["replica"]
    assert config["HOST"] == "db-replica" and config["ATOMIC_REQUESTS"] is False
    assert config["TEST"] == {"MIRROR": "default"}
    assert replica_databases("  ") == {}


ANALYTICS_MODEL = SimpleNamespace(_meta=SimpleNamespace(app_label="analytics"))
DATABASES_WITH_REPLICA: dict[str, dict[str, str]] = {"default": {}, "replica": {}}


def test_the_router_sends_analytics_reads_to_the_replica_and_all_else_to_the_primary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    router = AnalyticsReplicaRouter()
    with monkeypatch.context() as patched:
        # Only what the router reads; the live connections keep their own settings.
        patched.setattr(databases, "settings", SimpleNamespace(DATABASES=DATABASES_WITH_REPLICA))
        assert analytics_db_alias() == "replica"
        assert router.db_for_read(ANALYTICS_MODEL) == "replica"  # type: ignore[arg-type]
        assert router.db_for_read(Patient) == "default"
        assert router.db_for_write(ANALYTICS_MODEL) == "default"  # type: ignore[arg-type]
        assert router.allow_migrate("replica", "analytics") is False
        assert router.allow_migrate("default", "analytics") is True
        assert router.allow_relation(object(), object()) is True
    assert router.db_for_read(ANALYTICS_MODEL) == "default"  # type: ignore[arg-type]


def test_the_reminder_hour_is_an_hour_or_off() -> None:
    assert reminders_hour("7") == 7 and reminders_hour("off") is None
    for bad in ("24", "seven", "-1"):
        with pytest.raises(ImproperlyConfigured, match="TRDNAV_REMINDERS_HOUR"):
            reminders_hour(bad)
