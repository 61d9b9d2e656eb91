"""The outcome report against a hand-written SQL baseline, on SQLite, PostgreSQL and DuckDB.

Run: ``.venv/bin/python benchmarks/bench_analytics.py [--smoke] [--out DIR]`` (defaults: 100,000
patients on SQLite and on PostgreSQL, 1,000,000 through DuckDB over Parquet; ``--patients``,
``--parquet-patients`` and ``--postgres-url`` change them; ``--smoke`` uses tiny cohorts).
``--follow-up-weeks W`` adds weekly measures after each course (about 9 assessments a patient
without, about 50 with W = 46); ``--target-assessments N`` instead picks the smallest W whose
cohort reaches about N assessments for ``--patients`` (estimated on a sample of the cohort).
``--stores`` chooses the runs (sqlite, postgresql, duckdb); ``--sqlite-patients`` gives SQLite
a smaller cohort than PostgreSQL.

Each database run is a child process with its own database: it writes the synthetic cohort
(``trdnav.analytics.synthetic``, timed: the cohort's write throughput), then times the report
(``trdnav.analytics.report``: the three statements and the arithmetic) and the baseline — one
plain statement per breakdown with EXISTS subqueries, written by hand for PHQ-9 — and checks
that both give the same patients, measured courses, responders, remitters and early improvers
in every cell. Peak memory is the Python heap's peak during the report (tracemalloc) and the
child's peak resident size. Prints a table and writes ``<DIR>/analytics.json``. Nothing asserts
a time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import write_report

END = date(2026, 11, 1)
NOW = datetime(2026, 11, 30, tzinfo=UTC)
SINCE, UNTIL = date(1900, 1, 1), date(9999, 12, 31)
DIMENSIONS = ("therapy", "stage", "clinician", "period")
STORES = ("sqlite", "postgresql", "duckdb")
SAMPLE = 2000  # patients generated to estimate the assessments a follow-up gives
MAX_FOLLOW_UP_WEEKS = 110  # the cohort spans two years: no course is followed for longer

# The hand-written baseline: the same counts, written the obvious way (per course EXISTS
# probes into the assessments), for PHQ-9 (the synthetic cohort's instrument). {period} is the
# dialect's quarter expression of c.start_date.
BASELINE = """
SELECT {key} AS cell, COUNT(DISTINCT c.patient_id) AS patients,
  SUM(CASE WHEN EXISTS (SELECT 1 FROM {assessment} a WHERE a.patient_id = c.patient_id
      AND a.instrument = 'phq9' AND a.administered_on > b.administered_on
      AND a.administered_on <= c.ended_on AND a.valid AND a.voided_at IS NULL)
    THEN 1 ELSE 0 END) AS measured,
  SUM(CASE WHEN EXISTS (SELECT 1 FROM {assessment} a WHERE a.patient_id = c.patient_id
      AND a.instrument = 'phq9' AND a.administered_on > b.administered_on
      AND a.administered_on <= c.ended_on AND a.valid AND a.voided_at IS NULL
      AND 2 * a.total <= b.total AND b.total > 0) THEN 1 ELSE 0 END) AS responders,
  SUM(CASE WHEN EXISTS (SELECT 1 FROM {assessment} a WHERE a.patient_id = c.patient_id
      AND a.instrument = 'phq9' AND a.administered_on > b.administered_on
      AND a.administered_on <= c.ended_on AND a.valid AND a.voided_at IS NULL
      AND a.total < 5) THEN 1 ELSE 0 END) AS remitters,
  SUM(CASE WHEN EXISTS (SELECT 1 FROM {assessment} a WHERE a.patient_id = c.patient_id
      AND a.instrument = 'phq9' AND a.administered_on > b.administered_on
      AND a.administered_on <= c.ended_on AND a.valid AND a.voided_at IS NULL
      AND {days} <= 14 AND 5 * a.total <= 4 * b.total AND b.total > 0) THEN 1 ELSE 0 END)
    AS early
