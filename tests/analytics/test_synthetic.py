"""The synthetic cohort in the database and in Parquet: deterministic, never mixed silently with
real patients, and the same numbers whichever store the report reads."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.factories import make_patient
from trdnav.accounts.models import Clinic
from trdnav.analytics.models import CourseContext
from trdnav.analytics.parquet import CLINIC_ID, tallies_from_parquet, write_parquet
from trdnav.analytics.report import build_report, parameters
from trdnav.analytics.services import outcome_report
from trdnav.analytics.synthetic import write_cohort
from trdnav.assessments.models import Assessment
from trdnav.cli import app
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
