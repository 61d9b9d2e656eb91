"""The demo clinic's clinical records: each patient's treatment history (with the stored
assessment snapshot), clinical facts, and weekly score trajectories.

Facts and medications (``profile_parts``): a demo clinician has screened each patient, so every
vocabulary fact that is not present is recorded as absent, except a few left *not checked* on
purpose in generated patients (about one in three, and the pregnancy of some women) so that the
chart's "To check before deciding" panel has something to show. The personas keep exactly their
own facts and checked-absent facts (``Persona.absent_facts``), as in every layer's tests.
The medication list is what the history says is taken now (ongoing antidepressant trials and
augmenting agents) plus a drug stopped in the last five weeks, with its stop date; some
generated patients also take a painkiller, a blood-pressure tablet or a sleeping tablet, and
one takes tramadol, so that an interaction warning shows. All of it is
invented and deterministic (its own random stream: the histories do not change).

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
from trdnav.clinical.models import ClinicalProfile
from trdnav.core.instruments import score_instrument
from trdnav.core.knowledge import load_therapies
from trdnav.core.knowledge.loader import knowledge_version
from trdnav.demo.histories import Course, generated_history, persona_history
from trdnav.demo.people import (
    PATIENT_COUNT,
    SEED,
    demo_patients,
    persona_numbers,
    record_number_of,
)
from trdnav.demo.personas import PERSONAS
from trdnav.demo.trajectories import Measure, measures
from trdnav.history.models import HistorySnapshot
from trdnav.history.snapshots import assess_document, build_snapshot
from trdnav.patients.models import Patient

COURSES = (Course.RESPONDS, Course.PARTIAL, Course.RESISTANT, Course.EARLY, Course.RESISTANT)
EXTRAS = (None, "madrs", None, "qids_sr16")
# Dana (psychotic depression, recent suicide attempt) reports thoughts of death recently.
ITEM9_RECENT = {"dana": 2}
BATCH = 1000
# Facts a busy clinic plausibly has not checked yet (one per patient, about one in three).
UNCHECKED_POOL = (
    "qt_prolongation",
    "retinal_disease",
    "severe_hepatic_impairment",
    "metabolic_syndrome",
    "cardiac_pacemaker_or_icd",
    "seizure_disorder",
)
UNCHECKED_SHARE = 0.35
DRUG_KINDS = ("antidepressant", "augmentation")
DRUG_NAMES = {"t3": "liothyronine"}
RECENTLY_STOPPED = 35
EXTRA_MEDICATIONS = ("ibuprofen", "ramipril", "zopiclone", "lisinopril")
EXTRA_MEDICATION_SHARE = 0.2
# Generated patients who also take tramadol (a serotonergic painkiller): an interaction shows.
SEROTONERGIC_PAINKILLER = frozenset({3})


@dataclass(frozen=True)
class ClinicalPlan:
    """What one demo patient's record holds."""

    history: dict[str, Any]
    facts: tuple[Any, ...]
    measures: tuple[Measure, ...]
    absent_facts: tuple[str, ...] = ()
    medications: tuple[Any, ...] | None = None


def _rng(seed: int, record_number: str) -> random.Random:
    return random.Random(f"{seed}:{record_number}")  # noqa: S311  (demo data, not security)


def current_medications(history: dict[str, Any], as_of: date) -> list[Any]:
    """Drugs the history says are taken on ``as_of``, then antidepressants stopped within
    ``RECENTLY_STOPPED`` days (as ``{"name", "stopped_on"}``); each drug once."""
    taking: list[Any] = []
    stopped: dict[str, str] = {}
    for treatment in history.get("treatments", []):
        name = treatment.get("drug") or treatment.get("agent")
        if treatment.get("kind") not in DRUG_KINDS or not name:
            continue
        name = DRUG_NAMES.get(name, name)
        end = treatment.get("end")
        if end is None:
            taking.append(name)
        elif (as_of - date.fromisoformat(end)).days <= RECENTLY_STOPPED:
            stopped[name] = max(end, stopped.get(name, end))
    names = list(dict.fromkeys(taking))
    return names + [
        {"name": n, "stopped_on": day} for n, day in sorted(stopped.items()) if n not in names
    ]


def profile_parts(
    rng: random.Random, facts: tuple[Any, ...], sex: str, history: dict[str, Any], as_of: date
) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """(absent facts, medications) for one demo patient: see the module's docstring."""
    present = {f["code"] if isinstance(f, dict) else f for f in facts}
    unchecked: set[str] = set()
    if rng.random() < UNCHECKED_SHARE:
        unchecked.add(rng.choice(UNCHECKED_POOL))
    if sex in ("female", "other", "") and rng.random() < UNCHECKED_SHARE / 2:
        unchecked.add("pregnancy")
    vocabulary = load_therapies().vocabulary
    absent = tuple(c for c in vocabulary.facts if c not in present and c not in unchecked)
    medications = current_medications(history, as_of)
    if rng.random() < EXTRA_MEDICATION_SHARE:
        medications.append(rng.choice(EXTRA_MEDICATIONS))
    return absent, tuple(medications)


def _generated(number: int, as_of: date, seed: int, sex: str) -> ClinicalPlan:
    rng = _rng(seed, record_number_of(number))
    history = generated_history(rng, as_of, COURSES[number % len(COURSES)])
    extra = EXTRAS[number % len(EXTRAS)]
    found = tuple(measures(rng, history, as_of, extra=extra))
    facts: tuple[Any, ...] = ()
    absent, medications = profile_parts(_profile_rng(seed, number), facts, sex, history, as_of)
    if number in SEROTONERGIC_PAINKILLER:
        medications = (*medications, "tramadol")
    return ClinicalPlan(history, facts, found, absent, medications)


def _persona(key: str, number: int, as_of: date, seed: int) -> ClinicalPlan:
    rng = _rng(seed, record_number_of(number))
    persona = PERSONAS[key]
    history = persona_history(persona, as_of)
    weeks = ITEM9_RECENT.get(key, 0)
    extra = EXTRAS[number % len(EXTRAS)]
    found = tuple(measures(rng, history, as_of, extra=extra, item9_recent_weeks=weeks))
    # The persona's own checked-absent facts, as in every other layer's tests.
    medications = tuple(current_medications(history, as_of))
    return ClinicalPlan(history, persona.facts, found, persona.absent_facts, medications)


def _profile_rng(seed: int, number: int) -> random.Random:
    return random.Random(f"{seed}:{record_number_of(number)}:profile")  # noqa: S311


def clinical_plans(
    *, as_of: date, count: int = PATIENT_COUNT, seed: int = SEED
) -> dict[str, ClinicalPlan]:
    """Every demo patient's clinical record, by record number (deterministic)."""
    personas = persona_numbers(count)
    sexes = {p.record_number: p.sex for p in demo_patients(as_of=as_of, count=count, seed=seed)}
    plans = {
        record_number_of(n): _generated(n, as_of, seed, sexes[record_number_of(n)])
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
        absent_facts=list(plan.absent_facts),
        medications=None if plan.medications is None else list(plan.medications),
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
