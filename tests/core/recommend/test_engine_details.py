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


def test_every_rule_and_urgency_reason_carries_its_rule_text_and_citation() -> None:
    knowledge = load_therapies()
    result = advise(personas.ANA_PSYCHOTIC_AND_SUICIDAL)
    texts = {r.id: (r.reason, r.fact) for t in knowledge.therapies.values() for r in t.rules}
    texts.update({u.id: (u.reason, u.fact) for u in knowledge.urgency})
    fired = [
        reason
        for option in result.options
        for reason in option.reasons
        if reason.kind.value != "unknown" and reason.rule in texts
    ]
    assert len(fired) > 10
    assert any(r.kind.value == "urgent" for r in fired)
    for reason in fired:
        assert (reason.text, reason.fact) == texts[reason.rule], reason.rule


def test_unknowns_and_to_check_name_each_rule_once_per_fact() -> None:
    result = advise({"age": 40, "medications": []})
    cbt = result.option("cbt")
    assert all(u.rule.startswith(("cbt.", "psychotherapy.")) for u in cbt.unknowns)
    check = next(c for c in result.to_check if c.fact == "high_suicide_risk")
    assert "psychotherapy.crisis_first" in check.rules
    assert len(check.rules) == len(set(check.rules))
    assert {"cbt", "dbt", "act"} <= set(check.options)
    assert len(check.options) == len(set(check.options))
    assert all(check.rules for check in result.to_check)


def test_options_are_listed_by_rank_then_the_unranked_contraindicated_ones_by_id() -> None:
    result = advise(personas.CHLOE_COCHLEAR_IMPLANT)
    ranked = [o.rank for o in result.options if o.rank is not None]
    assert ranked == list(range(1, len(ranked) + 1))
    assert result.options[0].rank == 1
    unranked = [o.id for o in result.options[len(ranked) :]]
    assert unranked and unranked == sorted(unranked)
    assert all(o.rank is None for o in result.options[len(ranked) :])
    assert result.knowledge_version == load_therapies().version


def test_the_score_counts_favour_and_caution_rules_by_name_and_ignores_notes() -> None:
    ana = advise(personas.ANA_PSYCHOTIC_AND_SUICIDAL)
    factors = {(i.factor, i.rule) for i in ana.option("ect").score_breakdown}
    assert ("favour", "ect.psychotic_features") in factors
    ketamine = {(i.factor, i.rule) for i in ana.option("ketamine_iv").score_breakdown}
    assert ("caution", "ketamine_iv.psychosis") in ketamine
    exercise = advise(personas.DEV_AVOIDS_MEDICATION).option("exercise")
    assert any(r.kind.value == "note" for r in exercise.reasons)
    assert {i.factor for i in exercise.score_breakdown} <= {"evidence tier mdd_only", "history"}
