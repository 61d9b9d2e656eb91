"""The snapshot model moved from the clinical app to the history app without moving data: a
database at the earlier migrations keeps its rows, table and content type when migrated on."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_clinic, make_patient
from trdnav.history.models import HistorySnapshot

CLINICAL_BEFORE = ("clinical", "0003_profile_absent_facts_and_unrecorded_medications")
BEFORE = [CLINICAL_BEFORE, ("history", None)]


@pytest.mark.django_db(transaction=True)
def test_snapshots_stored_before_the_move_are_read_after_it_from_the_same_table() -> None:
    patient = make_patient(make_clinic("moving"), "M-1")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state([CLINICAL_BEFORE]).apps
    old = old_apps.get_model("clinical", "HistorySnapshot")
    assert old._meta.db_table == "clinical_historysnapshot"
    row = old.objects.create(
        patient_id=patient.pk,
        profile="usual_minimum",
        as_of="2025-01-02",
        knowledge_version="kb-before",
        result={"kept": True},
        trigger="history_changed",
    )
    ContentType.objects.filter(app_label="history", model="historysnapshot").delete()
    ContentType.objects.get_or_create(app_label="clinical", model="historysnapshot")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = HistorySnapshot.objects.get(pk=row.pk)
    assert (moved.patient_id, moved.knowledge_version, moved.result) == (
        patient.pk,
        "kb-before",
        {"kept": True},
    )
    assert HistorySnapshot._meta.db_table == "clinical_historysnapshot"
    labels = ContentType.objects.filter(model="historysnapshot").values_list("app_label")
    assert list(labels) == [("history",)]
