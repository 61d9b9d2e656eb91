from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from tests.personas import PERSONAS
from trdnav.accounts.models import User
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.services import update_clinical_profile
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.knowledge.loader import knowledge_version
from trdnav.history import document as hd
from trdnav.history.models import HistorySnapshot
from trdnav.history.services import save_history
from trdnav.history.snapshots import latest_snapshot, staging_for
from trdnav.patients.models import Patient

CARLA = PERSONAS["carla"]


def _carla() -> dict[str, Any]:
    return copy.deepcopy(CARLA.history)


def test_putting_an_item_returns_a_new_document_and_leaves_the_old_one_alone() -> None:
    doc = _carla()
    added = hd.put(doc, "treatments", {"id": "x"}, None)
    replaced = hd.put(doc, "treatments", {"id": "y"}, 0)
    assert added["treatments"][-1] == {"id": "x"}
    assert replaced["treatments"][0] == {"id": "y"}
    assert doc == CARLA.history


def test_a_new_id_is_readable_and_never_taken() -> None:
    assert hd.new_id("Sertraline", []) == "sertraline"
    assert hd.new_id("sertraline", ["sertraline", "sertraline-2"]) == "sertraline-3"
    assert hd.new_id("", []) == "item"


def test_an_episode_with_treatments_or_a_treatment_referred_to_cannot_be_removed() -> None:
    dana = PERSONAS["dana"].history
    with pytest.raises(InvalidInput) as episode:
        hd.remove_episode(dana, 1)
    assert "treatment(s) belong to this episode" in episode.value.errors[0].message
    venlafaxine = hd.ids(dana, "treatments").index("venlafaxine")
    with pytest.raises(InvalidInput) as treatment:
        hd.remove_treatment(dana, venlafaxine)
    assert "'olanzapine'" in treatment.value.errors[0].message
    olanzapine = hd.ids(dana, "treatments").index("olanzapine")
    assert "olanzapine" not in hd.ids(hd.remove_treatment(dana, olanzapine), "treatments")


def test_removing_the_last_episode_leaves_no_history() -> None:
    only = {"episodes": [{"id": "e", "start": "2024-01-01"}], "treatments": []}
    assert hd.remove_episode(only, 0) is None


def test_errors_about_the_edited_item_are_split_from_the_rest_by_path() -> None:
    errors = [
        FieldError("treatments[2].doses[0].mg_per_day", "must be at least 0; got -5"),
        FieldError("treatments[2].drug", "unknown"),
        FieldError("treatments[1].start", "elsewhere"),
        FieldError("episodes", "overlap"),
    ]
    split = hd.split_errors(errors, "treatments", 2)
    assert split.mine == {
        "doses[0].mg_per_day": ["must be at least 0; got -5"],
        "drug": ["unknown"],
    }
    assert [e.field for e in split.others] == ["treatments[1].start", "episodes"]


def test_the_revision_changes_with_the_document() -> None:
    doc = _carla()
    assert hd.revision(doc) == hd.revision(_carla())
    doc["treatments"][0]["notes"] = "changed"
    assert hd.revision(doc) != hd.revision(_carla())


@pytest.mark.django_db
def test_saving_a_history_stores_it_with_an_audit_event_and_a_snapshot(
    patient: Patient, clinician: User
) -> None:
    save_history(
        patient=patient,
        history=_carla(),
        by=Actor(user=clinician),
        as_of=CARLA.as_of,
        summary="added treatment 1 (antidepressant)",
    )
    assert ClinicalProfile.objects.get(patient=patient).history == CARLA.history
    event = AuditEvent.objects.get(object_type="treatment_history")
    assert (event.action, event.summary) == ("update", "added treatment 1 (antidepressant)")
    snapshot = HistorySnapshot.objects.get(patient=patient)
    assert snapshot.knowledge_version == knowledge_version()
    assert (snapshot.profile, snapshot.as_of, snapshot.trigger) == (
        "usual_minimum",
        CARLA.as_of,
        "history_changed",
    )
    venlafaxine = next(t for t in snapshot.result["trials"] if t["id"] == "venlafaxine")
    assert venlafaxine["counts_as_failed"] is True


@pytest.mark.django_db
def test_an_invalid_history_is_refused_with_document_paths_and_nothing_is_stored(
    patient: Patient, clinician: User
) -> None:
    broken = _carla()
    broken["treatments"][2]["doses"][0]["mg_per_day"] = -5
    with pytest.raises(InvalidInput) as exc:
        save_history(patient=patient, history=broken, by=Actor(user=clinician), as_of=CARLA.as_of)
    assert [e.field for e in exc.value.errors] == ["treatments[2].doses[0].mg_per_day"]
    assert not ClinicalProfile.objects.exists()
    assert not HistorySnapshot.objects.exists()
    assert not AuditEvent.objects.filter(object_type="treatment_history").exists()


@pytest.mark.django_db
def test_a_treatment_starting_after_the_save_date_is_refused(
    patient: Patient, clinician: User
) -> None:
    with pytest.raises(InvalidInput) as exc:
        save_history(
            patient=patient, history=_carla(), by=Actor(user=clinician), as_of=date(2025, 1, 1)
        )
    assert "treatments[3].start" in [e.field for e in exc.value.errors]
    assert not ClinicalProfile.objects.exists()


@pytest.mark.django_db
def test_a_history_changed_through_the_profile_service_is_snapshotted_too(
    patient: Patient, clinician: User
) -> None:
    actor = Actor(user=clinician)
    update_clinical_profile(
        patient=patient, data={"history": _carla()}, by=actor, as_of=CARLA.as_of
    )
    update_clinical_profile(patient=patient, data={"facts": []}, by=actor, as_of=CARLA.as_of)
    assert HistorySnapshot.objects.count() == 1


@pytest.mark.django_db
def test_staging_notes_a_knowledge_base_change_and_stores_what_it_showed(
    patient: Patient, clinician: User
) -> None:
    actor = Actor(user=clinician)
    save_history(patient=patient, history=_carla(), by=actor, as_of=CARLA.as_of)
    same = staging_for(patient=patient, history=_carla(), as_of=CARLA.as_of, by=actor)
    assert not same.knowledge_changed
    assert HistorySnapshot.objects.count() == 1
    HistorySnapshot.objects.update(knowledge_version="kb-older")
    changed = staging_for(patient=patient, history=_carla(), as_of=CARLA.as_of, by=actor)
    assert changed.knowledge_changed
    assert changed.previous_version == "kb-older"
    latest = latest_snapshot(patient)
    assert latest is not None
    assert (latest.trigger, latest.knowledge_version) == ("knowledge_changed", knowledge_version())
    assert changed.meta()["snapshot"]["knowledge_version"] == knowledge_version()


@pytest.mark.django_db
def test_another_profile_is_computed_but_not_stored(patient: Patient, clinician: User) -> None:
    actor = Actor(user=clinician)
    save_history(patient=patient, history=_carla(), by=actor, as_of=CARLA.as_of)
    other = staging_for(
        patient=patient,
        history=_carla(),
        as_of=CARLA.as_of,
        by=actor,
        profile="conservative_atrq",
    )
    venlafaxine = next(t for t in other.result["trials"] if t["id"] == "venlafaxine")
    assert venlafaxine["reasons"] == ["dose_below_minimum"]
    assert HistorySnapshot.objects.count() == 1
