"""The synthetic cohort in the database and in Parquet: deterministic, never mixed silently with
real patients, and the same numbers whichever store the report reads."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.factories import make_patient
from trdnav.accounts.models import Clinic
from trdnav.analytics.models import CourseContext
from trdnav.analytics.parquet import CLINIC_ID, tallies_from_parquet, write_parquet
from trdnav.analytics.report import Report, build_report, parameters
from trdnav.analytics.services import outcome_report
from trdnav.analytics.synthetic import write_cohort
from trdnav.assessments.models import Assessment
from trdnav.cli import app
from trdnav.core.analytics.cohort import generate
from trdnav.core.errors import InvalidInput
from trdnav.courses.models import Course
from trdnav.patients.models import Patient

END = date(2026, 11, 1)
NOW = datetime(2026, 11, 30, tzinfo=UTC)
runner = CliRunner()


def _database_digest(slug: str) -> str:
    """What a clinic's synthetic cohort says, independent of the ids the database assigned."""
    rows = Assessment.objects.filter(patient__clinic__slug=slug).order_by(
        "patient__record_number", "administered_on", "total"
    )
    text = repr(list(rows.values_list("patient__record_number", "administered_on", "total")))
    courses = Course.objects.filter(patient__clinic__slug=slug).order_by(
        "patient__record_number", "start_date"
    )
    text += repr(list(courses.values_list("patient__record_number", "therapy_id", "status")))
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.django_db
def test_the_same_seed_writes_the_same_cohort_and_another_seed_another() -> None:
    write_cohort(patients=40, seed=11, clinic_slug="syn-a", end=END, batch=15)
    write_cohort(patients=40, seed=11, clinic_slug="syn-b", end=END, batch=40)
    write_cohort(patients=40, seed=12, clinic_slug="syn-c", end=END)
    assert _database_digest("syn-a") == _database_digest("syn-b")
    assert _database_digest("syn-a") != _database_digest("syn-c")
    assert Patient.objects.filter(clinic__slug="syn-a").count() == 40
    assert not CourseContext.objects.filter(synthetic=False).exists()


@pytest.mark.django_db
def test_synthetic_patients_are_refused_into_a_clinic_with_real_patients(clinic: Clinic) -> None:
    make_patient(clinic, "N-001")
    with pytest.raises(InvalidInput) as refused:
        write_cohort(patients=3, seed=1, clinic_slug=clinic.slug, end=END)
    assert refused.value.errors[0].field == "clinic"
    assert Patient.objects.filter(clinic=clinic).count() == 1
    write_cohort(
        patients=3, seed=1, clinic_slug=clinic.slug, end=END, into_clinic_with_real_patients=True
    )
    assert Patient.objects.filter(clinic=clinic, record_number__startswith="SYN-").count() == 3


@pytest.mark.django_db
def test_the_database_and_duckdb_over_parquet_give_the_same_report(tmp_path: Path) -> None:
    write_cohort(patients=150, seed=5, clinic_slug="syn", end=END)
    write_parquet(tmp_path, patients=150, seed=5, end=END)
    since, until = date(1900, 1, 1), date(9999, 12, 31)
    from_db = outcome_report(clinic=Clinic.objects.get(slug="syn"), now=NOW, minimum=5)
    tallies = tallies_from_parquet(tmp_path, parameters(CLINIC_ID, since, until, NOW))
    from_parquet = build_report(tallies, minimum=5, since=since, until=until)
    # Clinician keys are database ids in one and generator numbers in the other.
    for dimension in ("therapy", "stage", "period", "all"):
        assert [c.to_dict() for c in from_db.breakdown(dimension)] == [
            c.to_dict() for c in from_parquet.breakdown(dimension)
        ]
    assert from_db.weekly == from_parquet.weekly


