"""Migration 0003: an empty medication list saved by the old form ("nothing entered") becomes
not recorded; a list with entries and the facts stay as they were."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_clinic, make_patient
from trdnav.clinical.models import ClinicalProfile

BEFORE = [("clinical", "0002_history_snapshot")]
AFTER = [("clinical", "0003_profile_absent_facts_and_unrecorded_medications")]


@pytest.mark.django_db(transaction=True)
def test_old_empty_medication_lists_become_not_recorded_and_lists_are_kept() -> None:
    clinic = make_clinic("migrating")
    empty, listed = make_patient(clinic, "M-1"), make_patient(clinic, "M-2")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("clinical", "ClinicalProfile")
    old.objects.create(patient_id=empty.pk, facts=["catatonia"], medications=[])
    old.objects.create(patient_id=listed.pk, facts=[], medications=["lithium"])
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    rows = {p.patient_id: p for p in ClinicalProfile.objects.all()}
    assert rows[empty.pk].medications is None
    assert rows[empty.pk].facts == ["catatonia"]
    assert rows[empty.pk].absent_facts == []
    assert rows[listed.pk].medications == ["lithium"]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # and back: not recorded is an empty list again
    old = executor.loader.project_state(BEFORE).apps.get_model("clinical", "ClinicalProfile")
    assert old.objects.get(patient_id=empty.pk).medications == []
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