FROM {course} c JOIN {patient} p ON p.id = c.patient_id
JOIN {assessment} b ON b.id = c.baseline_assessment_id
LEFT JOIN {context} x ON x.course_id = c.id
WHERE p.clinic_id = {clinic} AND c.status <> 'planned'
GROUP BY {key}
"""
KEYS = {
    "therapy": "c.therapy_id",
    "stage": "x.trd_stage",
    "clinician": "CAST(c.created_by_id AS VARCHAR(20))",
}


def baseline_statements(dialect: Any, tables: dict[str, str], clinic: int) -> dict[str, str]:
    days = dialect.days_between("a.administered_on", "b.administered_on")
    keys = {**KEYS, "period": dialect.quarter("c.start_date").replace("%%", "%")}
    return {
        dimension: BASELINE.format(key=key, days=days, clinic=int(clinic), **tables)
        for dimension, key in keys.items()
    }


def compare(report: Any, baseline: dict[str, list[Any]], *, skip: tuple[str, ...] = ()) -> int:
    """Cells compared; raises when a number differs."""
    compared = 0
    for dimension, rows in baseline.items():
        if dimension in skip:
            continue
        cells = {c.key: c for c in report.breakdown(dimension)}
        for key, patients, measured, responders, remitters, early in rows:
            cell = cells[str(key if key is not None else "")]
            ours = (
                cell.patients,
                cell.response.total,
                cell.response.count,
                cell.remission.count,
                cell.early_improvement.count,
            )
            theirs = (patients, measured, responders, remitters, early)
            if tuple(int(v or 0) for v in theirs) != ours:
                raise AssertionError(f"{dimension} {key}: report {ours} != baseline {theirs}")
            compared += 1
    return compared


def timed(function: Any, repeats: int) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - started)
    return best, value


def peak_heap(function: Any) -> int:
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def assessments_per_patient(follow_up_weeks: int, sample: int = SAMPLE) -> float:
    """The mean assessments a patient of the benchmark's cohort (seed 1) has, on a sample."""
    from trdnav.core.analytics.cohort import generate

    people = generate(1, 0, sample, clinicians=2, follow_up_weeks=follow_up_weeks)
    measures = sum(len(c.measures) + len(c.follow_up) for p in people for c in p.courses)
    return measures / sample


def follow_up_for(target_assessments: int, patients: int) -> int:
    """The smallest follow-up (weeks) whose cohort of ``patients`` reaches about
    ``target_assessments`` assessments; the most the cohort's span allows if none does."""
    wanted = target_assessments / patients
    low, high = 0, MAX_FOLLOW_UP_WEEKS
    while low < high:
        middle = (low + high) // 2
        if assessments_per_patient(middle) >= wanted:
            high = middle
        else:
            low = middle + 1
    return low


def child_database(patients: int, repeats: int, follow_up_weeks: int = 0) -> dict[str, Any]:
    """In a child whose DATABASE_URL names an empty database: load, time, compare."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trdnav.site.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from trdnav.analytics import sql
    from trdnav.analytics.report import build_report, parameters, tallies_from_django
    from trdnav.analytics.synthetic import write_cohort
    from trdnav.assessments.models import Assessment

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    written = write_cohort(
        patients=patients, seed=1, clinic_slug="bench", end=END, batch=2000,
        follow_up_weeks=follow_up_weeks,
    )  # fmt: skip
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from trdnav.accounts.models import Clinic

    clinic = Clinic.objects.get(slug="bench").pk
    params = parameters(clinic, SINCE, UNTIL, NOW)

    def ours() -> Any:
        return build_report(
            tallies_from_django("default", params), minimum=1, since=SINCE, until=UNTIL
        )

    statements = baseline_statements(sql.dialect_for(connection.vendor), sql.DJANGO_TABLES, clinic)

    def theirs() -> dict[str, list[Any]]:
        out = {}
        with connection.cursor() as cursor:
            for dimension, statement in statements.items():
                cursor.execute(statement)
                out[dimension] = list(cursor.fetchall())
        return out

    report_seconds, report = timed(ours, repeats)
    baseline_seconds, baseline = timed(theirs, repeats)
    return {
        "store": connection.vendor,
        "patients": patients,
        "follow_up_weeks": follow_up_weeks,
        "courses": written.courses,
        "assessments": Assessment.objects.count(),
        "load_seconds": round(load_seconds, 2),
        "report_seconds": round(report_seconds, 3),
        "baseline_seconds": round(baseline_seconds, 3),
        "ratio": round(report_seconds / baseline_seconds, 2),
        "cells_agree": compare(report, baseline),
        "report_heap_peak_mib": round(peak_heap(ours) / 2**20, 1),
        "child_max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_duckdb(patients: int, repeats: int, follow_up_weeks: int = 0) -> dict[str, Any]:
    """Write the Parquet cohort here, then time the report in a fresh child process, so that
    its peak RSS is the report's and the baseline's, not the writing's."""
    from trdnav.analytics.parquet import write_parquet

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        rows = write_parquet(
            Path(folder), patients=patients, seed=1, end=END, follow_up_weeks=follow_up_weeks
        )
        load_seconds = time.perf_counter() - started
        command = [sys.executable, __file__, "--child-parquet", folder, "--repeats", str(repeats)]
        out = subprocess.run(command, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            return {
                "store": "duckdb over parquet",
                "patients": patients,
                "error": out.stderr[-2000:],
            }
        measured: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "store": "duckdb over parquet",
        "patients": patients,
        "follow_up_weeks": follow_up_weeks,
        "courses": rows["course"],
        "assessments": rows["assessment"],
        "load_seconds": round(load_seconds, 2),
        **measured,
    }


