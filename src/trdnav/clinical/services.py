"""Clinical-profile use cases, and the options computed from a profile.

The core validates everything (``parse_patient``: vocabulary codes, dated facts, absent facts,
medication entries, and the treatment history through the history engine), so pages and API
refuse the same input with the same field paths (``facts[0]``, ``facts[1].on``,
``medications[0].stopped_on``, ``history.treatments[2].doses[0].mg_per_day``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.signals import history_changed
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.knowledge import load_therapies
from trdnav.core.limits import MAX_CODE_LENGTH, MAX_LIST_ITEMS
from trdnav.core.recommend import Recommendation, parse_patient, recommend
from trdnav.patients.models import Patient

EDITABLE = ("facts", "absent_facts", "preferences", "medications", "history")


def profile_of(patient: Patient) -> ClinicalProfile:
    """The stored profile, or an empty unsaved one."""
    found = ClinicalProfile.objects.filter(patient=patient).first()
    return found if found is not None else ClinicalProfile(patient=patient)


def _engine_input(profile: ClinicalProfile, patient: Patient) -> dict[str, Any]:
    """The core computes the age (and age group) from the date of birth at ``as_of``."""
    return profile.as_engine_input(date_of_birth=patient.date_of_birth)


def _apply(profile: ClinicalProfile, data: Mapping[str, Any]) -> list[str]:
    unknown = [key for key in data if key not in EDITABLE]
    if unknown:
        allowed = ", ".join(EDITABLE)
        raise InvalidInput([FieldError(k, f"unknown field; allowed: {allowed}") for k in unknown])
    _check_lists(data)
    changed = [key for key, value in data.items() if getattr(profile, key) != value]
    for key in changed:
        setattr(profile, key, data[key])
    return changed


def _check_lists(data: Mapping[str, Any]) -> None:
    """Bounds before the core reads the lists: facts, absent facts and preferences are lists
    (never null; send [] to clear one); medications are a list or null (not recorded). Text
    entries are short; object entries (dated facts, stopped medicines) are checked by the core."""
    errors: list[FieldError] = []
    for key in ("facts", "absent_facts", "preferences", "medications"):
        if key not in data or (key == "medications" and data[key] is None):
            continue
        value = data[key]
        if not isinstance(value, list):
            errors.append(FieldError(key, "must be a list (send [] to clear it)"))
        elif len(value) > MAX_LIST_ITEMS:
            errors.append(FieldError(key, f"must have at most {MAX_LIST_ITEMS} items"))
        else:
            errors.extend(
                FieldError(f"{key}[{i}]", f"must be text of 1–{MAX_CODE_LENGTH} characters")
                for i, item in enumerate(value)
                if isinstance(item, str) and not 0 < len(item) <= MAX_CODE_LENGTH
            )
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def update_clinical_profile(
    *, patient: Patient, data: Mapping[str, Any], by: Actor, as_of: date
) -> ClinicalProfile:
    """Change the given parts; raises InvalidInput naming each wrong field, storing nothing."""
    profile = profile_of(patient)
    changed = _apply(profile, data)
    knowledge = load_therapies()
    parse_patient(_engine_input(profile, patient), knowledge, as_of=as_of)
    if changed or profile.pk is None:
        profile.updated_by = by.user
        profile.knowledge_version = knowledge.version
        profile.save()
        audit_patient(
            by, patient, Action.UPDATE, "clinical_profile", profile,
            summary="changed: " + (", ".join(sorted(changed)) or "nothing"),
        )  # fmt: skip
    if "history" in changed and profile.history is not None:
        # The history app records what the history engine concludes (a snapshot), or refuses.
        history_changed.send(
            sender=ClinicalProfile, patient=patient, history=profile.history, by=by, as_of=as_of
        )
    return profile


def options_for(
    *, patient: Patient, as_of: date, profile: ClinicalProfile | None = None
) -> Recommendation:
    """The next-step options for the patient's stored profile (the core's ``recommend``)."""
    knowledge = load_therapies()
    stored = profile if profile is not None else profile_of(patient)
    engine_patient = parse_patient(_engine_input(stored, patient), knowledge, as_of=as_of)
    return recommend(engine_patient, knowledge, as_of=as_of)
