"""``trdnav fhir export`` and ``trdnav fhir questionnaire``: one patient's Bundle, valid R4,
audited; a wrong id or code is a clear error (exit 2)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner

from tests.factories import make_clinic, make_member, make_patient
from tests.interop.schema import schema_errors
from tests.personas import PERSONAS
from trdnav.accounts.models import Role
from trdnav.assessments.services import record_assessment
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor
from trdnav.cli import app
from trdnav.core.errors import InvalidInput
from trdnav.history.services import save_history
from trdnav.interop.export import export_patient
from trdnav.patients.models import Patient

runner = CliRunner()
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _dana() -> Patient:
    clinic = make_clinic("north")
    user = make_member(clinic, Role.CLINICIAN, "doc")
    by = Actor(user=user, clinic=clinic)
    patient = make_patient(clinic, "N-1", sex="female")
    for day, items in ((date(2026, 10, 1), [2] * 9), (date(2026, 11, 1), [1] * 8 + [None])):
        record_assessment(
            patient=patient,
            instrument="phq9",
            answers={"items": items},
            administered_on=day,
            by=by,
            source="clinician",
        )
    save_history(patient=patient, history=PERSONAS["dana"].history, by=by, as_of=date(2026, 11, 1))
    return patient


@pytest.mark.django_db
def test_the_export_is_one_valid_bundle_of_the_patients_resources() -> None:
    patient = _dana()
    bundle = export_patient(patient.pk, by=Actor(user=None, via="cli"), now=NOW)
    assert schema_errors(bundle) == []
    kinds = Counter(e["resource"]["resourceType"] for e in bundle["entry"])
    trials = [t for t in PERSONAS["dana"].history["treatments"]]
    assert kinds["Patient"] == 1 and kinds["QuestionnaireResponse"] == 2
    assert kinds["Condition"] == len(PERSONAS["dana"].history["episodes"])
    assert kinds["MedicationStatement"] == len(trials)
    # two scores, five TRD definitions and five staging models
    assert kinds["Observation"] == 2 + 5 + 5
    assert kinds["Provenance"] == 3
    scores = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and "valueInteger" in e["resource"]
        and e["resource"]["code"]["coding"][0]["code"] == "44261-6"
    ]
    assert [s["valueInteger"] for s in scores] == [18]


@pytest.mark.django_db
def test_the_export_is_audited_without_patient_data() -> None:
    patient = _dana()
    export_patient(patient.pk, by=Actor(user=None, via="cli"), now=NOW)
    event = AuditEvent.objects.filter(action=Action.EXPORT, object_type="fhir_bundle").get()
    assert (event.patient_id, event.via, event.clinic_id) == (patient.pk, "cli", patient.clinic_id)
    assert patient.family_name not in event.summary


@pytest.mark.django_db
def test_exporting_an_unknown_patient_names_the_field() -> None:
    with pytest.raises(InvalidInput) as error:
        export_patient(999, by=Actor(user=None, via="cli"), now=NOW)
    assert error.value.errors[0].field == "patient_id"
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.django_db
def test_the_export_command_prints_the_bundle() -> None:
    patient = make_patient(make_clinic("south"), "S-1")
    result = runner.invoke(app, ["fhir", "export", str(patient.pk)])
    assert result.exit_code == 0, result.output
    bundle = json.loads(result.output)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]


@pytest.mark.django_db
def test_the_export_command_refuses_an_unknown_patient_with_exit_2() -> None:
    result = runner.invoke(app, ["fhir", "export", "424242"])
    assert result.exit_code == 2
    assert json.loads(result.output)["errors"][0]["field"] == "patient_id"


def test_the_questionnaire_command_prints_valid_r4() -> None:
    result = runner.invoke(app, ["fhir", "questionnaire", "phq9"])
    assert result.exit_code == 0
    assert schema_errors(json.loads(result.output)) == []


def test_the_questionnaire_command_lists_the_codes_for_an_unknown_one() -> None:
    result = runner.invoke(app, ["fhir", "questionnaire", "bdi2"])
    assert result.exit_code == 2
    assert "phq9" in json.loads(result.output)["errors"][0]["message"]
