"""The demo clinic's clinical records: each patient's treatment history (with the stored
assessment snapshot), clinical facts, and weekly score trajectories.

Idempotent: a patient who already has a clinical profile keeps it, and one who already has
assessments gets no more. Rows are written with ``bulk_create`` so that the whole clinic loads
in a few seconds; every history is checked by the core first (a history the core refuses is a
bug in the generator and stops the load).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from trdnav.assessments.models import Assessment, Source
from trdnav.assessments.services import build_assessment
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile, HistorySnapshot
from trdnav.clinical.snapshots import assess_document, build_snapshot
from trdnav.core.instruments import score_instrument
from trdnav.core.knowledge.loader import knowledge_version
from trdnav.demo.histories import Course, generated_history, persona_history
from trdnav.demo.people import PATIENT_COUNT, SEED, persona_numbers, record_number_of
from trdnav.demo.personas import PERSONAS
from trdnav.demo.trajectories import Measure, measures
from trdnav.patients.models import Patient

COURSES = (Course.RESPONDS, Course.PARTIAL, Course.RESISTANT, Course.EARLY, Course.RESISTANT)
EXTRAS = (None, "madrs", None, "qids_sr16")
# Dana (psychotic depression, recent suicide attempt) reports thoughts of death recently.
ITEM9_RECENT = {"dana": 2}
BATCH = 1000


@dataclass(frozen=True)
class ClinicalPlan:
    """What one demo patient's record holds."""

    history: dict[str, Any]
    facts: tuple[str, ...]
    measures: tuple[Measure, ...]


def _rng(seed: int, record_number: str) -> random.Random:
    return random.Random(f"{seed}:{record_number}")  # noqa: S311  (demo data, not security)


def _generated(number: int, as_of: date, seed: int) -> ClinicalPlan:
    rng = _rng(seed, record_number_of(number))
    history = generated_history(rng, as_of, COURSES[number % len(COURSES)])
    extra = EXTRAS[number % len(EXTRAS)]
    return ClinicalPlan(history, (), tuple(measures(rng, history, as_of, extra=extra)))


def _persona(key: str, number: int, as_of: date, seed: int) -> ClinicalPlan:
    rng = _rng(seed, record_number_of(number))
    history = persona_history(PERSONAS[key], as_of)
    weeks = ITEM9_RECENT.get(key, 0)
    extra = EXTRAS[number % len(EXTRAS)]
    found = measures(rng, history, as_of, extra=extra, item9_recent_weeks=weeks)
    return ClinicalPlan(history, PERSONAS[key].facts, tuple(found))


def clinical_plans(
    *, as_of: date, count: int = PATIENT_COUNT, seed: int = SEED
) -> dict[str, ClinicalPlan]:
    """Every demo patient's clinical record, by record number (deterministic)."""
    personas = persona_numbers(count)
    plans = {
        record_number_of(n): _generated(n, as_of, seed)
        for n in range(1, count + 1)
        if n not in personas.values()
    }
    for key, n in personas.items():
        plans[record_number_of(n)] = _persona(key, n, as_of, seed)
    return plans


def _assessment(patient: Patient, m: Measure, recorded_at: datetime) -> Assessment:
    answers = {"items": m.items}
    result = score_instrument(m.instrument, answers)
    return build_assessment(
        patient,
        result,
        answers,
        administered_on=m.day,
        recorded_at=recorded_at,
        source=Source.CLINICIAN,
    )


def _records(patient: Patient, plan: ClinicalPlan, as_of: date, actor: Actor) -> tuple[Any, Any]:
    profile = ClinicalProfile(
        patient=patient,
        facts=list(plan.facts),
        history=plan.history,
        knowledge_version=knowledge_version(),
    )
    assessment = assess_document(plan.history, as_of=as_of)
    trigger = HistorySnapshot.Trigger.HISTORY_CHANGED
    return profile, build_snapshot(
        patient=patient, assessment=assessment, trigger=trigger, by=actor
    )


def _event(actor: Actor, patient: Patient, object_type: str, summary: str) -> AuditEvent:
    return AuditEvent(
        actor=None,
        clinic=actor.clinic,
        patient_id=patient.pk,
        action=Action.CREATE,
        object_type=object_type,
        via="system",
        summary=summary,
    )


@transaction.atomic
def load_clinical_records(*, patients: list[Patient], as_of: date, actor: Actor) -> int:
    """Histories, facts and scores for the demo patients that have none yet; returns how many
    assessments were written."""
    plans = clinical_plans(as_of=as_of)
    ids = [p.pk for p in patients]
    has_profile = set(
        ClinicalProfile.objects.filter(patient_id__in=ids).values_list("patient_id", flat=True)
    )
    has_scores = set(
        Assessment.objects.filter(patient_id__in=ids).values_list("patient_id", flat=True)
    )
    recorded_at = timezone.make_aware(datetime.combine(as_of, time(9)))
    profiles, snapshots, rows, events = [], [], [], []
    for patient in patients:
        plan = plans.get(patient.record_number)
        if plan is None:
            continue
        if patient.pk not in has_profile:
            profile, snapshot = _records(patient, plan, as_of, actor)
            profiles.append(profile)
            snapshots.append(snapshot)
            events.append(_event(actor, patient, "treatment_history", "demo history"))
        if patient.pk not in has_scores:
            rows += [_assessment(patient, m, recorded_at) for m in plan.measures]
            events.append(
                _event(actor, patient, "assessment", f"demo scores: {len(plan.measures)}")
            )
    ClinicalProfile.objects.bulk_create(profiles, batch_size=BATCH)
    HistorySnapshot.objects.bulk_create(snapshots, batch_size=BATCH)
    Assessment.objects.bulk_create(rows, batch_size=BATCH)
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(rows)
