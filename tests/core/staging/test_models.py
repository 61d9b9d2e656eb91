"""Staging models from their parameters: input checking and DM-TRD's refusal (P-B7)."""

from __future__ import annotations

from typing import Any

import pytest

from trdnav.core.errors import InvalidInput, NotAvailable, UnknownCode
from trdnav.core.history import Severity
from trdnav.core.staging import DmTrdInput, score_dm_trd, score_model


def errors_of(model: str, params: Any) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        score_model(model, params)
    return {e.field: e.message for e in caught.value.errors}


def test_dm_trd_refuses_to_score_while_its_table_is_unverified() -> None:
    given = DmTrdInput(30, Severity.MODERATE, 3, 1, True, False, False, True, False, False)
    with pytest.raises(NotAvailable, match="not available: scoring table not verified"):
        score_dm_trd(given)


def test_dm_trd_still_checks_its_dimensions() -> None:
    errors = errors_of("dm_trd", {"episode_duration_months": -2, "severity": "grave"})
    assert "at least 0" in errors["episode_duration_months"]
    assert "allowed: subsyndromal" in errors["severity"]
    assert errors["comorbid_anxiety"] == "is required"


def test_an_unknown_model_lists_the_known_ones() -> None:
    with pytest.raises(UnknownCode) as caught:
        score_model("kim", {})
    assert caught.value.known == ("dm_trd", "european", "maudsley", "mgh_s", "thase_rush")


def test_maudsley_parameters_are_checked_by_name() -> None:
    errors = errors_of(
        "maudsley",
        {
            "episode_duration_months": "long",
            "severity": "moderate",
            "failed_antidepressants": 1.5,
            "augmentation_count": 0,
            "ect_used": "no",
            "extra": 1,
        },
    )
    assert set(errors) == {
        "episode_duration_months",
        "failed_antidepressants",
        "ect_used",
        "extra",
    }


def test_an_unknown_drug_class_is_named_with_its_position() -> None:
    errors = errors_of(
        "thase_rush",
        {
            "failed_adequate_trial_classes": ["ssri", "atypical"],
            "bilateral_ect_failed": False,
        },
    )
    assert "unknown class 'atypical'" in errors["failed_adequate_trial_classes[1]"]


def test_mgh_s_trials_need_adequacy_and_response() -> None:
    errors = errors_of("mgh_s", {"trials": [{"adequate": True}], "ect_failed": False})
    assert errors == {"trials[0].responded": "is required"}


def test_every_result_explains_itself_in_words() -> None:
    result = score_model(
        "thase_rush",
        {
            "failed_adequate_trial_classes": ["ssri", "maoi"],
            "bilateral_ect_failed": True,
        },
    )
    assert result["stage"] == "II"
    assert "without the failed TCA" in result["explanation"]
