"""``trdnav synth`` (a synthetic cohort) and ``trdnav report`` (the outcome report).

Both are long-running on large cohorts: the work itself is in plain functions that take a
``progress(done, total)`` callback (``trdnav.analytics.synthetic.write_cohort``,
``trdnav.analytics.parquet.write_parquet``), so a job runner can call them too. The bar goes
to standard error, and only on a terminal.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from trdnav.cli.output import database_ready, fail_usage, print_json
from trdnav.cli.server import _start_django
from trdnav.core.errors import InvalidInput
from trdnav.site.config import env_int

if TYPE_CHECKING:
    from trdnav.analytics.report import Report


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    console = Console(stderr=True)
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _day(raw: str | None, hint: str) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        fail_usage(hint.lstrip("-"), f"{hint} must be a date as YYYY-MM-DD")


def synth(
    patients: Annotated[int, typer.Option("--patients", min=1, help="How many patients.")],
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same cohort.")] = 1,
    clinic: Annotated[
        str, typer.Option("--clinic", help="Slug of the (synthetic) clinic to write into.")
    ] = "synthetic",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write Parquet files into this directory, not the database."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="Last day of the cohort (YYYY-MM-DD); today.")
    ] = None,
    into_real: Annotated[
        bool,
        typer.Option(
            "--into-clinic-with-real-patients",
            help="Allow writing into a clinic that holds real patients (never by default).",
        ),
    ] = False,
    follow_up_weeks: Annotated[
        int,
        typer.Option(
            "--follow-up-weeks",
            min=0,
            help="Weekly PHQ-9 measures after each course's end, up to this many weeks "
            "(until the next course or the cohort's end); they do not change course outcomes.",
        ),
    ] = 0,
) -> None:
    """Generate a SYNTHETIC cohort (not real patients): histories, courses and weekly PHQ-9
    trajectories calibrated to the knowledge base's response and remission figures."""
    last = _day(end, "--end") or datetime.now(UTC).date()
    started = time.perf_counter()
    if out is not None:
        from trdnav.analytics.parquet import write_parquet

        with progress_bar("synthetic patients") as progress:
            rows = write_parquet(
                out, patients=patients, seed=seed, end=last, progress=progress,
                follow_up_weeks=follow_up_weeks,
            )  # fmt: skip
        print_json({"synthetic": True, "out": str(out), "rows": rows, **_took(started)})
        return
    _start_django()
    from trdnav.analytics.synthetic import write_cohort

    with database_ready(), progress_bar("synthetic patients") as progress:
        try:
            result = write_cohort(
                patients=patients, seed=seed, clinic_slug=clinic, end=last,
                into_clinic_with_real_patients=into_real, progress=progress,
                follow_up_weeks=follow_up_weeks,
            )  # fmt: skip
        except InvalidInput as refused:
            fail_usage(refused.errors[0].field, refused.errors[0].message)
    print_json({"synthetic": True, **result.__dict__, **_took(started)})


def _took(started: float) -> dict[str, float]:
    return {"seconds": round(time.perf_counter() - started, 1)}


def report(
    clinic: Annotated[
        str | None, typer.Option("--clinic", help="Slug of the clinic (database cohorts).")
    ] = None,
    parquet: Annotated[
        Path | None,
        typer.Option("--parquet", help="Report on a Parquet cohort (trdnav synth --out) instead."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv, parquet or json.")] = "json",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Courses from (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Courses to (YYYY-MM-DD).")] = None,
    minimum: Annotated[
        int | None, typer.Option("--min-cell", min=1, help="Suppress cells below this count.")
    ] = None,
) -> None:
    """The outcome report (docs/analytics.md): per therapy, TRD stage, clinician and quarter."""
    from trdnav.analytics.export import FORMATS, write_report

    if fmt not in FORMATS:
        fail_usage("format", f"--format must be one of {', '.join(FORMATS)}")
    if fmt != "json" and out is None:
        fail_usage("out", f"--format {fmt} writes a file: give --out FILE")
    start, end = _day(since, "--since"), _day(until, "--until")
    result = (
        _parquet_report(parquet, start, end, minimum)
        if parquet is not None
        else _database_report(clinic, start, end, minimum)
    )
    if out is None:
        print_json(result.to_dict())
        return
    write_report(result, fmt, out)
    typer.echo(f"Wrote {out}", err=True)


def _parquet_report(
    folder: Path, since: date | None, until: date | None, minimum: int | None
) -> Report:
    from trdnav.analytics.parquet import CLINIC_ID, tallies_from_parquet
    from trdnav.analytics.report import build_report, parameters

    if not (folder / "course").is_dir():
        fail_usage("parquet", f"{folder} holds no cohort written by trdnav synth --out")
    start, end = since or date(1900, 1, 1), until or date.max
    params = parameters(CLINIC_ID, start, end, datetime.now(UTC))
    tallies = tallies_from_parquet(folder, params)
    # Without Django's settings: the same variable, read the same way (docs/configuration.md).
    least = minimum or env_int("TRDNAV_ANALYTICS_MIN_CELL", 5, minimum=1)
    return build_report(tallies, minimum=least, since=start, until=end)


def _database_report(
    clinic: str | None, since: date | None, until: date | None, minimum: int | None
) -> Report:
    if clinic is None:
        fail_usage("clinic", "give --clinic SLUG (or --parquet DIR)")
    _start_django()
    from trdnav.accounts.models import Clinic
    from trdnav.analytics.services import outcome_report
    from trdnav.audit.models import Action
    from trdnav.audit.services import Actor, record_event

    with database_ready():
        found = Clinic.objects.filter(slug=clinic).first()
        if found is None:
            fail_usage("clinic", f"no clinic with slug {clinic!r}")
        result = outcome_report(clinic=found, since=since, until=until, minimum=minimum)
        record_event(
            by=Actor(user=None, clinic=found, via="cli"),
            action=Action.EXPORT,
            object_type="outcome_report",
            summary="outcome report (aggregates only)",
        )
    return result


def refresh_analytics(
    clinic: Annotated[str | None, typer.Option("--clinic", help="Only this clinic.")] = None,
) -> None:
    """Refresh each course's TRD stage at its start from the history snapshots."""
    _start_django()
    from trdnav.accounts.models import Clinic
    from trdnav.analytics.refresh import refresh_course_stages

    with database_ready():
        found = None if clinic is None else Clinic.objects.filter(slug=clinic).first()
        if clinic is not None and found is None:
            fail_usage("clinic", f"no clinic with slug {clinic!r}")
        with progress_bar("courses") as progress:
            count = refresh_course_stages(clinic=found, progress=progress)
    print_json({"courses_refreshed": count})


def register(app: typer.Typer) -> None:
    app.command("synth")(synth)
    app.command("report")(report)
    app.command("refresh-analytics")(refresh_analytics)
