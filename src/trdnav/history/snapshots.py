"""What the history engine concludes about a patient's stored history, and the stored record of it.

Every change of the history stores a snapshot (``HistoryAssessment.to_dict()`` with the
knowledge-base version, profile and time) for the default adequacy profile. Pages and the API
show a fresh computation; when the knowledge base changed since the latest snapshot they say so
and store the new conclusion, so that the record always holds what the system showed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.audit.services import Actor
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.history import HistoryAssessment, assess_history, parse_history
from trdnav.core.history.knowledge import default_profile_name, load_profiles
from trdnav.core.knowledge.loader import knowledge_version
from trdnav.history.models import HistorySnapshot
from trdnav.patients.models import Patient


def assess_document(
    history: Mapping[str, Any], *, as_of: date, profile: str | None = None
) -> HistoryAssessment:
    """Parse and assess; ``InvalidInput`` with paths relative to the document."""
    return assess_history(parse_history(history), as_of=as_of, profile=profile)


def profile_choices() -> list[tuple[str, str]]:
    return [(name, p.label) for name, p in load_profiles().items()]


def build_snapshot(
    *, patient: Patient, assessment: HistoryAssessment, trigger: str, by: Actor
) -> HistorySnapshot:
    return HistorySnapshot(
        patient=patient,
        profile=assessment.profile,
        as_of=assessment.as_of,
        knowledge_version=assessment.knowledge_version,
        result=assessment.to_dict(),
        trigger=trigger,
        computed_by=by.user,
    )


def store_snapshot(
    *, patient: Patient, assessment: HistoryAssessment, trigger: str, by: Actor
) -> HistorySnapshot:
    snapshot = build_snapshot(patient=patient, assessment=assessment, trigger=trigger, by=by)
    snapshot.save()
    return snapshot


def latest_snapshot(patient: Patient, profile: str | None = None) -> HistorySnapshot | None:
    rows = HistorySnapshot.objects.filter(
        patient=patient, profile=profile or default_profile_name()
    )
    return rows.order_by("-computed_at", "-id").first()


@dataclass(frozen=True)
class Staging:
    """A computed assessment, with the stored snapshot it is compared against."""

    result: dict[str, Any]
    profile: str
    snapshot: HistorySnapshot | None
    knowledge_changed: bool
    previous_version: str | None

    def meta(self) -> dict[str, Any]:
        s = self.snapshot
        return {
            "knowledge_changed": self.knowledge_changed,
            "previous_knowledge_version": self.previous_version,
            "snapshot": None
            if s is None
            else {
                "computed_at": s.computed_at.isoformat(),
                "as_of": s.as_of.isoformat(),
                "profile": s.profile,
                "knowledge_version": s.knowledge_version,
                "trigger": s.trigger,
            },
        }


def staging_for(
    *,
    patient: Patient,
    history: Mapping[str, Any],
    as_of: date,
    by: Actor,
    profile: str | None = None,
) -> Staging:
    """Assess the stored history now; record a new snapshot when the knowledge base changed."""
    assessment = assess_document(history, as_of=as_of, profile=profile)
    latest = latest_snapshot(patient, assessment.profile)
    changed = latest is not None and latest.knowledge_version != knowledge_version()
    previous = latest.knowledge_version if changed and latest is not None else None
    default = assessment.profile == default_profile_name()
    if default and (latest is None or changed):
        trigger = HistorySnapshot.Trigger.KNOWLEDGE_CHANGED
        if latest is None:
            trigger = HistorySnapshot.Trigger.HISTORY_CHANGED
        latest = store_snapshot(patient=patient, assessment=assessment, trigger=trigger, by=by)
    return Staging(assessment.to_dict(), assessment.profile, latest, changed, previous)


def on_history_changed(
    sender: object,
    *,
    patient: Patient,
    history: Mapping[str, Any],
    by: Actor,
    as_of: date,
    **kwargs: object,
) -> None:
    """Record what the history engine concludes from a history changed through the clinical
    profile (inside the save's transaction: a history that cannot be assessed as of ``as_of``
    is not stored; the paths are relative to the profile)."""
    try:
        assessment = assess_document(history, as_of=as_of)
    except InvalidInput as exc:
        raise InvalidInput(
            [FieldError(f"history.{e.field}", e.message) for e in exc.errors]
        ) from None
    trigger = HistorySnapshot.Trigger.HISTORY_CHANGED
    store_snapshot(patient=patient, assessment=assessment, trigger=trigger, by=by)
