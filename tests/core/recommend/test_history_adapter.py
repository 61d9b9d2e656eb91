"""The history adapter: the history engine's typed failures become matchable items."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.core.recommend import personas
from tests.core.recommend.conftest import advise
from trdnav.core.errors import InvalidInput
from trdnav.core.recommend import history_adapter

AS_OF = date(2024, 10, 1)


def failed_everything_history() -> dict[str, Any]:
    """Sertraline, then mirtazapine added to it, then aripiprazole, then an iTBS course."""
    sertraline = personas.drug_trial("t1", "sertraline", "2024-02-01", "2024-09-25", 150, 10)
    mirtazapine = dict(
        personas.drug_trial("t2", "mirtazapine", "2024-04-15", "2024-07-10", 45, 5),
        role="combination",
    )
    mirtazapine["with"] = "t1"
    aripiprazole = {
        "id": "t3",
        "episode": "e1",
        "kind": "augmentation",
        "agent": "aripiprazole",
        "augments": "t1",
        "start": "2024-07-10",
        "end": "2024-09-20",
        "doses": [{"from": "2024-07-10", "mg_per_day": 10}],
        "adherence_pct": 95,
        "improvement_pct": 5,
    }
    itbs = {
        "id": "t4",
        "episode": "e1",
        "kind": "tms",
        "protocol": "itbs",
        "sessions": 30,
        "start": "2024-08-01",
        "end": "2024-09-15",
        "improvement_pct": 10,
    }
    return personas.history(sertraline, mirtazapine, aripiprazole, itbs, psychotic=True)


def test_each_failed_treatment_becomes_a_matchable_item() -> None:
    summary = history_adapter.summarise_history(failed_everything_history(), as_of=AS_OF)
    items = [item.to_dict() for item in summary.failed]
    aripiprazole = {
        "kind": "augmentation",
        "agent": "aripiprazole",
        "group": "second_generation_antipsychotic",
        "trials": ["t3"],
    }
    assert aripiprazole in items
    assert {"kind": "tms", "protocol": "itbs", "trials": ["t4"]} in items
    drugs = {i["drug"]: i for i in items if i["kind"] == "antidepressant"}
    assert drugs["mirtazapine"]["role"] == "combination"
    assert drugs["sertraline"]["drug_class"] == "ssri"
    assert summary.psychotic_features is True
    assert summary.source == history_adapter.ENGINE_NAME


def test_history_errors_are_reported_inside_history() -> None:
    raw = personas.history(dict(personas.TWO_FAILED_ANTIDEPRESSANTS[0], kind="homeopathy"))
    with pytest.raises(InvalidInput) as caught:
        history_adapter.check_history(raw)
    assert caught.value.errors[0].field.startswith("history.treatments[0]")


def test_options_use_the_engines_failures_for_already_failed() -> None:
    result = advise({"history": failed_everything_history()})
    statuses = {o.id: o.status.value for o in result.options}
    assert statuses["combo_mirtazapine"] == "already_failed"
    assert statuses["aug_aripiprazole"] == "already_failed"
    assert statuses["itbs"] == "already_failed"
    assert statuses["rtms"] != "already_failed"
    assert "ranking.same_family_failed.tms" in {
        i.rule for i in result.option("rtms").score_breakdown
    }


def test_no_history_gives_an_empty_summary_that_says_so() -> None:
    summary = history_adapter.summarise_history(None, as_of=AS_OF)
    assert not summary.given
    assert summary.failed == ()
    assert summary.notes
