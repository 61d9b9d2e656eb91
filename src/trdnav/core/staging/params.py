"""Scoring one staging model directly from its parameters (``trdnav stage --model``).

The parameter names are the command-line contract (``trdnav stage --help``); each model's input
is checked field by field and every problem is reported with its name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput, NotAvailable, UnknownCode
from trdnav.core.input import Fields
from trdnav.core.staging.dm_trd import DmTrdInput, dm_trd_refusal, score_dm_trd
from trdnav.core.staging.european import EuropeanInput, stage_european
from trdnav.core.staging.maudsley import MaudsleyInput, stage_maudsley
from trdnav.core.staging.mgh_s import MghsInput, MghsTrial, score_mgh_s
from trdnav.core.staging.thase_rush import ThaseRushInput, stage_thase_rush
from trdnav.core.vocabulary import Severity, drug_classes

DM_TRD_FLAGS = (
    "functional_impairment",
    "comorbid_anxiety",
    "personality_disorder",
    "psychosocial_stressors",
    "failed_psychotherapy",
    "intensified_treatment",
)
MGHS_TRIAL_FLAGS = ("dose_optimised", "duration_optimised", "augmented_or_combined")


def _classes(f: Fields, key: str) -> tuple[str, ...]:
    known = drug_classes()
    classes: list[str] = []
    for i, value in enumerate(f.items(key)):
        if value in known:
            classes.append(value)
        else:
            f.errors.append(
                FieldError(
                    f"{f.at(key)}[{i}]", f"unknown class {value!r}; allowed: {', '.join(known)}"
                )
            )
    return tuple(classes)


def _maudsley(f: Fields) -> dict[str, Any]:
    f.only(
        (
            "episode_duration_months",
            "severity",
            "failed_antidepressants",
            "augmentation_count",
            "ect_used",
        )
    )
    months = f.number("episode_duration_months", low=0)
    severity = f.choice("severity", Severity)
    failed, augmentations = f.integer("failed_antidepressants"), f.integer("augmentation_count")
    ect = f.flag("ect_used", required=True)
    if months is None or severity is None or failed is None or augmentations is None:
        return {}
    given = MaudsleyInput(severity, failed, augmentations > 0, ect, duration_months=months)
    return stage_maudsley(given).to_dict()


def _thase_rush(f: Fields) -> dict[str, Any]:
    f.only(("failed_adequate_trial_classes", "bilateral_ect_failed"))
    classes = _classes(f, "failed_adequate_trial_classes")
    ect = f.flag("bilateral_ect_failed", required=True)
    return stage_thase_rush(ThaseRushInput(classes, ect)).to_dict()


def _european(f: Fields) -> dict[str, Any]:
    f.only(("failed_adequate_trial_classes", "resistant_weeks", "augmentation_tried"))
    classes = _classes(f, "failed_adequate_trial_classes")
    weeks = f.number("resistant_weeks", low=0)
    tried = f.flag("augmentation_tried", required=True)
    return stage_european(EuropeanInput(classes, weeks, tried)).to_dict()


def _mgh_s(f: Fields) -> dict[str, Any]:
    f.only(("trials", "ect_failed"))
    trials = tuple(
        _mghs_trial(Fields(raw, f"{f.at('trials')}[{i}]", f.errors))
        for i, raw in enumerate(f.items("trials"))
    )
    ect = f.flag("ect_failed", required=True)
    return score_mgh_s(MghsInput(trials, ect)).to_dict()


def _mghs_trial(f: Fields) -> MghsTrial:
    f.only(("adequate", "responded", *MGHS_TRIAL_FLAGS))
    flags = {name: f.flag(name) for name in MGHS_TRIAL_FLAGS}
    adequate = f.flag("adequate", required=True)
    return MghsTrial(adequate, f.flag("responded", required=True), **flags)


def _dm_trd(f: Fields) -> dict[str, Any]:
    f.only(
        (
            "episode_duration_months",
            "severity",
            "failed_antidepressants",
            "augmentation_count",
            *DM_TRD_FLAGS,
            "childhood_adversity",
        )
    )
    months = f.number("episode_duration_months", low=0)
    severity = f.choice("severity", Severity)
    failed, augmentations = f.integer("failed_antidepressants"), f.integer("augmentation_count")
    flags = {name: f.flag(name, required=True) for name in DM_TRD_FLAGS}
    adversity = f.flag("childhood_adversity") if "childhood_adversity" in f.raw else None
    if months is None or severity is None or failed is None or augmentations is None:
        return {}
    given = DmTrdInput(
        months, severity, failed, augmentations, **flags, childhood_adversity=adversity
    )
    try:
        return score_dm_trd(given).to_dict()
    except NotAvailable:
        return dm_trd_refusal().to_dict()


MODELS: Mapping[str, Callable[[Fields], dict[str, Any]]] = {
    "maudsley": _maudsley,
    "thase_rush": _thase_rush,
    "european": _european,
    "mgh_s": _mgh_s,
    "dm_trd": _dm_trd,
}


def score_model(model: str, raw: Any) -> dict[str, Any]:
    """The JSON result of one model scored from its parameters; ``InvalidInput`` on bad input."""
    if model not in MODELS:
        raise UnknownCode("model", model, list(MODELS))
    errors: list[FieldError] = []
    result = MODELS[model](Fields(raw, "", errors))
    if errors:
        raise InvalidInput(errors)
    return result
