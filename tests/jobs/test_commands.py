"""``trdnav worker`` and ``trdnav jobs``: queue, run with progress, show, list kinds."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from trdnav.cli import app
from trdnav.cli.progress import progress_bar
from trdnav.jobs.models import Job, Status

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_enqueue_then_a_burst_worker_runs_it_and_show_prints_its_progress() -> None:
    queued = runner.invoke(app, ["jobs", "enqueue", "selftest", "--payload", '{"sleep": 0}'])
    assert queued.exit_code == 0, queued.output
    job_id = json.loads(queued.stdout)["id"]
    worked = runner.invoke(app, ["worker", "--burst", "--name", "cli-test"])
    assert worked.exit_code == 0, worked.output
    shown = json.loads(runner.invoke(app, ["jobs", "show", job_id]).stdout)
    assert shown["status"] == "done"
    assert shown["progress"] == {"done": 1, "total": 1, "note": "done", "percent": 100}
    assert Job.objects.get(pk=job_id).claimed_by == "cli-test"


def test_run_executes_a_job_here_and_stores_it_like_any_other() -> None:
    result = runner.invoke(app, ["jobs", "run", "selftest", "--payload", '{"sleep": 0}'])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "done"
    assert Job.objects.get().status == Status.DONE


def test_bad_kinds_payloads_and_ids_are_refused_with_exit_2() -> None:
    cases = (
        (["jobs", "enqueue", "nope"], "kind"),
        (["jobs", "run", "nope"], "kind"),
        (["jobs", "enqueue", "selftest", "--payload", "[1]"], "payload"),
        (["jobs", "enqueue", "selftest", "--payload", "{"], "payload"),
        (["jobs", "show", "not-a-uuid"], "job_id"),
        (["jobs", "show", "00000000-0000-4000-8000-000000000001"], "job_id"),
    )
    for args, field in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert field in result.stdout, (args, result.stdout)
    assert not Job.objects.exists()


def test_kinds_lists_the_task_names() -> None:
    result = runner.invoke(app, ["jobs", "kinds"])
    assert {"fhir_export", "send_reminders", "selftest"} <= set(result.stdout.split())


def test_the_progress_bar_is_silent_off_a_terminal_and_draws_on_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with progress_bar("Quiet") as bar:
        bar(1, 2, "x")
    assert capsys.readouterr().err == ""
    with progress_bar("Loud", enabled=True) as bar:
        bar(2, 2, "patients")
    assert "Loud patients" in capsys.readouterr().err
