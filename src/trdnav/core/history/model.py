"""The structured treatment history: episodes and every treatment given in them.

Field meanings follow instrument_notes Part B1 and the history JSON agreed in
the team's interface notes (documented in docs/history-schema.md). Values are plain, immutable
dataclasses; nothing here judges adequacy (see ``adequacy``) or reads the clock. ``Severity`` is
shared with the staging models and lives in ``trdnav.core.vocabulary`` (re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from trdnav.core.vocabulary import Severity as Severity  # shared with staging


class TreatmentKind(StrEnum):
    """Kinds of treatment in a history (research B1, B2: drugs, augmentation, ECT, TMS, …)."""

    ANTIDEPRESSANT = "antidepressant"
    AUGMENTATION = "augmentation"
    ECT = "ect"
    TMS = "tms"
    KETAMINE = "ketamine"
    ESKETAMINE = "esketamine"
    PSYCHOTHERAPY = "psychotherapy"


class Role(StrEnum):
    """How an antidepressant was given: alone, or combined with another antidepressant."""

    MONOTHERAPY = "monotherapy"
    COMBINATION = "combination"


class Outcome(StrEnum):
    """Recorded outcome of a treatment (ATRQ categories, S15, plus intolerance and relapse)."""

    RESPONSE = "response"
    PARTIAL_RESPONSE = "partial_response"
    NON_RESPONSE = "non_response"
    REMISSION = "remission"
    INTOLERANCE = "intolerance"
    RESPONSE_THEN_LOSS = "response_then_loss"


class EctLaterality(StrEnum):
    """ECT electrode placement; bitemporal and bifrontal are bilateral placements [P-B20]."""

    BILATERAL = "bilateral"
    BITEMPORAL = "bitemporal"
    BIFRONTAL = "bifrontal"
    RIGHT_UNILATERAL = "right_unilateral"

    @property
    def is_bilateral(self) -> bool:
        return self is not EctLaterality.RIGHT_UNILATERAL


class TmsProtocol(StrEnum):
    """TMS protocols (research clinical-evidence section 3)."""

    RTMS = "rtms"
    ITBS = "itbs"
    DEEP_TMS = "deep_tms"
    ACCELERATED_ITBS = "accelerated_itbs"


class PsychotherapyModality(StrEnum):
    """Psychotherapy modalities (research clinical-evidence section 6)."""

    CBT = "cbt"
    CBASP = "cbasp"
    MBCT = "mbct"
    BEHAVIOURAL_ACTIVATION = "behavioural_activation"
    DBT = "dbt"
    ACT = "act"
    IPT = "ipt"
    OTHER = "other"


@dataclass(frozen=True)
class Episode:
    """A depressive episode; ``end`` None means it is still going on."""

    id: str
    start: date
    end: date | None
    severity: Severity | None
    psychotic_features: bool
    cgi_s: int | None = None


@dataclass(frozen=True)
class DosePeriod:
    """A daily dose taken from ``start`` until the next period (or the end of the trial)."""

    start: date
    mg_per_day: float


@dataclass(frozen=True)
class Response:
    """What came of a treatment: measured improvement and/or a recorded outcome."""

    improvement_pct: float | None
    outcome: Outcome | None
    stopped_for_intolerance: bool = False


@dataclass(frozen=True)
class DrugTrial:
    """A drug given over time: an antidepressant trial or an augmentation.

    ``drug`` is the antidepressant (kind antidepressant) or the augmenting agent (kind
    augmentation). ``partner`` is the trial it was combined with (``with``) or augments
    (``augments``). ``min_dose_mg`` and ``drug_class`` are overrides supplied on the trial.
    """

    id: str
    episode: str
    kind: TreatmentKind
    drug: str
    role: Role | None
    partner: str | None
    start: date
    end: date | None
    doses: tuple[DosePeriod, ...]
    adherence_pct: float | None
    response: Response
    min_dose_mg: float | None = None
    drug_class: str | None = None
    dose_optimised: bool = False
    duration_optimised: bool = False
    notes: str = ""


@dataclass(frozen=True)
class Course:
    """A course of ECT, TMS, ketamine, esketamine or psychotherapy."""

    id: str
    episode: str
    kind: TreatmentKind
    start: date
    end: date | None
    sessions: int | None
    response: Response
    laterality: EctLaterality | None = None
    protocol: TmsProtocol | None = None
    modality: PsychotherapyModality | None = None
    notes: str = ""


Treatment = DrugTrial | Course


@dataclass(frozen=True)
class TreatmentHistory:
    """Episodes and treatments, checked for internal consistency by ``parse_history``."""

    episodes: tuple[Episode, ...]
    treatments: tuple[Treatment, ...]
    current_episode_id: str

    @property
    def current_episode(self) -> Episode:
        return next(e for e in self.episodes if e.id == self.current_episode_id)

    def treatment(self, treatment_id: str) -> Treatment:
        return next(t for t in self.treatments if t.id == treatment_id)

    def drug_trials(self) -> tuple[DrugTrial, ...]:
        return tuple(t for t in self.treatments if isinstance(t, DrugTrial))

    def courses(self) -> tuple[Course, ...]:
        return tuple(t for t in self.treatments if isinstance(t, Course))
