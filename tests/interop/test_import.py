"""``trdnav fhir import FILE --clinic SLUG``: a Bundle stored all or nothing, every problem
named by its entry, audited (via cli), and a second import of the same file stores nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.factories import make_clinic, make_member, make_patient
from tests.interop.rest import phq9_response
from tests.personas import PERSONAS
from trdnav.accounts.models import Role
from trdnav.assessments.models import Assessment
from trdnav.assessments.services import record_assessment
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor
from trdnav.cli import app
from trdnav.clinical.models import ClinicalProfile
from trdnav.history.services import save_history
from trdnav.interop.base import RECORD_NUMBER
from trdnav.interop.export import export_patient
from trdnav.patients.models import Patient

runner = CliRunner()


def _history(patient: Patient) -> dict[str, Any]:
    return dict(ClinicalProfile.objects.get(patient=patient).history or {})


NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _run(tmp_path: Path, bundle: Any, clinic: str = "west") -> Any:
    file = tmp_path / "bundle.json"
    file.write_text(json.dumps(bundle) if not isinstance(bundle, str) else bundle)
    return runner.invoke(app, ["fhir", "import", str(file), "--clinic", clinic])


def _patient_entry(number: str = "W-1") -> dict[str, Any]:
    return {
        "fullUrl": "urn:uuid:0b7e1c1e-0000-4000-8000-000000000001",
        "resource": {
            "resourceType": "Patient", "id": "p1",
            "identifier": [{"system": RECORD_NUMBER, "value": number}],
            "name": [{"family": "Import", "given": ["Ida"]}], "birthDate": "1985-04-02",
            "gender": "female",
        },
    }  # fmt: skip


def _phq9_bundle(items: list[int | None], kind: str = "transaction") -> dict[str, Any]:
    response = phq9_response("p1", items, authored=date(2026, 11, 1), identifier="qr-1")
    response["subject"] = {"reference": "urn:uuid:0b7e1c1e-0000-4000-8000-000000000001"}
    return {
        "resourceType": "Bundle",
        "type": kind,
        "entry": [
            _patient_entry(),
            {"fullUrl": "urn:uuid:0b7e1c1e-0000-4000-8000-000000000002", "resource": response,
             "request": {"method": "POST", "url": "QuestionnaireResponse"}},
        ],
    }  # fmt: skip


@pytest.mark.django_db
def test_importing_a_phq9_response_stores_a_scored_assessment_with_its_safety_flag(
    tmp_path: Path,
) -> None:
    make_clinic("west")
    result = _run(tmp_path, _phq9_bundle([2, 2, 2, 2, 2, 1, 1, 1, 1]))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["stored"] == {"Patient": 1, "QuestionnaireResponse": 1}
    patient = Patient.objects.get(record_number="W-1")
    stored = Assessment.objects.get(patient=patient)
    assert (stored.total, stored.severity, stored.safety) == (14, "moderate", "positive")
    exported = export_patient(patient.pk, by=Actor(user=None, via="cli"), now=NOW)
    observation = next(
        e["resource"] for e in exported["entry"] if e["resource"]["resourceType"] == "Observation"
    )
    assert observation["valueInteger"] == 14
    assert observation["interpretation"][0]["coding"][0]["code"] == "moderate"
    codes = {c["code"]["coding"][-1]["code"]: c for c in observation["component"]}
    assert codes["safety-item"]["valueCodeableConcept"]["coding"][0]["code"] == "positive"
    events = AuditEvent.objects.filter(action=Action.CREATE, patient_id=patient.pk)
    assert {e.via for e in events} == {"cli"}
    assert all("Import" not in e.summary for e in AuditEvent.objects.all())
    # The same file again stores nothing new.
    again = _run(tmp_path, _phq9_bundle([2, 2, 2, 2, 2, 1, 1, 1, 1]))
    assert json.loads(again.output)["unchanged"] == {"Patient": 1, "QuestionnaireResponse": 1}
    assert Assessment.objects.count() == 1 and Patient.objects.count() == 1


@pytest.mark.django_db
def test_a_bundle_with_one_bad_entry_stores_nothing_and_names_every_problem(
    tmp_path: Path,
) -> None:
    make_clinic("west")
    bundle = _phq9_bundle([1] * 9, kind="collection")
    bundle["entry"][1]["resource"]["item"][8]["answer"][0]["valueCoding"]["code"] = "LA0000-0"
    bundle["entry"].append({"resource": {"resourceType": "Encounter", "status": "finished"}})
    result = _run(tmp_path, bundle)
    assert result.exit_code == 2, result.output
    fields = [e["field"] for e in json.loads(result.output)["errors"]]
    assert fields == [
        "entry[1].resource.item[linkId=item9].answer",
        "entry[2].resource.resourceType",
    ]
    assert not Patient.objects.exists() and not Assessment.objects.exists()


@pytest.mark.django_db
def test_an_exported_record_imports_into_another_clinic_as_the_same_record(
    tmp_path: Path,
) -> None:
    north = make_clinic("north")
    by = Actor(user=make_member(north, Role.CLINICIAN, "doc"), clinic=north)
    source = make_patient(north, "N-7", sex="male")
    for day, items in ((date(2026, 10, 1), [2] * 9), (date(2026, 11, 1), [1] * 8 + [None])):
        record_assessment(patient=source, instrument="phq9", answers={"items": items},
                          administered_on=day, by=by, source="clinician")  # fmt: skip
    history = PERSONAS["dana"].history
    save_history(patient=source, history=history, by=by, as_of=date(2026, 11, 1))
    bundle = export_patient(source.pk, by=by, now=NOW)
    make_clinic("west")
    result = _run(tmp_path, bundle)
    assert result.exit_code == 0, result.output
    copy = Patient.objects.get(clinic__slug="west")
    assert (copy.record_number, copy.family_name, copy.sex) == ("N-7", source.family_name, "male")
    fields = ("instrument", "answers", "total", "severity", "safety", "administered_on")
    assert list(
        Assessment.objects.filter(patient=copy).order_by("administered_on").values(*fields)
    ) == list(Assessment.objects.filter(patient=source).order_by("administered_on").values(*fields))
    stored = _history(copy)
    assert stored["episodes"] == [
        {k: v for k, v in e.items() if v is not None} for e in history["episodes"]
    ]
    assert len(stored["treatments"]) == len(history["treatments"])
    skipped = json.loads(result.output)["skipped"]
    assert skipped == {"Observation": 12, "Provenance": 3}
    again = _run(tmp_path, bundle)
    assert json.loads(again.output)["stored"] == {}
    assert Assessment.objects.filter(patient=copy).count() == 2


def test_a_missing_file_or_a_directory_exits_2(tmp_path: Path) -> None:
    for target in (tmp_path / "absent.json", tmp_path):
        result = runner.invoke(app, ["fhir", "import", str(target), "--clinic", "west"])
        assert result.exit_code == 2
        assert json.loads(result.stdout)["errors"][0]["field"] == "input"


@pytest.mark.django_db
def test_standard_input_is_read_with_a_dash() -> None:
    make_clinic("west")
    bundle = json.dumps({"resourceType": "Bundle", "type": "batch", "entry": []})
    result = runner.invoke(app, ["fhir", "import", "-", "--clinic", "west"], input=bundle)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["stored"] == {}


@pytest.mark.parametrize(
    ("bundle", "clinic", "field"),
    [
        ("{not json", "west", "input"),
        ({"resourceType": "Patient"}, "west", "resourceType"),
        ({"resourceType": "Bundle", "type": "searchset", "entry": []}, "west", "type"),
        (
            {"resourceType": "Bundle", "type": "collection", "entry": [{}]},
            "west",
            "entry[0].resource",
        ),
        ({"resourceType": "Bundle", "type": "collection", "entry": []}, "nowhere", "clinic"),
    ],
)
@pytest.mark.django_db
def test_a_wrong_file_or_clinic_exits_2_naming_it(
    tmp_path: Path, bundle: Any, clinic: str, field: str
) -> None:
    make_clinic("west")
    result = _run(tmp_path, bundle, clinic)
    assert result.exit_code == 2
    assert (
        json.loads(result.stdout.splitlines()[-1] if False else _json_part(result.stdout))[
            "errors"
        ][0]["field"]
        == field
    )


def _json_part(text: str) -> str:
    return text[text.index("{") :]
