"""A change saved by someone else while a form was being filled in, or while it was being saved,
is never overwritten: the page says so and keeps what the user typed."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.personas import PERSONAS
from trdnav.accounts.models import User
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.history import document as hd
from trdnav.history import views
from trdnav.history.services import save_history
from trdnav.patients.models import Patient

pytestmark = pytest.mark.django_db

CARLA = PERSONAS["carla"]
CHANGED = "changed by someone else"


def _url(patient: Patient, rest: str) -> str:
    return f"/patients/{patient.pk}/history/{rest}"


def _save(patient: Patient, user: User, doc: Any) -> None:
    save_history(patient=patient, history=doc, by=Actor(user=user), as_of=CARLA.as_of)


def _stored(patient: Patient) -> Any:
    return ClinicalProfile.objects.get(patient=patient).history


def _theirs() -> dict[str, Any]:
    doc = copy.deepcopy(CARLA.history)
    doc["treatments"][0]["notes"] = "changed elsewhere"
    return doc


@pytest.fixture
def opened(clinician: User, patient: Patient, client: Client) -> str:
    """Carla's history stored, the clinician logged in; the revision their form was opened at."""
    _save(patient, clinician, copy.deepcopy(CARLA.history))
    client.force_login(clinician)
    return hd.revision(CARLA.history)


@pytest.fixture
def saved_meanwhile(clinician: User, patient: Patient) -> Iterator[None]:
    """Someone else's change lands after the page read the history, just before its save."""
    real = views.save_history  # type: ignore[attr-defined]

    def late(**kwargs: Any) -> Any:
        _save(patient, clinician, _theirs())
        return real(**kwargs)

    views.save_history = late  # type: ignore[attr-defined]
    yield
    views.save_history = real  # type: ignore[attr-defined]


@pytest.mark.usefixtures("saved_meanwhile")
def test_an_episode_saved_during_someone_elses_change_is_refused_with_the_input_kept(
    client: Client, patient: Patient, opened: str
) -> None:
    form = {"start": "2024-01-10", "severity": "moderate", "revision": opened}
    response = client.post(_url(patient, "episodes/new/"), form)
    assert response.status_code == 400
    assert CHANGED in str(response.context["form"].non_field_errors())
    assert response.context["form"].data["start"] == "2024-01-10"
    assert 'value="2024-01-10"' in response.content.decode()
    assert _stored(patient) == _theirs()


@pytest.mark.usefixtures("saved_meanwhile")
def test_a_treatment_saved_during_someone_elses_change_is_refused_with_the_input_kept(
    client: Client, patient: Patient, opened: str
) -> None:
    form = {"episode": "current", "start": "2025-09-01", "sessions": "6", "revision": opened}
    response = client.post(_url(patient, "treatments/new/ect/"), form)
    assert response.status_code == 400
    assert CHANGED in str(response.context["form"].non_field_errors())
    assert 'value="2025-09-01"' in response.content.decode()
    assert _stored(patient) == _theirs()


@pytest.mark.usefixtures("saved_meanwhile")
def test_an_import_during_someone_elses_change_is_refused_with_the_text_kept(
    client: Client, patient: Patient, opened: str
) -> None:
    text = json.dumps(PERSONAS["ben"].history)
    response = client.post(_url(patient, "import/"), {"history": text, "revision": opened})
    assert response.status_code == 400
    assert CHANGED in str(response.context["form"].non_field_errors())
    assert response.context["form"].data["history"] == text
    assert _stored(patient) == _theirs()


@pytest.mark.usefixtures("saved_meanwhile")
def test_a_removal_during_someone_elses_change_is_refused(
    client: Client, patient: Patient, opened: str
) -> None:
    last = len(CARLA.history["treatments"]) - 1
    response = client.post(_url(patient, f"treatments/{last}/remove/"), {"revision": opened})
    assert response.status_code == 400
    assert CHANGED in response.context["errors"][0].message
    assert _stored(patient) == _theirs()


def test_a_form_from_an_older_revision_is_refused_with_the_input_kept(
    client: Client, clinician: User, patient: Patient, opened: str
) -> None:
    _save(patient, clinician, _theirs())
    form = {"start": "2024-01-10", "severity": "moderate", "revision": opened}
    response = client.post(_url(patient, "episodes/0/"), form)
    assert response.status_code == 400
    assert CHANGED in str(response.context["form"].non_field_errors())
    assert 'value="2024-01-10"' in response.content.decode()
    assert _stored(patient) == _theirs()
