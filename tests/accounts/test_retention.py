"""Log-in failure records are kept for a bounded time (``trdnav prune-logins``)."""

from __future__ import annotations

import json
from datetime import timedelta

from axes.models import AccessAttempt
from django.utils import timezone
from typer.testing import CliRunner

from trdnav.cli import app

runner = CliRunner()


def _attempt(username: str, age: timedelta) -> None:
    row = AccessAttempt.objects.create(
        username=username, ip_address="10.0.0.1", user_agent="", get_data="", post_data="",
        http_accept="", path_info="/accounts/login/", failures_since_start=1,
    )  # fmt: skip
    # attempt_time is set on insert; age it afterwards.
    AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - age)


def test_prune_logins_removes_records_older_than_the_days_given(db: None) -> None:
    _attempt("old", timedelta(days=40))
    _attempt("recent", timedelta(days=2))
    result = runner.invoke(app, ["prune-logins", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"removed": 1, "kept_days": 30}
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent"]


def test_prune_logins_refuses_a_nonsense_window(db: None) -> None:
    assert runner.invoke(app, ["prune-logins", "--days", "0"]).exit_code == 2


def test_audit_grants_prints_sql_for_a_role_and_refuses_an_unsafe_name() -> None:
    result = runner.invoke(app, ["audit", "grants", "trdnav_app"])
    assert result.exit_code == 0
    revoke = "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_auditevent"
    assert f'{revoke} FROM "trdnav_app";' in result.stdout
    bad = runner.invoke(app, ["audit", "grants", "x; DROP TABLE y"])
    assert bad.exit_code == 2
