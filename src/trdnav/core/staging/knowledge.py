"""Typed view of ``staging.toml``: points, bands and class rules of the staging models.

Sources: instrument_notes Part B2 (S11, S12, S13, S14) and Part C.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge import fields
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


def _where(part: str) -> str:
    return f"{STAGING_FILE} [{part}]"


def _steps(rows: list[fields.Table], key: str, where: str) -> tuple[Step, ...]:
    """Points steps; a row without ``key`` is the open-ended last step."""
    return tuple(
        Step(
            fields.number(row, key, f"{where}[{i}]") if key in row else None,
            fields.integer(row, "points", f"{where}[{i}]"),
            fields.optional_text(row, "category", f"{where}[{i}]") or "",
        )
        for i, row in enumerate(rows)
    )


def _bands(rows: list[fields.Table], where: str) -> tuple[Band, ...]:
    return tuple(
        Band(
            fields.text(row, "band", f"{where}[{i}]"),
            fields.number(row, "min", f"{where}[{i}]"),
            fields.number(row, "max", f"{where}[{i}]"),
        )
        for i, row in enumerate(rows)
    )


def _cgi_s_mapping(raw: fields.Table, where: str) -> dict[int, str]:
    # The table also carries its own status and source; only the numbered keys map CGI-S scores.
    return {int(k): fields.text(raw, k, where) for k in raw if k.isdigit()}


def _maudsley(raw: fields.Table) -> MaudsleyRules:
    where = _where("maudsley")
    duration = fields.tables(raw, "duration", f"{where} duration")
    severity = fields.table(raw, "severity", where)
    return MaudsleyRules(
        duration_days=_steps(duration, "max_days", f"{where} duration"),
        duration_months=_steps(duration, "max_months", f"{where} duration"),
        severity={k: fields.integer(severity, k, f"{where} severity") for k in severity},
        failed_antidepressants=_steps(
            fields.tables(raw, "failed_antidepressants", where),
            "max",
            f"{where} failed_antidepressants",
        ),
        augmentation_used=fields.integer(raw, "augmentation_used", where),
        ect_used=fields.integer(raw, "ect_used", where),
        bands=_bands(fields.tables(raw, "bands", where), f"{where} bands"),
        cgi_s_to_severity=_cgi_s_mapping(
            fields.table(raw, "cgi_s_to_severity", where), _where("maudsley.cgi_s_to_severity")
        ),
        source=fields.text(raw, "source", where),
    )


def _european(raw: fields.Table) -> EuropeanRules:
    where = _where("european")
    weeks = fields.table(raw, "week_bands", where)
    return EuropeanRules(
        min_distinct_classes_for_trd=fields.integer(raw, "min_distinct_classes_for_trd", where),
        max_trd_stage=fields.integer(raw, "max_trd_stage", where),
        chronic_min_weeks=fields.number(raw, "chronic_min_weeks", where),
        week_bands=tuple(_week_band(name, weeks, f"{where} week_bands") for name in weeks),
        source=fields.text(raw, "source", where),
    )


def _week_band(name: str, weeks: fields.Table, where: str) -> Band:
    value = weeks[name]
    is_number = [isinstance(v, int | float) and not isinstance(v, bool) for v in value]
    if not isinstance(value, list) or len(value) != 2 or not all(is_number):
        raise fields.fail(where, f"{name} must be [lowest week, highest week]")
    return Band(name, float(value[0]), float(value[1]))


def _thase_rush(raw: fields.Table) -> ThaseRushRules:
    where = _where("thase_rush")
    return ThaseRushRules(
        tca_class=fields.text(raw, "tca_class", where),
        maoi_class=fields.text(raw, "maoi_class", where),
        stage_iii_other_classes=fields.integer(raw, "stage_iii_other_classes", where),
        stage_iv_other_classes=fields.integer(raw, "stage_iv_other_classes", where),
        source=fields.text(raw, "source", where),
    )


def _mgh_s(raw: fields.Table) -> MghsRules:
    where = _where("mgh_s")
    return MghsRules(
        per_failed_trial=fields.number(raw, "per_failed_trial", where),
        dose_optimisation=fields.number(raw, "dose_optimisation", where),
        duration_optimisation=fields.number(raw, "duration_optimisation", where),
        augmentation_or_combination=fields.number(raw, "augmentation_or_combination", where),
        failed_ect=fields.number(raw, "failed_ect", where),
        register_trd_threshold=fields.number(raw, "register_trd_threshold", where),
        source=fields.text(raw, "source", where),
    )


@cache
def load_staging_rules() -> StagingRules:
    doc = load_document(STAGING_FILE)
    return StagingRules(
        thase_rush=_thase_rush(fields.table(doc, "thase_rush", STAGING_FILE)),
        european=_european(fields.table(doc, "european", STAGING_FILE)),
        mgh_s=_mgh_s(fields.table(doc, "mgh_s", STAGING_FILE)),
        maudsley=_maudsley(fields.table(doc, "maudsley", STAGING_FILE)),
        dm_trd_verified=fields.flag(
            fields.table(doc, "dm_trd", STAGING_FILE), "scoring_table_verified", _where("dm_trd")
        ),
    )


def points_for(value: float, steps: tuple[Step, ...]) -> Step:
    """The first step whose limit the value does not exceed."""
    for step in steps:
        if step.limit is None or value <= step.limit:
            return step
    raise KnowledgeBaseError(f"{STAGING_FILE}: no open-ended last step for {value}")


def band_for(total: float, bands: tuple[Band, ...]) -> str | None:
    return next((b.name for b in bands if b.low <= total <= b.high), None)
