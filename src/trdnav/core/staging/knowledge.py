"""Typed view of ``staging.toml``: points, bands and class rules of the staging models.

Sources: research/instruments-and-staging.md Part B2 (S11, S12, S13, S14) and Part C.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge.loader import load_document

STAGING_FILE = "staging.toml"


@dataclass(frozen=True)
class Step:
    """A points step: values up to ``limit`` (None = no upper limit) score ``points``."""

    limit: float | None
    points: int
    category: str = ""


@dataclass(frozen=True)
class Band:
    name: str
    low: float
    high: float


@dataclass(frozen=True)
class ThaseRushRules:
    tca_class: str
    maoi_class: str
    stage_iii_other_classes: int
    stage_iv_other_classes: int
    source: str


@dataclass(frozen=True)
class EuropeanRules:
    min_distinct_classes_for_trd: int
    max_trd_stage: int
    chronic_min_weeks: float
    week_bands: tuple[Band, ...]
    source: str


@dataclass(frozen=True)
class MghsRules:
    per_failed_trial: float
    dose_optimisation: float
    duration_optimisation: float
    augmentation_or_combination: float
    failed_ect: float
    register_trd_threshold: float
    source: str


@dataclass(frozen=True)
class MaudsleyRules:
    duration_days: tuple[Step, ...]
    duration_months: tuple[Step, ...]
    severity: Mapping[str, int]
    failed_antidepressants: tuple[Step, ...]
    augmentation_used: int
    ect_used: int
    bands: tuple[Band, ...]
    cgi_s_to_severity: Mapping[int, str]
    source: str


@dataclass(frozen=True)
class StagingRules:
    thase_rush: ThaseRushRules
    european: EuropeanRules
    mgh_s: MghsRules
    maudsley: MaudsleyRules
    dm_trd_verified: bool


def _steps(raw: list[dict[str, Any]], key: str) -> tuple[Step, ...]:
    return tuple(Step(r.get(key), int(r["points"]), str(r.get("category", ""))) for r in raw)


def _maudsley(raw: Mapping[str, Any]) -> MaudsleyRules:
    mapping = {int(k): str(v) for k, v in raw["cgi_s_to_severity"].items() if k.isdigit()}
    return MaudsleyRules(
        duration_days=_steps(raw["duration"], "max_days"),
        duration_months=_steps(raw["duration"], "max_months"),
        severity={str(k): int(v) for k, v in raw["severity"].items()},
        failed_antidepressants=_steps(raw["failed_antidepressants"], "max"),
        augmentation_used=int(raw["augmentation_used"]),
        ect_used=int(raw["ect_used"]),
        bands=tuple(Band(b["band"], b["min"], b["max"]) for b in raw["bands"]),
        cgi_s_to_severity=mapping,
        source=str(raw["source"]),
    )


def _european(raw: Mapping[str, Any]) -> EuropeanRules:
    bands = tuple(Band(name, lo, hi) for name, (lo, hi) in raw["week_bands"].items())
    return EuropeanRules(
        min_distinct_classes_for_trd=int(raw["min_distinct_classes_for_trd"]),
        max_trd_stage=int(raw["max_trd_stage"]),
        chronic_min_weeks=float(raw["chronic_min_weeks"]),
        week_bands=bands,
        source=str(raw["source"]),
    )


def _fields(raw: Mapping[str, Any], cls: type[Any], names: tuple[str, ...]) -> Any:
    return cls(**{name: raw[name] for name in names})


@cache
def load_staging_rules() -> StagingRules:
    doc = load_document(STAGING_FILE)
    try:
        return StagingRules(
            thase_rush=_fields(
                doc["thase_rush"],
                ThaseRushRules,
                (
                    "tca_class",
                    "maoi_class",
                    "stage_iii_other_classes",
                    "stage_iv_other_classes",
                    "source",
                ),
            ),
            european=_european(doc["european"]),
            mgh_s=_fields(
                doc["mgh_s"],
                MghsRules,
                (
                    "per_failed_trial",
                    "dose_optimisation",
                    "duration_optimisation",
                    "augmentation_or_combination",
                    "failed_ect",
                    "register_trd_threshold",
                    "source",
                ),
            ),
            maudsley=_maudsley(doc["maudsley"]),
            dm_trd_verified=bool(doc["dm_trd"]["scoring_table_verified"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise KnowledgeBaseError(f"{STAGING_FILE}: bad or missing entry ({exc})") from None


def points_for(value: float, steps: tuple[Step, ...]) -> Step:
    """The first step whose limit the value does not exceed."""
    for step in steps:
        if step.limit is None or value <= step.limit:
            return step
    raise KnowledgeBaseError(f"{STAGING_FILE}: no open-ended last step for {value}")


def band_for(total: float, bands: tuple[Band, ...]) -> str | None:
    return next((b.name for b in bands if b.low <= total <= b.high), None)