def child_parquet(folder: str, repeats: int) -> dict[str, Any]:
    import duckdb

    from trdnav.analytics import sql
    from trdnav.analytics.parquet import CLINIC_ID, PARQUET_TABLES, tallies_from_parquet
    from trdnav.analytics.report import build_report, parameters

    root = Path(folder)
    params = parameters(CLINIC_ID, SINCE, UNTIL, NOW)

    def ours() -> Any:
        tallies = tallies_from_parquet(root, params)
        return build_report(tallies, minimum=1, since=SINCE, until=UNTIL)

    statements = baseline_statements(sql.DUCKDB, PARQUET_TABLES, CLINIC_ID)

    def theirs() -> dict[str, list[Any]]:
        con = duckdb.connect(config={"memory_limit": "1GB", "preserve_insertion_order": False})
        for table in ("course", "patient", "assessment", "context"):
            con.execute(
                f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{root / table}/*.parquet')"
            )
        out = {d: con.execute(s).fetchall() for d, s in statements.items()}
        con.close()
        return out

    report_seconds, report = timed(ours, repeats)
    baseline_seconds, baseline = timed(theirs, repeats)
    return {
        "report_seconds": round(report_seconds, 3),
        "baseline_seconds": round(baseline_seconds, 3),
        "ratio": round(report_seconds / baseline_seconds, 2),
        "cells_agree": compare(report, baseline),
        "report_heap_peak_mib": round(peak_heap(ours) / 2**20, 1),
        "child_max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_child(url: str, patients: int, repeats: int, follow_up_weeks: int = 0) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url, "TRDNAV_ENV": "test"}
    env.pop("DATABASE_READ_URL", None)
    command = [sys.executable, __file__, "--child", str(patients), "--repeats", str(repeats),
               "--follow-up-weeks", str(follow_up_weeks)]  # fmt: skip
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {"store": url.split(":", 1)[0], "patients": patients, "error": out.stderr[-2000:]}
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def postgres_database(base_url: str) -> tuple[str, Any]:
    """A fresh database on the server of ``base_url``; the second value drops it."""
    import psycopg

    name = f"bench_analytics_{os.getpid()}"
    admin = base_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return base_url.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny cohorts, a few seconds")
    parser.add_argument("--out", default="benchmark-results", help="directory of the JSON")
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--parquet-patients", type=int, default=1_000_000)
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", ""))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--parquet-only", action="store_true", help="only DuckDB over Parquet (no databases)"
    )
    parser.add_argument(
        "--follow-up-weeks", type=int, default=0, help="weekly measures after each course"
    )
    parser.add_argument(
        "--target-assessments",
        type=int,
        help="pick the follow-up that gives about this many assessments for --patients",
    )
    parser.add_argument(
        "--sqlite-patients", type=int, help="a smaller SQLite cohort (default: --patients)"
    )
    parser.add_argument(
        "--stores", default=",".join(STORES), help=f"runs to do, of {', '.join(STORES)}"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-parquet", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child_database(args.child, args.repeats, args.follow_up_weeks)))
        return
    if args.child_parquet is not None:
        print(json.dumps(child_parquet(args.child_parquet, args.repeats)))
        return
    if args.smoke:
        args.patients, args.parquet_patients, args.repeats = 60, 200, 1
        args.sqlite_patients = None
    stores = _stores(args.stores, args.parquet_only)
    weeks = args.follow_up_weeks
    if args.target_assessments is not None:
        weeks = follow_up_for(args.target_assessments, args.patients)
        print(f"follow-up: {weeks} weeks (about {args.target_assessments} assessments)")
    results = []
    if "sqlite" in stores:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            patients = args.sqlite_patients or args.patients
            results.append(run_child(url, patients, args.repeats, weeks))
    if args.postgres_url and "postgresql" in stores:
        url, drop = postgres_database(args.postgres_url)
        try:
            results.append(run_child(url, args.patients, args.repeats, weeks))
        finally:
            drop()
    if "duckdb" in stores:
        results.append(run_duckdb(args.parquet_patients, args.repeats, weeks))
    print_table(results)
    # The shared report shape (benchmarks/_harness.py): benchmark, smoke, machine, rows.
    write_report(Path(args.out), "analytics", smoke=args.smoke, rows=results)
    if any("error" in r for r in results):
        sys.exit("a run failed: see the error in the JSON")


def _stores(raw: str, parquet_only: bool) -> set[str]:
    stores = {s.strip() for s in raw.split(",") if s.strip()}
    unknown = stores - set(STORES)
    if unknown:
        sys.exit(f"--stores: unknown {', '.join(sorted(unknown))}; allowed: {', '.join(STORES)}")
    return {"duckdb"} if parquet_only else stores


def print_table(results: list[dict[str, Any]]) -> None:
    columns = ("store", "patients", "follow_up_weeks", "assessments", "load_seconds",
               "report_seconds", "baseline_seconds", "ratio", "cells_agree", "report_heap_peak_mib",
               "child_max_rss_mib")  # fmt: skip
    print(" | ".join(columns))
    for result in results:
        print(" | ".join(str(result.get(c, result.get("error", "")[:40])) for c in columns))


if __name__ == "__main__":
    main()
