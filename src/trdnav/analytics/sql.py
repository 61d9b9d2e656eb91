"""The analytics SQL: one per-course derived table, tallied by each breakdown.

Written as SQL rather than the ORM because the per-course table needs conditional minimums
over a self-join of assessments, and the same text runs on SQLite, PostgreSQL and (over
Parquet) DuckDB; the few expressions that differ are the ``Dialect``'s. Every number is a
GROUP BY in the database; Python only receives the tallies.

Definitions (docs/analytics.md): day 0 is the course's baseline measure; a later valid,
current measure of the course's instrument, on or before the course's end, counts. Response:
at least the instrument's response percentage lower than baseline (``100·(b − t) ≥ pct·b``,
never with a baseline of 0); remission: the instrument's default remission rule; early
improvement: at least the early-improvement percentage lower within its days (P-AN6).
"""

from __future__ import annotations

from dataclasses import dataclass

from trdnav.core.instruments.registry import list_instruments
from trdnav.core.measurement.rules import early_improvement_rule

DIMENSIONS = ("therapy", "stage", "clinician", "period")


@dataclass(frozen=True)
class Dialect:
    name: str
    days: str  # days between two dates: {later}, {earlier}
    period: str  # the quarter of a date as 2026-Q1: {day}

    def days_between(self, later: str, earlier: str) -> str:
        return self.days.format(later=later, earlier=earlier)

    def quarter(self, day: str) -> str:
        return self.period.format(day=day)


SQLITE = Dialect(
    "sqlite",
    "CAST(julianday({later}) - julianday({earlier}) AS INTEGER)",
    # %% : the statement goes through the driver's parameter formatting.
    "strftime('%%Y', {day}) || '-Q' || ((CAST(strftime('%%m', {day}) AS INTEGER) + 2) / 3)",
)
POSTGRESQL = Dialect(
    "postgresql",
    "({later} - {earlier})",
    "to_char({day}, 'YYYY') || '-Q' || to_char({day}, 'Q')",
)
DUCKDB = Dialect(
    "duckdb",
    "date_diff('day', {earlier}, {later})",
    "strftime({day}, '%%Y') || '-Q' || CAST(quarter({day}) AS VARCHAR)",
)


def dialect_for(vendor: str) -> Dialect:
    return {"sqlite": SQLITE, "postgresql": POSTGRESQL, "duckdb": DUCKDB}[vendor]


def _outcome_cases() -> tuple[str, str]:
    """CASE expressions of an instrument's response percentage and remission test, from the
    knowledge base; ``b`` is the baseline measure, ``a`` the later one. Codes and numbers come
    from the knowledge files, never from a request."""
    response, remission = [], []
    for instrument in list_instruments():
        rules = instrument.definition.outcome
        if rules is None:
            continue
        code = instrument.code
        if rules.response_min_pct is not None:
            response.append(f"WHEN '{code}' THEN {int(rules.response_min_pct.value)}")
        rule = next((r for r in rules.remission if r.default), None)
        if rule is not None:
            operator = "<" if rule.comparison == "lt" else "<="
            remission.append(f"WHEN '{code}' THEN a.total {operator} {int(rule.value)}")
    pct = f"CASE c.instrument {' '.join(response)} END"
    remitted = f"CASE c.instrument {' '.join(remission)} ELSE FALSE END"
    return pct, remitted


def per_course(dialect: Dialect, tables: dict[str, str]) -> str:
    """One row per course of the clinic: its breakdown keys and its outcome days. The caller
    binds ``clinic``, ``since``, ``until`` and ``now`` (pyformat parameters)."""
    pct, remitted = _outcome_cases()
    early = early_improvement_rule()
    days = dialect.days_between("a.administered_on", "b.administered_on")
    responded = f"b.total > 0 AND 100 * (b.total - a.total) >= ({pct}) * b.total"
    improved = f"b.total > 0 AND 100 * (b.total - a.total) >= {int(early.min_pct)} * b.total"
    t = tables
    return f"""
SELECT c.id AS course_id, c.patient_id AS patient_id,
  COALESCE(c.therapy_id, '') AS therapy, COALESCE(x.trd_stage, '') AS stage,
  COALESCE(CAST(c.created_by_id AS VARCHAR(20)), '') AS clinician,
  {dialect.quarter("c.start_date")} AS period, c.status AS status,
  MIN(CASE WHEN {responded} THEN {days} END) AS response_day,
  MIN(CASE WHEN ({remitted}) THEN {days} END) AS remission_day,
  MAX({days}) AS last_day,
  MAX(CASE WHEN {days} <= {int(early.within_days)} AND {improved} THEN 1 ELSE 0 END) AS early,
  SUM(CASE WHEN a.safety = 'positive' THEN 1 ELSE 0 END) AS safety_events,
  MAX(COALESCE(ov.overrides, 0)) AS overrides,
  MAX(COALESCE(rm.due, 0)) AS rems_due, MAX(COALESCE(rm.on_time, 0)) AS rems_on_time
FROM {t["course"]} c
JOIN {t["patient"]} p ON p.id = c.patient_id
JOIN {t["assessment"]} b ON b.id = c.baseline_assessment_id
LEFT JOIN {t["context"]} x ON x.course_id = c.id
LEFT JOIN {t["assessment"]} a ON a.patient_id = c.patient_id AND a.instrument = c.instrument
  AND a.administered_on > b.administered_on AND a.valid AND a.voided_at IS NULL
  AND (c.ended_on IS NULL OR a.administered_on <= c.ended_on)
LEFT JOIN (SELECT s.course_id, COUNT(*) AS overrides FROM {t["override"]} o
  JOIN {t["session"]} s ON s.id = o.session_id GROUP BY s.course_id) ov ON ov.course_id = c.id
LEFT JOIN (SELECT s.course_id, COUNT(*) AS due,
    SUM(CASE WHEN r.submitted_at IS NOT NULL AND r.submitted_at <= r.due_at THEN 1 ELSE 0 END)
      AS on_time
  FROM {t["rems"]} r JOIN {t["session"]} s ON s.id = r.session_id
  WHERE r.due_at <= %(now)s GROUP BY s.course_id) rm ON rm.course_id = c.id
WHERE p.clinic_id = %(clinic)s AND c.status <> 'planned'
  AND c.start_date >= %(since)s AND c.start_date <= %(until)s
  AND b.valid AND b.voided_at IS NULL
GROUP BY c.id, c.patient_id, c.therapy_id, x.trd_stage, c.created_by_id, c.start_date, c.status
"""


