"""The chart's triage of the options (policy P-CH3): the top five open options, the rest by
kind, the contraindicated apart. Presentation only, and never a contraindicated option shown
among the open ones: checked over the demo patients and over generated patients."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from tests.core.recommend.conftest import advise
from tests.core.recommend.generated import patients
from trdnav.clinical.present import OPEN_STATUSES, TOP_OPTIONS, option_cards, triage
from trdnav.clinical.services import options_for
from trdnav.core.knowledge import load_therapies
from trdnav.core.knowledge.clinician_groups import load_clinician_groups
from trdnav.core.recommend import Recommendation
from trdnav.demo import load_demo_data
from trdnav.patients.models import Patient

EXAMPLES = 6 if os.environ.get("MUTANT_UNDER_TEST") else 80


def _triaged(recommendation: Recommendation) -> dict[str, Any]:
    return triage(option_cards(recommendation), load_clinician_groups(), load_therapies())


def _check(recommendation: Recommendation) -> None:
    shown = _triaged(recommendation)
    contraindicated = {o.id for o in recommendation.options if o.status.value == "contraindicated"}
    top = [o["id"] for o in shown["top"]]
    grouped = [o["id"] for g in shown["groups"] for o in g["options"]]
    # Never presented as open: not in the top five, not in a kind group.
    assert not contraindicated & set(top), contraindicated & set(top)
    assert not contraindicated & set(grouped), contraindicated & set(grouped)
    assert {o["id"] for o in shown["contraindicated"]} == contraindicated
    # Every option once; the top five are the first open ones in the engine's own order.
    placed = Counter(top + grouped + [o["id"] for o in shown["contraindicated"]])
    assert set(placed) == {o.id for o in recommendation.options}
    assert set(placed.values()) == {1}
    open_ranked = [
        o.id
        for o in sorted(recommendation.options, key=lambda o: (o.rank is None, o.rank or 0))
        if o.status.value in OPEN_STATUSES
    ]
    assert top == open_ranked[:TOP_OPTIONS]
    # Statuses are shown as the engine decided them.
    engine = {o.id: o.status.value for o in recommendation.options}
    for card in [*shown["top"], *(o for g in shown["groups"] for o in g["options"])]:
        assert card["status"] == engine[card["id"]]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(patients())
def test_generated_patients_never_see_a_contraindicated_option_among_the_open_ones(
    raw: dict[str, Any],
) -> None:
    _check(advise(raw))


@pytest.mark.django_db
def test_the_demo_patients_never_see_a_contraindicated_option_among_the_open_ones() -> None:
    load_demo_data(progress=lambda _: None, as_of=timezone.localdate())
    checked = 0
    for patient in Patient.objects.filter(clinic__slug="demo"):
        _check(options_for(patient=patient, as_of=timezone.localdate()))
        checked += 1
    assert checked >= 20


def test_every_reason_for_a_contraindication_is_shown_with_the_option() -> None:
    recommendation = advise(
        {"age": 40, "facts": ["prior_left_cervical_vagotomy"], "medications": []}
    )
    shown = _triaged(recommendation)
    vns = next(o for o in shown["contraindicated"] if o["id"] == "vns")
    assert vns["why_not"] and all(r["kind"] == "absolute_contraindication" for r in vns["why_not"])
    assert "vagotomy" in " ".join(r["text"] for r in vns["why_not"]).lower()
