"""Plain values describing a treatment history as the options engine uses it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Which history field a course's ``detail`` fills, by kind (the history JSON schema).
COURSE_DETAIL_FIELD = {"ect": "laterality", "tms": "protocol", "psychotherapy": "modality"}


@dataclass(frozen=True)
class FailedItem:
    """One adequately failed treatment of the current episode, as matchable fields."""

    kind: str
    fields: Mapping[str, str]
    trial_ids: tuple[str, ...]

    @classmethod
    def antidepressant(
        cls, drug: str, drug_class: str | None, role: str, ids: tuple[str, ...]
    ) -> FailedItem:
        fields = {"drug": drug.lower(), "role": role}
        if drug_class:
            fields["drug_class"] = drug_class.lower()
        return cls("antidepressant", fields, tuple(ids))

    @classmethod
    def augmentation(cls, agent: str, group: str | None, trial_id: str) -> FailedItem:
        fields = {"agent": agent.lower()}
        if group:
            fields["group"] = group.lower()
        return cls("augmentation", fields, (trial_id,))

    @classmethod
    def course(cls, kind: str, detail: str | None, trial_id: str) -> FailedItem:
        key = COURSE_DETAIL_FIELD.get(kind)
        fields = {key: detail.lower()} if key and detail else {}
        return cls(kind, fields, (trial_id,))

    @property
    def label(self) -> str:
        described = ", ".join(f"{k} {v}" for k, v in sorted(self.fields.items()))
        trials = ", ".join(self.trial_ids)
        return (
            f"{self.kind} ({described}; trial {trials})"
            if described
            else f"{self.kind} (trial {trials})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **dict(self.fields), "trials": list(self.trial_ids)}


@dataclass(frozen=True)
class HistorySummary:
    given: bool
    source: str
    failed: tuple[FailedItem, ...] = ()
    failed_antidepressants: int | None = None
    trd_met: bool | None = None
    trd: Mapping[str, Any] | None = None
    staging: Mapping[str, Any] | None = None
    psychotic_features: bool = False
    profile: str | None = None
    policies: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @classmethod
    def not_given(cls) -> HistorySummary:
        note = (
            "No treatment history given: TRD status, stage and already-failed options are unknown."
        )
        return cls(given=False, source="none", notes=(note,))

    def to_dict(self) -> dict[str, Any]:
        return {
            "given": self.given,
            "assessed_by": self.source,
            "profile": self.profile,
            "trd_met": self.trd_met,
            "failed_antidepressants": self.failed_antidepressants,
            "failed_treatments": [f.to_dict() for f in self.failed],
            "current_episode_psychotic_features": self.psychotic_features,
            "trd": self.trd,
            "staging": self.staging,
            "policies": list(self.policies),
            "notes": list(self.notes),
        }
