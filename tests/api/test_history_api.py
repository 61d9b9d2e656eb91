from __future__ import annotations

import copy

import pytest
from django.test import Client

from tests.personas import PERSONAS
from trdnav.accounts.models import User
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.core.knowledge.loader import knowledge_version
from trdnav.history.models import HistorySnapshot
from trdnav.history.services import save_history
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db

BEN = PERSONAS["ben"]


def _url(patient: Patient, what: str) -> str:
    return f"/api/v1/patients/{patient.pk}/{what}"


def test_put_stores_the_document_and_get_returns_it(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    put = client.put(_url(patient, "history"), BEN.history, content_type="application/json")
    assert put.status_code == 200
    body = client.get(_url(patient, "history")).json()
    assert body == {
        "patient_id": patient.pk,
        "history": BEN.history,
        "knowledge_version": knowledge_version(),
    }
    assert HistorySnapshot.objects.filter(patient=patient).count() == 1
    event = AuditEvent.objects.get(object_type="treatment_history", action="update")
    assert (event.via, event.summary) == ("api", "history replaced")


def test_a_refused_put_names_each_field_path_and_stores_nothing(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    broken = copy.deepcopy(BEN.history)
    broken["treatments"][1]["doses"][0]["mg_per_day"] = -60
    broken["treatments"][2]["modality"] = "hypnosis"
    response = client.put(_url(patient, "history"), broken, content_type="application/json")
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["treatments[1].doses[0].mg_per_day", "treatments[2].modality"]
    assert not ClinicalProfile.objects.exists()
    assert not HistorySnapshot.objects.exists()


def test_a_put_that_is_not_a_json_object_is_refused(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    response = client.put(_url(patient, "history"), [1, 2], content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
    assert not ClinicalProfile.objects.exists()


def test_put_null_removes_the_history(client: Client, clinician: User, patient: Patient) -> None:
    save_history(patient=patient, history=BEN.history, by=Actor(user=clinician), as_of=BEN.as_of)
    client.force_login(clinician)
    response = client.put(_url(patient, "history"), "null", content_type="application/json")
    assert response.status_code == 200
    assert ClinicalProfile.objects.get().history is None


def test_staging_returns_the_engines_assessment_for_the_profile_and_date(
    client: Client, clinician: User, patient: Patient
) -> None:
    save_history(patient=patient, history=BEN.history, by=Actor(user=clinician), as_of=BEN.as_of)
    client.force_login(clinician)
    url = _url(patient, f"staging?as_of={BEN.as_of}&profile=conservative_atrq")
    body = client.get(url).json()
    assert body["profile"] == "conservative_atrq"
    assessment = body["assessment"]
    assert assessment["as_of"] == BEN.as_of.isoformat()
    assert assessment["trd"]["common"]["met"] is True
    assert set(assessment["staging"]) == {"thase_rush", "european", "mgh_s", "maudsley", "dm_trd"}
    default = client.get(_url(patient, f"staging?as_of={BEN.as_of}")).json()
    assert default["profile"] == "usual_minimum"
    assert default["snapshot"]["knowledge_version"] == knowledge_version()
    assert default["knowledge_changed"] is False
    assert AuditEvent.objects.filter(object_type="staging", patient_id=patient.pk).count() == 2


def test_staging_refuses_an_unknown_profile_and_an_early_date_with_paths(
    client: Client, clinician: User, patient: Patient
) -> None:
    save_history(patient=patient, history=BEN.history, by=Actor(user=clinician), as_of=BEN.as_of)
    client.force_login(clinician)
    unknown = client.get(_url(patient, "staging?profile=strictest"))
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "profile"
    early = client.get(_url(patient, "staging?as_of=2025-02-01"))
    assert early.status_code == 422
    assert "treatments[0].start" in [e["field"] for e in early.json()["errors"]]


def test_staging_without_a_history_says_so(
    client: Client, clinician: User, patient: Patient
) -> None:
    client.force_login(clinician)
    body = client.get(_url(patient, "staging")).json()
    assert (body["assessment"], body["snapshot"]) == (None, None)
