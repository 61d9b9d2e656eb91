"""The synthetic cohort as Parquet files, and the outcome report over them through DuckDB.

The files are named and shaped like the database tables the analytics SQL reads (only the
columns it needs), so ``trdnav.analytics.sql`` runs unchanged on DuckDB: one code path for the
numbers, whichever store holds the rows. Written with Polars, one file per table and batch.
No Django here: this runs without a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from trdnav.analytics import sql
from trdnav.analytics.report import Tallies, split_tallies
from trdnav.core.analytics.cohort import INSTRUMENT, SynthPatient, generate

CLINIC_ID = 1
SPAN = timedelta(days=730)
REMS_DEADLINE = timedelta(days=7)
TABLES = (
    "patient", "course", "assessment", "context", "session", "override", "rems", "trial",
)  # fmt: skip


def write_parquet(
    directory: Path,
    *,
    patients: int,
    seed: int,
    end: date,
    batch: int = 20000,
    progress: Callable[[int, int], None] | None = None,
    follow_up_weeks: int = 0,
) -> dict[str, int]:
    """Write the cohort under ``directory/<table>/part-<n>.parquet``; rows per table.
    ``follow_up_weeks``: weekly measures after each course's end (core.analytics.cohort)."""
    import polars as pl

    counts: dict[str, int] = defaultdict(int)
    ids = _Ids()
    first = end - SPAN
    clinicians = max(2, patients // 250)
    for part, start in enumerate(range(0, patients, batch)):
        count = min(batch, patients - start)
        people = generate(
            seed, start, count, clinicians=clinicians, follow_up_weeks=follow_up_weeks
        )
        columns = _columns(people, ids, first)
        for table, data in columns.items():
            folder = directory / table
            folder.mkdir(parents=True, exist_ok=True)
            frame = pl.DataFrame(data, strict=False)
            frame.write_parquet(folder / f"part-{part:05d}.parquet")
            counts[table] += frame.height
        if progress is not None:
            progress(start + count, patients)
    return dict(counts)


class _Ids:
    def __init__(self) -> None:
        self.next: dict[str, int] = defaultdict(lambda: 1)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def _columns(people: Any, ids: _Ids, first: date) -> dict[str, dict[str, list[Any]]]:
    out: dict[str, dict[str, list[Any]]] = {t: defaultdict(list) for t in TABLES}
    for person in people:
        _add_person(out, ids, person, first)
    return {table: dict(columns) for table, columns in out.items()}


def _row(out: dict[str, dict[str, list[Any]]], table: str, **values: Any) -> None:
    for name, value in values.items():
        out[table][name].append(value)


def _add_person(
    out: dict[str, dict[str, list[Any]]], ids: _Ids, person: SynthPatient, first: date
) -> None:
    patient_id = ids.take("patient")
    _row(out, "patient", id=patient_id, clinic_id=CLINIC_ID, number=person.number,
         birth_year=person.birth_year, sex=person.sex, synthetic=True)  # fmt: skip
    for trial in person.trials:
        _row(out, "trial", patient_id=patient_id, drug_class=trial.drug_class,
             adequate=trial.adequate)  # fmt: skip
    for course in person.courses:
        course_id = ids.take("course")
        start = first + timedelta(days=course.start_day)
        baseline_id = 0
        for measure in (*course.measures, *course.follow_up):  # the baseline first
            assessment_id = ids.take("assessment")
            baseline_id = baseline_id or assessment_id
            _row(out, "assessment", id=assessment_id, patient_id=patient_id,
                 instrument=INSTRUMENT, total=measure.total, valid=True, voided_at=None,
                 administered_on=start + timedelta(days=measure.day),
                 safety="positive" if measure.safety_positive else "negative")  # fmt: skip
        _row(out, "course", id=course_id, patient_id=patient_id, therapy_id=course.therapy,
             protocol_id=course.protocol, instrument=INSTRUMENT,
             status="completed" if course.completed else "stopped", start_date=start,
             ended_on=start + timedelta(days=course.last_day),
             baseline_assessment_id=baseline_id, created_by_id=course.clinician + 1)  # fmt: skip
        _row(out, "context", course_id=course_id, trd_stage=person.stage, synthetic=True)
        _add_sessions(out, ids, course_id, course, start)


def _add_sessions(
    out: dict[str, dict[str, list[Any]]], ids: _Ids, course_id: int, course: Any, start: date
) -> None:
    for number, day in enumerate(course.sessions, start=1):
        session_id = ids.take("session")
        _row(out, "session", id=session_id, course_id=course_id, number=number)
        if number in course.overrides:
            _row(out, "override", id=ids.take("override"), session_id=session_id)
        if course.rems:
            signed = datetime.combine(start + timedelta(days=day), time(11), tzinfo=UTC)
            due = signed + REMS_DEADLINE
            late = number in course.rems_late
            submitted = due + timedelta(days=2) if late else due - timedelta(days=3)
            _row(out, "rems", id=ids.take("rems"), session_id=session_id, due_at=due,
                 submitted_at=submitted)  # fmt: skip


PARQUET_TABLES = {
    "course": "course",
    "patient": "patient",
    "assessment": "assessment",
    "context": "context",
    "override": "override",
    "session": "session",
    "rems": "rems",
}


DUCKDB_MEMORY_LIMIT = "1GB"  # DuckDB spills to disk beyond it rather than growing


def tallies_from_parquet(
    directory: Path, params: dict[str, Any], *, memory_limit: str = DUCKDB_MEMORY_LIMIT
) -> Tallies:
    """The report's two statements in DuckDB over the Parquet files of ``write_parquet``."""
    import duckdb

    con = duckdb.connect(config={"memory_limit": memory_limit, "preserve_insertion_order": False})
    try:
        for table in PARQUET_TABLES.values():
            files = str(directory / table / "*.parquet")
            if any((directory / table).glob("*.parquet")):
                con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{files}')")
            else:  # a cohort without (say) REMS forms: an empty table of the right shape
                con.execute(f"CREATE TABLE {table} AS {_EMPTY[table]}")
        fetched = []
        for make in (sql.tallies, sql.weekly_change):
            statement = sql.for_duckdb(make(sql.DUCKDB, PARQUET_TABLES))
            used = {k: v for k, v in params.items() if f"${k}" in statement}
            fetched.append(con.execute(statement, used).fetchall())
        return split_tallies(*fetched)
    finally:
        con.close()


_EMPTY = {
    "override": "SELECT 0::BIGINT AS id, 0::BIGINT AS session_id WHERE FALSE",
    "rems": "SELECT 0::BIGINT AS id, 0::BIGINT AS session_id, NULL::TIMESTAMPTZ AS due_at, "
    "NULL::TIMESTAMPTZ AS submitted_at WHERE FALSE",
    "session": "SELECT 0::BIGINT AS id, 0::BIGINT AS course_id, 0 AS number WHERE FALSE",
}
