"""``trdnav worker`` runs background jobs; ``trdnav jobs`` queues, runs, shows and cancels
them (docs/deployment.md, "Worker"; docs/adr/0004-job-runner.md)."""

from __future__ import annotations

import json
import signal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from trdnav.cli.output import database_ready, exit_on_invalid, fail_usage, print_json
from trdnav.cli.progress import progress_bar
from trdnav.cli.server import _start_django
from trdnav.core.errors import InvalidInput

if TYPE_CHECKING:
    from trdnav.jobs.models import Job

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
jobs_app = typer.Typer(name="jobs", help="Background jobs: queue, run, show.", no_args_is_help=True)


def worker(
    burst: Annotated[
        bool, typer.Option("--burst", help="Stop when the queue is empty (cron, tests).")
    ] = False,
    name: Annotated[str, typer.Option(help="Worker name in the job table.")] = "",
    poll: Annotated[float, typer.Option(help="Seconds between looks at an empty queue.")] = 1.0,
) -> None:
    """Run queued jobs until stopped (SIGTERM or Ctrl+C finish the current job first)."""
    _start_django()
    from trdnav.jobs.worker import Worker, default_name

    loop = Worker(name=name or default_name(), poll_seconds=max(0.05, poll))
    before = {sig: signal.signal(sig, lambda *_: loop.stop.set()) for sig in STOP_SIGNALS}
    try:
        with database_ready():
            ran = loop.run(burst=burst)
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
    typer.echo(f"Worker {loop.name} ran {ran} job(s).", err=True)


def _payload(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        fail_usage("payload", "--payload must be a JSON object")
    if not isinstance(value, dict):
        fail_usage("payload", "--payload must be a JSON object")
    return value


def _describe(job: Any) -> dict[str, Any]:
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "status": job.status,
        "progress": {
            "done": job.progress_done,
            "total": job.progress_total,
            "note": job.progress_note,
            "percent": job.percent,
        },
        "attempts": job.attempts,
        "error": job.error,
        "result": job.result,
    }


def _enqueue_or_exit(kind: str, payload: str) -> Job:
    """The queued job; an unknown task or a bad payload exits 2 naming the field."""
    from trdnav.jobs.runner import enqueue

    try:
        with database_ready():
            return enqueue(kind, _payload(payload))
    except InvalidInput as exc:
        exit_on_invalid(exc)


@jobs_app.command("enqueue")
def enqueue_job(
    kind: Annotated[str, typer.Argument(help="Task name (trdnav jobs kinds).")],
    payload: Annotated[str, typer.Option(help="The task's arguments as a JSON object.")] = "{}",
) -> None:
    """Queue a job for the workers; print its id."""
    _start_django()
    print_json(_describe(_enqueue_or_exit(kind, payload)))


@jobs_app.command("run")
def run_job(
    kind: Annotated[str, typer.Argument(help="Task name (trdnav jobs kinds).")],
    payload: Annotated[str, typer.Option(help="The task's arguments as a JSON object.")] = "{}",
) -> None:
    """Run a job here and now with a progress bar; it is stored (and shown) like any other."""
    _start_django()
    from trdnav.jobs.runner import claim_job, run

    job = _enqueue_or_exit(kind, payload)
    with database_ready(), progress_bar(kind) as bar:
        claimed = claim_job(job.pk, "cli")
        if claimed is not None:
            run(claimed, worker="cli", on_progress=bar)
    job.refresh_from_db()
    print_json(_describe(job))
    if job.status != "done":
        raise typer.Exit(1)


@jobs_app.command("show")
def show_job(job_id: Annotated[str, typer.Argument(help="The job's id.")]) -> None:
    """Print a job's status and progress as JSON."""
    _start_django()
    from trdnav.jobs.models import Job

    with database_ready():
        job = Job.objects.filter(pk=_uuid(job_id)).first()
    if job is None:
        fail_usage("job_id", f"no job with id {job_id}")
    print_json(_describe(job))


@jobs_app.command("kinds")
def kinds() -> None:
    """List the task names a job can run."""
    from trdnav.jobs.registry import TASKS

    for name in sorted(TASKS):
        typer.echo(name)


def _uuid(raw: str) -> Any:
    import uuid

    try:
        return uuid.UUID(raw)
    except ValueError:
        fail_usage("job_id", f"{raw!r} is not a job id")


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.add_typer(jobs_app)
