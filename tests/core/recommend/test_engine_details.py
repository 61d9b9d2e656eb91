"""Details of the engine's output pinned by the mutation run (each test kills surviving mutants)."""

from __future__ import annotations

from tests.core.recommend import personas
from tests.core.recommend.conftest import advise
from trdnav.core.knowledge import load_therapies
from trdnav.core.recommend.ranking import ScoreItem


def test_an_already_failed_option_shows_only_its_own_familys_implication() -> None:
    result = advise(personas.EDITH_FAILED_ECT)
    implications = [r for r in result.option("ect").reasons if r.kind.value == "implication"]
    ect_family = [i for i in load_therapies().implications if i.family == "ect"]
    assert [r.text for r in implications] == [i.fact.text for i in ect_family]


def test_a_not_offered_option_says_so_in_plain_words() -> None:
    result = advise(personas.GITA_SMALL_CLINIC)
    reason = next(r for r in result.option("esketamine").reasons if r.rule == "clinic.offered")
    assert reason.to_dict() == {
        "kind": "not_offered",
        "rule": "clinic.offered",
        "text": "Not offered by this clinic: referral elsewhere would be needed.",
        "source": None,
        "citation": None,
        "status": None,
    }


def test_a_score_item_is_printed_as_factor_weight_and_rule() -> None:
    item = ScoreItem("caution", -1.0, "x.rule")
    assert item.to_dict() == {"factor": "caution", "weight": -1.0, "rule": "x.rule"}