SUMMARY_COUNTS = 12  # patients … rems_on_time
NO_COUNTS = ", ".join(["NULL"] * SUMMARY_COUNTS)


def tallies(dialect: Dialect, tables: dict[str, str]) -> str:
    """One statement, one pass over the per-course table: the counts of every breakdown cell
    (rows of kind ``summary``) and the Kaplan–Meier tallies (kind ``survival``: events and
    censored per cell, event and day). Columns: kind, dimension, cell, the twelve counts,
    event, day, events, censored."""
    parts = [_summary_part(f"'{d}'", d) for d in DIMENSIONS]
    parts.append(_summary_part("'all'", "''"))
    parts += _survival_parts()
    return f"WITH pc AS MATERIALIZED ({per_course(dialect, tables)})\n" + "\nUNION ALL\n".join(
        parts
    )


def _summary_part(dimension: str, key: str) -> str:
    return f"""SELECT 'summary' AS kind, {dimension} AS dimension, {key} AS cell,
  COUNT(DISTINCT patient_id) AS patients, COUNT(*) AS courses,
  SUM(CASE WHEN response_day IS NOT NULL THEN 1 ELSE 0 END) AS responders,
  SUM(CASE WHEN remission_day IS NOT NULL THEN 1 ELSE 0 END) AS remitters,
  SUM(early) AS early_improvers,
  SUM(CASE WHEN last_day IS NOT NULL THEN 1 ELSE 0 END) AS measured,
  SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed,
  SUM(CASE WHEN status IN ('completed', 'stopped') THEN 1 ELSE 0 END) AS ended,
  SUM(safety_events) AS safety_events, SUM(overrides) AS overrides,
  SUM(rems_due) AS rems_due, SUM(rems_on_time) AS rems_on_time,
  CAST(NULL AS VARCHAR(10)) AS event, CAST(NULL AS INTEGER) AS day,
  CAST(NULL AS BIGINT) AS events, CAST(NULL AS BIGINT) AS censored
FROM pc{"" if key == "''" else f" GROUP BY {key}"}"""


def _survival_parts() -> list[str]:
    """Kaplan–Meier tallies: per breakdown cell, event kind and day, the events and the
    censored (courses without the event, at their last measure)."""
    parts = []
    for dimension in (*DIMENSIONS, "all"):
        key = "''" if dimension == "all" else dimension
        for event in ("response", "remission"):
            parts.append(f"""SELECT 'survival', '{dimension}', {key}, {NO_COUNTS}, '{event}',
  COALESCE({event}_day, last_day),
  SUM(CASE WHEN {event}_day IS NOT NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN {event}_day IS NULL THEN 1 ELSE 0 END)
FROM pc WHERE last_day IS NOT NULL
GROUP BY {"" if dimension == "all" else f"{key}, "}COALESCE({event}_day, last_day)""")
    return parts


def weekly_change(dialect: Dialect, tables: dict[str, str]) -> str:
    """Mean change from baseline by week since baseline (week = days rounded to the nearest
    seven), per therapy and overall."""
    days = dialect.days_between("a.administered_on", "b.administered_on")
    t = tables
    body = f"""
SELECT COALESCE(c.therapy_id, '') AS therapy, c.patient_id AS patient_id,
  ({days} + 3) / 7 AS week, a.total - b.total AS change
FROM {t["course"]} c
JOIN {t["patient"]} p ON p.id = c.patient_id
JOIN {t["assessment"]} b ON b.id = c.baseline_assessment_id
JOIN {t["assessment"]} a ON a.patient_id = c.patient_id AND a.instrument = c.instrument
  AND a.administered_on > b.administered_on AND a.valid AND a.voided_at IS NULL
  AND (c.ended_on IS NULL OR a.administered_on <= c.ended_on)
WHERE p.clinic_id = %(clinic)s AND c.status <> 'planned'
  AND c.start_date >= %(since)s AND c.start_date <= %(until)s
  AND b.valid AND b.voided_at IS NULL"""
    return f"""WITH w AS MATERIALIZED ({body})
SELECT 'therapy' AS dimension, therapy AS cell, week, COUNT(DISTINCT patient_id) AS patients,
  AVG(change) AS mean_change FROM w GROUP BY therapy, week
UNION ALL
SELECT 'all', '', week, COUNT(DISTINCT patient_id), AVG(change) FROM w GROUP BY week"""


DJANGO_TABLES = {
    "course": "courses_course",
    "patient": "patients_patient",
    "assessment": "assessments_assessment",
    "context": "analytics_coursecontext",
    "override": "courses_sessionoverride",
    "session": "courses_treatmentsession",
    "rems": "courses_remsreport",
}


def for_duckdb(statement: str) -> str:
    """The statement with DuckDB's parameters ($name) and literal percent signs."""
    for name in ("now", "clinic", "since", "until"):
        statement = statement.replace(f"%({name})s", f"${name}")
    return statement.replace("%%", "%")
