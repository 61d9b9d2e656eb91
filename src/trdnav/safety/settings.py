"""The clinic's safety settings (P-SR6): read with one query, changed by a clinic admin."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, record_event
from trdnav.core.measurement import WorseningPolicy
from trdnav.safety.models import ClinicSafetySettings, WorseningChoice


def settings_for(clinic_id: int | None) -> ClinicSafetySettings:
    """The clinic's stored settings, or the defaults (unsaved; also for no clinic)."""
    if clinic_id is None:
        return ClinicSafetySettings()
    found = ClinicSafetySettings.objects.filter(clinic_id=clinic_id).first()
    return found if found is not None else ClinicSafetySettings(clinic_id=clinic_id)


def worsening_policy_for(clinic_id: int | None) -> WorseningPolicy:
    return WorseningPolicy(settings_for(clinic_id).worsening_rule)


def worsening_rule_subquery() -> Subquery:
    """The clinic's worsening rule, to annotate a patient query with (``OuterRef("clinic_id")``;
    NULL where the clinic kept the default): the dashboard reads it with the patients."""
    rows = ClinicSafetySettings.objects.filter(clinic_id=OuterRef("clinic_id"))
    return Subquery(rows.values("worsening_rule")[:1])


def policy_from(rule: str | None) -> WorseningPolicy:
    return WorseningPolicy(rule) if rule else WorseningPolicy(WorseningChoice.RELIABLE_OR_MID)


@transaction.atomic
def update_settings(*, clinic_id: int, data: Mapping[str, Any], by: Actor) -> None:
    rule = WorseningChoice(data["worsening_rule"])
    row, _ = ClinicSafetySettings.objects.get_or_create(clinic_id=clinic_id)
    if row.worsening_rule != rule:
        row.worsening_rule = rule
        row.updated_by = by.user
        row.save()
        record_event(
            by=by, action=Action.UPDATE, object_type="safety_settings", object_id=str(row.pk),
            summary=f"worsening rule: {rule}",
        )  # fmt: skip
