"""FHIR Bulk Data export of a clinic: NDJSON per resource type, every line valid R4, scoped to
the clinic, filtered by ``_type`` and ``_since``, audited per patient and as a whole; the
``$export`` kick-off, status polling, manifest, downloads and cancel over HTTP; and
``trdnav fhir export --clinic … --out …``."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from tests.factories import make_clinic, make_member, make_patient
from tests.interop.schema import schema_errors
from tests.personas import PERSONAS
from trdnav.accounts.models import Clinic, Role
from trdnav.accounts.tokens import issue_token
from trdnav.assessments.models import Assessment
from trdnav.assessments.services import record_assessment
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor
from trdnav.cli import app
from trdnav.core.errors import InvalidInput
from trdnav.history.services import save_history
from trdnav.interop.bulk import (
    RESOURCE_TYPES,
    DirectorySink,
    export_clinic,
    parse_since,
    parse_types,
)
from trdnav.jobs.models import Job, Status
from trdnav.jobs.runner import run_next

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
runner = CliRunner()


def _clinic_with_two_patients() -> Clinic:
    clinic = make_clinic("north")
    by = Actor(user=make_member(clinic, Role.CLINICIAN, "doc"), clinic=clinic)
    dana, other = make_patient(clinic, "N-1", sex="female"), make_patient(clinic, "N-2")
    for patient in (dana, other):
        record_assessment(patient=patient, instrument="phq9", answers={"items": [2] * 9},
                          administered_on=date(2026, 10, 1), by=by, source="clinician")  # fmt: skip
    save_history(patient=dana, history=PERSONAS["dana"].history, by=by, as_of=date(2026, 11, 1))
    make_patient(make_clinic("south"), "S-1")  # never in north's export
    return clinic


def _read(directory: Path) -> dict[str, list[dict[str, Any]]]:
    return {
        path.stem: [json.loads(line) for line in path.read_text().splitlines()]
        for path in sorted(directory.glob("*.ndjson"))
    }


def test_a_clinic_export_is_one_ndjson_file_per_type_of_valid_r4_resources(
    tmp_path: Path,
) -> None:
    clinic = _clinic_with_two_patients()
    summary = export_clinic(clinic, since=None, now=NOW, by=Actor(user=None, via="cli"),
                            sink=DirectorySink(tmp_path))  # fmt: skip
    files = _read(tmp_path)
    assert set(files) == {"Patient", "Condition", "MedicationStatement",
                          "QuestionnaireResponse", "Observation", "Provenance"}  # fmt: skip
    for kind, resources in files.items():
        for resource in resources:
            assert resource["resourceType"] == kind
            assert schema_errors(resource) == [], (kind, resource.get("id"))
    identifiers = {r["identifier"][0]["value"] for r in files["Patient"]}
    assert identifiers == {"N-1", "N-2"}, "the other clinic's patient stays out"
    assert summary.patients == 2
    assert summary.counts == {kind: len(rows) for kind, rows in files.items()}


def test_every_patient_exported_is_audited_and_the_export_once_with_the_count(
    tmp_path: Path,
) -> None:
    clinic = _clinic_with_two_patients()
    export_clinic(clinic, since=None, now=NOW, by=Actor(user=None, via="cli"),
                  sink=DirectorySink(tmp_path), export_id="x1")  # fmt: skip
    per_patient = AuditEvent.objects.filter(action=Action.EXPORT, object_type="fhir_bulk_export")
    assert per_patient.filter(patient_id__isnull=False).count() == 2
    whole = per_patient.get(patient_id__isnull=True)
    assert whole.object_id == "x1" and "2 patients" in whole.summary
    assert whole.clinic == clinic


def test_type_chooses_the_files_and_since_only_what_changed(tmp_path: Path) -> None:
    clinic = _clinic_with_two_patients()
    first, second = tmp_path / "types", tmp_path / "since"
    first.mkdir()
    second.mkdir()
    export_clinic(clinic, types=("Patient", "Observation"), since=None, now=NOW,
                  by=Actor(user=None), sink=DirectorySink(first))  # fmt: skip
    assert set(_read(first)) == {"Patient", "Observation"}
    later = timezone.now() + timedelta(seconds=1)
    Assessment.objects.filter(patient__record_number="N-2").update(recorded_at=later)
    export_clinic(clinic, since=later, now=NOW, by=Actor(user=None),
                  sink=DirectorySink(second))  # fmt: skip
    files = _read(second)
    assert [r["identifier"][0]["value"] for r in files["Patient"]] == ["N-2"]
    assert Counter(r["resourceType"] for rows in files.values() for r in rows) == {
        "Patient": 1, "QuestionnaireResponse": 1, "Observation": 1, "Provenance": 1,
    }  # fmt: skip


def test_bad_parameters_are_refused_naming_the_parameter() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_types("Patient,Encounter")
    assert caught.value.errors[0].field == "_type" and "Encounter" in str(caught.value)
    for bad in ("yesterday", "2026-01-01T00:00:00"):  # no time zone: ambiguous
        with pytest.raises(InvalidInput) as caught:
            parse_since(bad)
        assert caught.value.errors[0].field == "_since"
    assert parse_types(" ") == RESOURCE_TYPES
    assert parse_since("2026-01-01T00:00:00Z") == datetime(2026, 1, 1, tzinfo=UTC)


# ------------------------------------------------------------------------- over HTTP


def _token(clinic: Clinic, role: Role, name: str) -> str:
    user = make_member(clinic, role, name)
    return issue_token(user=user, name="bulk", by=Actor(user=user))[1]


def _get(client: Client, url: str, token: str, **headers: str) -> Any:
    return client.get(url, headers={"Authorization": f"Bearer {token}", **headers})


ASYNC = {"Prefer": "respond-async", "Accept": "application/fhir+json"}


def test_kick_off_poll_download_validate_over_http(client: Client) -> None:
    clinic = _clinic_with_two_patients()
    token = _token(clinic, Role.CLINIC_ADMIN, "admin")
    kick = _get(client, "/fhir/R4/$export?_type=Patient,Observation", token, **ASYNC)
    assert kick.status_code == 202, kick.content
    status_url = kick["Content-Location"]
    assert status_url.startswith("http://testserver/fhir/R4/$export-status/")
    waiting = _get(client, status_url, token)
    assert waiting.status_code == 202 and waiting["X-Progress"] == "queued"
    assert waiting["Retry-After"] == "2"
    assert run_next("test-worker")
    done = _get(client, status_url, token)
    assert done.status_code == 200, done.content
    assert done["Expires"].endswith(" GMT"), "files are deleted after TRDNAV_JOB_KEEP_HOURS"
    manifest = done.json()
    assert manifest["requiresAccessToken"] is True and manifest["error"] == []
    assert manifest["request"].endswith("/fhir/R4/$export?_type=Patient,Observation")
    assert {o["type"] for o in manifest["output"]} == {"Patient", "Observation"}
    for output in manifest["output"]:
        got = _get(client, output["url"], token)
        assert got.status_code == 200 and got["Content-Type"] == "application/fhir+ndjson"
        lines = got.content.decode().splitlines()
        assert len(lines) == output["count"]
        for line in lines:
            assert schema_errors(json.loads(line)) == []
        assert client.get(output["url"]).status_code == 401, "the file needs the token too"
    downloads = AuditEvent.objects.filter(object_type="fhir_bulk_file")
    assert downloads.count() == len(manifest["output"])


def test_progress_shows_while_the_export_runs(client: Client) -> None:
    clinic = _clinic_with_two_patients()
    token = _token(clinic, Role.CLINIC_ADMIN, "admin")
    status_url = _get(client, "/fhir/R4/Patient/$export", token, **ASYNC)["Content-Location"]
    Job.objects.update(status=Status.RUNNING, progress_done=1, progress_total=2,
                       progress_note="patients")  # fmt: skip
    assert _get(client, status_url, token)["X-Progress"] == "50% (1 of 2 patients)"


def test_delete_cancels_and_the_export_is_then_gone(client: Client) -> None:
    clinic = _clinic_with_two_patients()
    token = _token(clinic, Role.CLINIC_ADMIN, "admin")
    status_url = _get(client, "/fhir/R4/$export", token, **ASYNC)["Content-Location"]
    deleted = client.delete(status_url, headers={"Authorization": f"Bearer {token}"})
    assert deleted.status_code == 202
    assert _get(client, status_url, token).status_code == 404
    assert Job.objects.get().status == Status.CANCELLED
    assert run_next("w") is False


def test_only_a_clinic_admin_token_of_the_same_clinic_may_export_or_poll(client: Client) -> None:
    clinic = _clinic_with_two_patients()
    admin = _token(clinic, Role.CLINIC_ADMIN, "admin")
    clinician = _token(clinic, Role.CLINICIAN, "doc2")
    other_admin = _token(make_clinic("east"), Role.CLINIC_ADMIN, "east-admin")
    assert client.get("/fhir/R4/$export", headers=ASYNC).status_code == 401
    assert _get(client, "/fhir/R4/$export", "trd_wrong", **ASYNC).status_code == 401
    refused = _get(client, "/fhir/R4/$export", clinician, **ASYNC)
    assert refused.status_code == 403
    assert refused.json()["resourceType"] == "OperationOutcome"
    assert AuditEvent.objects.filter(action=Action.REFUSED, object_type="fhir_bulk_export")
    status_url = _get(client, "/fhir/R4/$export", admin, **ASYNC)["Content-Location"]
    run_next("w")
    assert _get(client, status_url, other_admin).status_code == 404
    file_url = _get(client, status_url, admin).json()["output"][0]["url"]
    assert _get(client, file_url, other_admin).status_code == 404
    assert _get(client, file_url, clinician).status_code == 403


def test_a_kick_off_without_respond_async_or_with_bad_parameters_is_400(client: Client) -> None:
    clinic = _clinic_with_two_patients()
    token = _token(clinic, Role.CLINIC_ADMIN, "admin")
    no_prefer = _get(client, "/fhir/R4/$export", token)
    assert no_prefer.status_code == 400
    assert no_prefer.json()["issue"][0]["expression"] == ["Prefer"]
    bad = _get(client, "/fhir/R4/$export?_type=Encounter&_since=soon&_outputFormat=csv", token,
               **ASYNC)  # fmt: skip
    assert bad.status_code == 400
    named = [issue["expression"][0] for issue in bad.json()["issue"]]
    assert named == ["_type", "_since", "_outputFormat"]
    assert not Job.objects.exists()
    posted = client.post("/fhir/R4/$export", headers={"Authorization": f"Bearer {token}"})
    assert posted.status_code == 405


def test_a_failed_export_answers_with_an_operation_outcome(client: Client) -> None:
    clinic = _clinic_with_two_patients()
    token = _token(clinic, Role.CLINIC_ADMIN, "admin")
    status_url = _get(client, "/fhir/R4/$export", token, **ASYNC)["Content-Location"]
    Job.objects.update(status=Status.FAILED)
    failed = _get(client, status_url, token)
    assert failed.status_code == 500
    assert failed.json()["resourceType"] == "OperationOutcome"


# ------------------------------------------------------------------------- command line


def test_the_command_writes_the_clinics_files_and_prints_a_summary(tmp_path: Path) -> None:
    _clinic_with_two_patients()
    out = tmp_path / "export"
    result = runner.invoke(app, ["fhir", "export", "--clinic", "north", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["patients"] == 2
    assert {o["type"] for o in summary["output"]} == set(_read(out))
    for resources in _read(out).values():
        assert all(schema_errors(r) == [] for r in resources)


def test_the_command_refuses_unknown_clinics_bad_types_and_a_used_directory(
    tmp_path: Path,
) -> None:
    _clinic_with_two_patients()
    (tmp_path / "Patient.ndjson").write_text("{}\n")
    cases: tuple[tuple[list[str], str], ...] = (
        (["--clinic", "nowhere", "--out", str(tmp_path / "new")], "clinic"),
        (["--clinic", "north", "--out", str(tmp_path / "n2"), "--type", "Encounter"], "_type"),
        (["--clinic", "north", "--out", str(tmp_path)], "out"),
        (["--clinic", "north"], "out"),
        ([], "patient_id"),
        (["1", "--clinic", "north", "--out", str(tmp_path / "n3")], "patient_id"),
    )
    for args, field in cases:
        result = runner.invoke(app, ["fhir", "export", *args])
        assert result.exit_code == 2, (args, result.output)
        assert field in result.stdout, (args, result.stdout)


def test_other_methods_are_405_with_the_allowed_ones(client: Client) -> None:
    clinic = _clinic_with_two_patients()
    token = _token(clinic, Role.CLINIC_ADMIN, "admin")
    auth = {"Authorization": f"Bearer {token}"}
    status_url = _get(client, "/fhir/R4/$export", token, **ASYNC)["Content-Location"]
    refused = client.put(status_url, headers=auth)
    assert refused.status_code == 405 and refused["Allow"] == "GET, DELETE"
    run_next("w")
    file_url = _get(client, status_url, token).json()["output"][0]["url"]
    assert client.delete(file_url, headers=auth).status_code == 405
    missing = file_url.replace("/Patient/1", "/Patient/9")
    assert _get(client, missing, token).status_code == 404
