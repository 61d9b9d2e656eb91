"""Golden tests for the lorazepam challenge and dietary improvement options, with sources."""

from __future__ import annotations

from tests.core.recommend.conftest import advise
from tests.core.recommend.generated import FACTS, KNOWLEDGE
from trdnav.core.recommend import OptionStatus, Recommendation


def rules_of(result: Recommendation, therapy_id: str) -> set[str]:
    return {reason.rule for reason in result.option(therapy_id).reasons}


def test_with_catatonia_the_lorazepam_challenge_is_urgent_citing_bush_1996() -> None:
    result = advise({"age": 40, "facts": ["catatonia"]})
    option = result.option("lorazepam_challenge")
    assert option.urgent
    urgent = [r for r in option.reasons if r.rule == "urgency.lorazepam_catatonia"]
    assert urgent and urgent[0].fact is not None
    assert "Bush 1996" in urgent[0].fact.citation


def test_without_catatonia_the_lorazepam_challenge_is_never_suitable_and_says_why() -> None:
    result = advise({"age": 40})
    option = result.option("lorazepam_challenge")
    assert option.status is OptionStatus.CAUTION
    assert not option.urgent
    assert "lorazepam_challenge.only_for_catatonia" in rules_of(result, "lorazepam_challenge")


def test_with_catatonia_both_catatonia_treatments_lorazepam_and_ect_are_urgent() -> None:
    result = advise({"age": 40, "facts": ["catatonia"]})
    assert result.option("ect").urgent
    assert result.option("lorazepam_challenge").urgent
    assert result.option("lorazepam_challenge").rank is not None


def test_lorazepam_with_an_opioid_carries_the_label_respiratory_depression_caution() -> None:
    result = advise({"age": 40, "facts": ["catatonia"], "medications": ["oxycodone"]})
    reasons = [
        r
        for r in result.option("lorazepam_challenge").reasons
        if r.rule == "lorazepam_challenge.opioids_or_cns_depressants"
    ]
    assert reasons and "respiratory depression" in reasons[0].text
    assert reasons[0].fact is not None
    assert "Lorazepam US prescribing information" in reasons[0].fact.citation


def test_dietary_improvement_is_an_adjunct_with_a_note_on_its_preliminary_evidence() -> None:
    result = advise({"age": 40})
    option = result.option("dietary_improvement")
    assert option.status in (OptionStatus.SUITABLE, OptionStatus.CAUTION)
    assert option.rank is not None
    assert "dietary_improvement.preliminary_evidence" in rules_of(result, "dietary_improvement")


def test_dietary_improvement_with_an_eating_disorder_is_only_a_caution() -> None:
    result = advise({"age": 40, "facts": ["eating_disorder"]})
    assert result.option("dietary_improvement").status is OptionStatus.CAUTION


def _checked_catatonic_adult(catatonia: str) -> dict[str, object]:
    """A 40-year-old with every other fact checked and absent, no medicines and two failed
    antidepressants' worth of history left out (lorazepam has no history rule)."""
    others = [code for code in FACTS if code != "catatonia"]
    facts = ["catatonia"] if catatonia == "present" else []
    absent = [*others, "catatonia"] if catatonia == "absent" else others
    return {"age": 40, "facts": facts, "absent_facts": absent, "medications": []}


def test_with_catatonia_checked_lorazepam_and_ect_are_suitable_urgent_and_the_top_two() -> None:
    # P-O16: "only for catatonia" is an indication gate (facts_none), so catatonia opens it;
    # lorazepam and ECT are the first-line catatonia treatments (Pelzer 2018).
    result = advise(_checked_catatonic_adult("present"))
    option = result.option("lorazepam_challenge")
    assert (option.status, option.urgent) == (OptionStatus.SUITABLE, True)
    assert {option.rank, result.option("ect").rank} == {1, 2}
    assert result.option("ect").urgent
    assert "lorazepam_challenge.only_for_catatonia" not in rules_of(result, "lorazepam_challenge")


def test_catatonia_checked_absent_keeps_the_gate_closed_and_unchecked_lists_it_to_check() -> None:
    absent = advise(_checked_catatonic_adult("absent")).option("lorazepam_challenge")
    assert absent.status is OptionStatus.CAUTION and not absent.urgent
    unchecked = advise(_checked_catatonic_adult("unknown"))
    option = unchecked.option("lorazepam_challenge")
    assert option.status is OptionStatus.CAUTION
    assert [u.fact for u in option.unknowns] == ["catatonia"]


def test_the_only_indication_gate_in_the_knowledge_base_is_lorazepam_for_catatonia() -> None:
    # A new gate lets a present fact lift a status, so it must be added here deliberately.
    gates = {
        (therapy.id, rule.id, rule.when.facts_none)
        for therapy in KNOWLEDGE.therapies.values()
        for rule in therapy.rules
        if rule.when.facts_none
    }
    assert gates == {
        ("lorazepam_challenge", "lorazepam_challenge.only_for_catatonia", ("catatonia",))
    }
