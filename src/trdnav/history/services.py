"""Saving a patient's treatment history: the whole document is checked before anything is stored.

``save_history`` is the one way the structured editor, the JSON import and the API change the
history. The core parses the complete document (``parse_history``) and assesses it as of the
save date (no treatment may start after it); any problem raises ``InvalidInput`` with paths
relative to the document (``treatments[2].doses[0].mg_per_day``) and nothing is stored.
Otherwise the document, an audit event and a snapshot of the assessment are stored together.

Concurrency: with ``expected_revision`` (the ``revision`` of the document the caller edited,
``trdnav.history.document.revision``) the profile row is locked (``select_for_update``) and the
stored document's revision compared inside the same transaction; a different one raises
``StaleRevision`` and nothing is stored, so of two saves from the same revision exactly one wins.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from django.db import transaction

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.services import profile_of
from trdnav.core.errors import InvalidInput
from trdnav.core.history import HistoryAssessment
from trdnav.core.knowledge.loader import knowledge_version
from trdnav.history.document import revision
from trdnav.history.models import HistorySnapshot
from trdnav.history.snapshots import assess_document, store_snapshot
from trdnav.patients.models import Patient


class StaleRevision(Exception):
    """The stored history is no longer the one the caller edited; ``current`` is its revision."""

    def __init__(self, current: str) -> None:
        super().__init__("the history was changed meanwhile")
        self.current = current


def locked_profile(patient: Patient) -> ClinicalProfile:
    """The patient's profile, its row locked until the transaction ends (created empty when
    there is none yet, so that there is a row to lock; rolled back with a refused save)."""
    profile, _ = ClinicalProfile.objects.select_for_update().get_or_create(patient=patient)
    return profile


def check_history(history: Any, *, as_of: date) -> HistoryAssessment | None:
    """The default-profile assessment of ``history`` (None for no history), or InvalidInput."""
    if history is None:
        return None
    if not isinstance(history, Mapping):
        raise InvalidInput.single("history", "must be a JSON object (see docs/history-schema.md)")
    return assess_document(history, as_of=as_of)


@transaction.atomic
def save_history(
    *,
    patient: Patient,
    history: Mapping[str, Any] | None,
    by: Actor,
    as_of: date,
    summary: str = "history replaced",
    expected_revision: str | Collection[str] | None = None,
) -> ClinicalProfile:
    """Store ``history`` (None removes it) after checking it whole. ``summary`` goes to the
    audit log, so it must not contain patient data (say "added treatment 3 (ect)").

    ``expected_revision``: the revision the change was made from (or the revisions accepted);
    ``StaleRevision`` when the stored one differs (checked first, under the row lock). None:
    no check (last write wins)."""
    if expected_revision is None:
        profile = profile_of(patient)
    else:
        profile = locked_profile(patient)
        current = revision(profile.history)
        accepted = (
            {expected_revision} if isinstance(expected_revision, str) else set(expected_revision)
        )
        if current not in accepted:
            raise StaleRevision(current)
    assessment = check_history(history, as_of=as_of)
    profile.history = None if history is None else dict(history)
    profile.knowledge_version = knowledge_version()
    profile.updated_by = by.user
    profile.save()
    audit_patient(by, patient, Action.UPDATE, "treatment_history", profile, summary=summary)
    if assessment is not None:
        trigger = HistorySnapshot.Trigger.HISTORY_CHANGED
        store_snapshot(patient=patient, assessment=assessment, trigger=trigger, by=by)
    return profile