def test_parquet_output_is_identical_for_a_seed(tmp_path: Path) -> None:
    def digest(folder: Path) -> str:
        files = sorted(folder.rglob("*.parquet"))
        return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()

    for name in ("one", "two"):
        result = runner.invoke(
            app, ["synth", "--patients", "30", "--seed", "9", "--end", "2026-11-01",
                  "--out", str(tmp_path / name)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["synthetic"] is True
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_report_over_parquet_writes_csv_parquet_and_json(tmp_path: Path) -> None:
    write_parquet(tmp_path / "cohort", patients=60, seed=2, end=END)
    for fmt in ("csv", "parquet", "json"):
        out = tmp_path / f"report.{fmt}"
        result = runner.invoke(
            app, ["report", "--parquet", str(tmp_path / "cohort"), "--format", fmt,
                  "--out", str(out)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert "response_ci95_low" in (tmp_path / "report.csv").read_text().splitlines()[0]


def test_report_refuses_an_unknown_format_and_a_missing_cohort(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--parquet", str(tmp_path), "--format", "xlsx"])
    assert result.exit_code == 2 and "format" in result.stdout
    result = runner.invoke(app, ["report", "--parquet", str(tmp_path)])
    assert result.exit_code == 2 and "parquet" in result.stdout


@pytest.mark.django_db
def test_report_on_a_database_clinic_prints_json(clinic: Clinic) -> None:
    write_cohort(patients=20, seed=3, clinic_slug="syn", end=END)
    result = runner.invoke(app, ["report", "--clinic", "syn", "--min-cell", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["cells"]
    result = runner.invoke(app, ["report", "--clinic", "nowhere"])
    assert result.exit_code == 2 and "clinic" in result.stdout


def _outcomes(report: Report) -> dict[str, Any]:
    """The course outcome numbers of a report (clinician keys are database ids: left out)."""
    cells = {d: [c.to_dict() for c in report.breakdown(d)] for d in ("therapy", "stage", "period")}
    return {**cells, "all": [c.to_dict() for c in report.breakdown("all")], "weekly": report.weekly}


@pytest.mark.django_db
def test_follow_up_adds_measures_but_never_changes_a_course_outcome() -> None:
    without = write_cohort(patients=120, seed=4, clinic_slug="syn-plain", end=END, batch=50)
    followed = write_cohort(
        patients=120, seed=4, clinic_slug="syn-follow", end=END, batch=50, follow_up_weeks=30
    )
    expected = sum(
        len(c.measures) + len(c.follow_up)
        for p in generate(4, 0, 120, clinicians=2, follow_up_weeks=30)
        for c in p.courses
    )
    assert followed.assessments == expected
    assert followed.assessments > 3 * without.assessments
    assert Assessment.objects.filter(patient__clinic__slug="syn-follow").count() == expected
    assert followed.courses == without.courses
    # Measures after a course's end do not count for it (P-AN8): the same outcome numbers.
    reports = [
        outcome_report(clinic=Clinic.objects.get(slug=slug), now=NOW, minimum=1)
        for slug in ("syn-plain", "syn-follow")
    ]
    assert _outcomes(reports[0]) == _outcomes(reports[1])
    assert reports[0].breakdown("all")[0].to_dict()["courses"] == without.courses


@pytest.mark.django_db
def test_with_follow_up_the_database_and_duckdb_still_agree(tmp_path: Path) -> None:
    write_cohort(patients=100, seed=6, clinic_slug="syn", end=END, follow_up_weeks=25)
    rows = write_parquet(tmp_path, patients=100, seed=6, end=END, follow_up_weeks=25)
    assert rows["assessment"] == Assessment.objects.filter(patient__clinic__slug="syn").count()
    since, until = date(1900, 1, 1), date(9999, 12, 31)
    from_db = outcome_report(clinic=Clinic.objects.get(slug="syn"), now=NOW, minimum=1)
    tallies = tallies_from_parquet(tmp_path, parameters(CLINIC_ID, since, until, NOW))
    from_parquet = build_report(tallies, minimum=1, since=since, until=until)
    assert _outcomes(from_db) == _outcomes(from_parquet)


def test_synth_follow_up_weeks_option_is_deterministic_and_refuses_a_negative(
    tmp_path: Path,
) -> None:
    counts = []
    for name, weeks in (("one", "20"), ("two", "20"), ("none", "0")):
        result = runner.invoke(
            app, ["synth", "--patients", "30", "--seed", "9", "--end", "2026-11-01",
                  "--follow-up-weeks", weeks, "--out", str(tmp_path / name)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        counts.append(json.loads(result.stdout)["rows"]["assessment"])
    assert counts[0] == counts[1] > counts[2]
    files = [sorted((tmp_path / n).rglob("*.parquet")) for n in ("one", "two")]
    assert [f.read_bytes() for f in files[0]] == [f.read_bytes() for f in files[1]]
    refused = runner.invoke(app, ["synth", "--patients", "3", "--follow-up-weeks", "-1",
                                  "--out", str(tmp_path / "bad")])  # fmt: skip
    assert refused.exit_code == 2 and "follow-up-weeks" in refused.output


@pytest.mark.django_db
def test_write_cohort_refuses_a_negative_follow_up() -> None:
    with pytest.raises(InvalidInput) as refused:
        write_cohort(patients=3, seed=1, end=END, follow_up_weeks=-2)
    assert refused.value.errors[0].field == "follow_up_weeks"
    assert not Patient.objects.exists()
