"""The history adapter: the history engine's typed failures become matchable items."""

from __future__ import annotations

import sys
from datetime import date
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from tests.core.recommend import personas
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.recommend import history_adapter, provisional_history

AS_OF = date(2024, 10, 1)


def fake_engine(trd: bool = True) -> ModuleType:
    """A stand-in with the contract's names: parse_history and assess_history."""
    module = ModuleType(history_adapter.ENGINE_MODULE)
    trials = {"t1": SimpleNamespace(role="monotherapy"), "t2": SimpleNamespace(role="combination")}
    history = SimpleNamespace(treatment=trials.__getitem__)
    failed = SimpleNamespace(
        antidepressants=(
            SimpleNamespace(drug="sertraline", drug_class="ssri", trial_ids=("t1",)),
            SimpleNamespace(drug="mirtazapine", drug_class="nassa", trial_ids=("t2",)),
        ),
        augmentations=(SimpleNamespace(agent="aripiprazole", group="sga", trial_id="t3"),),
        courses=(SimpleNamespace(kind="tms", detail="itbs", trial_id="t4"),),
    )
    assessment = SimpleNamespace(
        failed_treatments=failed,
        is_trd=trd,
        current_episode=SimpleNamespace(psychotic_features=True),
        profile="default",
        to_dict=lambda: {
            "trd": {"common": {"met": trd}},
            "staging": {"thase_rush": {}},
            "policies": ["P-B8"],
        },
    )

    def parse_history(raw: Any) -> Any:
        if raw.get("broken"):
            raise InvalidInput([FieldError("treatments[0].kind", "unknown")])
        return history

    module.parse_history = parse_history  # type: ignore[attr-defined]
    module.assess_history = lambda h, *, as_of: assessment  # type: ignore[attr-defined]
    return module


def test_the_engine_path_maps_each_failed_treatment_to_matchable_fields(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, history_adapter.ENGINE_MODULE, fake_engine())
    summary = history_adapter.summarise_history({"episodes": []}, as_of=AS_OF)
    assert [item.to_dict() for item in summary.failed] == [
        {
            "kind": "antidepressant",
            "drug": "sertraline",
            "role": "monotherapy",
            "drug_class": "ssri",
            "trials": ["t1"],
        },
        {
            "kind": "antidepressant",
            "drug": "mirtazapine",
            "role": "combination",
            "drug_class": "nassa",
            "trials": ["t2"],
        },
        {"kind": "augmentation", "agent": "aripiprazole", "group": "sga", "trials": ["t3"]},
        {"kind": "tms", "protocol": "itbs", "trials": ["t4"]},
    ]
    assert (summary.failed_antidepressants, summary.trd_met, summary.psychotic_features) == (
        2,
        True,
        True,
    )
    assert summary.policies == ("P-B8",)


def test_the_engine_paths_errors_are_reported_inside_history(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, history_adapter.ENGINE_MODULE, fake_engine())
    with pytest.raises(InvalidInput) as caught:
        history_adapter.check_history({"broken": True})
    assert caught.value.errors[0].field == "history.treatments[0].kind"


def test_options_use_the_engines_failures_for_already_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.core.recommend.conftest import advise

    monkeypatch.setitem(sys.modules, history_adapter.ENGINE_MODULE, fake_engine())
    result = advise({"history": {"episodes": []}})
    statuses = {o.id: o.status.value for o in result.options}
    assert statuses["combo_mirtazapine"] == "already_failed"
    assert statuses["aug_aripiprazole"] == "already_failed"
    assert statuses["itbs"] == "already_failed"
    assert statuses["rtms"] != "already_failed"
    assert "ranking.same_family_failed.tms" in {
        i.rule for i in result.option("rtms").score_breakdown
    }
    assert [d.code for d in result.context.derived] == ["psychotic_features"]


def test_the_provisional_reader_counts_only_current_episode_non_responses() -> None:
    raw = personas.history(*personas.TWO_FAILED_ANTIDEPRESSANTS)
    raw["episodes"].append(dict(personas.EPISODE, id="e0", end="2023-01-01"))
    raw["treatments"].append(dict(personas.TWO_FAILED_ANTIDEPRESSANTS[0], id="old", episode="e0"))
    raw["treatments"].append(
        dict(personas.TWO_FAILED_ANTIDEPRESSANTS[1], id="ok", improvement_pct=60)
    )
    summary = provisional_history.summarise(raw)
    assert [f.trial_ids for f in summary.failed] == [("t1",), ("t2",)]
    assert summary.trd_met is None
    assert "not assessed" in summary.source


def test_no_history_gives_an_empty_summary_that_says_so() -> None:
    summary = history_adapter.summarise_history(None, as_of=AS_OF)
    assert not summary.given
    assert summary.failed == ()
    assert summary.notes
