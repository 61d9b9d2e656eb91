"""The demo clinic's clinical profiles record absent facts and medication lists, so that the
demo shows suitable options, a few facts still to check, and a medication warning."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from trdnav.clinical.models import ClinicalProfile
from trdnav.core.knowledge import load_therapies
from trdnav.core.recommend import parse_patient, recommend
from trdnav.demo import load_demo_data
from trdnav.demo.clinical import RECENTLY_STOPPED, clinical_plans, current_medications
from trdnav.demo.people import demo_patients
from trdnav.demo.personas import PERSONAS

AS_OF = date(2025, 3, 1)


def _results() -> dict[str, dict[str, Any]]:
    knowledge = load_therapies()
    born = {p.record_number: p.date_of_birth for p in demo_patients(as_of=AS_OF)}
    found = {}
    for number, plan in clinical_plans(as_of=AS_OF).items():
        raw = {
            "date_of_birth": born[number].isoformat(),
            "facts": list(plan.facts),
            "absent_facts": list(plan.absent_facts),
            "medications": list(plan.medications or ()),
            "history": plan.history,
        }
        patient = parse_patient(raw, knowledge, as_of=AS_OF)
        found[number] = recommend(patient, knowledge, as_of=AS_OF).to_dict()
    return found


def test_the_same_seed_and_date_give_the_same_facts_and_medications() -> None:
    first, second = clinical_plans(as_of=AS_OF), clinical_plans(as_of=AS_OF)
    assert {k: (p.absent_facts, p.medications) for k, p in first.items()} == {
        k: (p.absent_facts, p.medications) for k, p in second.items()
    }


def test_every_demo_patient_has_a_recorded_medication_list_and_checked_facts() -> None:
    plans = clinical_plans(as_of=AS_OF)
    assert all(plan.medications is not None for plan in plans.values())
    assert sum(bool(plan.medications) for plan in plans.values()) >= len(plans) // 2
    assert all(len(plan.absent_facts) > 30 for plan in plans.values())


def test_the_demo_is_mostly_suitable_with_something_to_check_and_to_warn_about() -> None:
    results = _results()
    statuses = Counter(o["status"] for r in results.values() for o in r["options"])
    assert statuses["suitable"] > statuses["caution"]
    everyone_has_a_suitable_option = all(
        any(o["status"] == "suitable" for o in r["options"]) for r in results.values()
    )
    assert everyone_has_a_suitable_option
    facts = set(load_therapies().vocabulary.facts)
    to_check = [r for r in results.values() if any(t["fact"] in facts for t in r["to_check"])]
    assert 3 <= len(to_check) < len(results) // 2


def test_the_personas_keep_their_own_checked_absent_facts() -> None:
    plans = clinical_plans(as_of=AS_OF)
    by_facts = {plan.facts: plan for plan in plans.values()}
    dana = PERSONAS["dana"]
    assert by_facts[dana.facts].absent_facts == dana.absent_facts


def test_current_medications_are_the_ongoing_drugs_and_the_recently_stopped() -> None:
    history: dict[str, Any] = {
        "treatments": [
            {"kind": "antidepressant", "drug": "sertraline", "end": None},
            {"kind": "augmentation", "agent": "t3", "end": None},
            {"kind": "antidepressant", "drug": "fluoxetine", "end": "2025-02-01"},
            {"kind": "antidepressant", "drug": "citalopram", "end": "2024-06-01"},
            {"kind": "ect", "end": None},
        ]
    }
    assert current_medications(history, AS_OF) == [
        "sertraline",
        "liothyronine",
        {"name": "fluoxetine", "stopped_on": "2025-02-01"},
    ]
    cut = (AS_OF - timedelta(days=RECENTLY_STOPPED + 1)).isoformat()
    history["treatments"][2]["end"] = cut
    assert {"name": "fluoxetine", "stopped_on": cut} not in current_medications(history, AS_OF)


@pytest.mark.django_db
def test_the_loaded_demo_stores_absent_facts_and_medications() -> None:
    load_demo_data(progress=lambda _: None, as_of=AS_OF)
    profiles = ClinicalProfile.objects.filter(patient__clinic__slug="demo")
    assert profiles.count() == 30
    assert not profiles.filter(medications__isnull=True).exists()
    assert all(p.absent_facts for p in profiles)
