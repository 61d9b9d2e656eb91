"""Persona stories: what a clinician must see for typical and high-risk patients."""

from __future__ import annotations

from tests.core.recommend import personas
from tests.core.recommend.conftest import advise
from trdnav.core.recommend import OptionStatus, Recommendation

TMS_OPTIONS = ("rtms", "itbs", "deep_tms", "snt")
MEDICATION_CATEGORIES = ("medication_augmentation", "medication_combination", "medication_switch")


def rules_of(result: Recommendation, therapy_id: str) -> set[str]:
    return {reason.rule for reason in result.option(therapy_id).reasons}


def test_ana_with_psychotic_depression_and_high_suicide_risk_sees_ect_first_and_urgent() -> None:
    result = advise(personas.ANA_PSYCHOTIC_AND_SUICIDAL)
    ect = result.option("ect")
    assert ect.rank == 1
    assert ect.urgent
    assert ect.status is OptionStatus.SUITABLE
    assert {
        "urgency.ect_psychotic_depression",
        "urgency.ect_catatonia_or_rapid_response",
    } <= rules_of(result, "ect")
    assert "ect.psychotic_features" in rules_of(result, "ect")


def test_ana_sees_why_ect_is_urgent_with_its_citation() -> None:
    result = advise(personas.ANA_PSYCHOTIC_AND_SUICIDAL)
    urgent = {reason.rule: reason for reason in result.urgent_conditions}
    assert urgent["urgency.ect_psychotic_depression"].fact is not None
    assert "van Diermen 2018" in urgent["urgency.ect_psychotic_depression"].fact.citation


def test_ana_is_not_steered_to_ketamine_without_caution_because_of_psychosis() -> None:
    result = advise(personas.ANA_PSYCHOTIC_AND_SUICIDAL)
    assert result.option("ketamine_iv").status is OptionStatus.CAUTION
    assert "ketamine_iv.psychosis" in rules_of(result, "ketamine_iv")
    assert not result.option("ketamine_iv").urgent


def test_ben_with_uncontrolled_hypertension_is_not_offered_ketamine_or_esketamine_as_suitable() -> (
    None
):
    result = advise(personas.BEN_UNCONTROLLED_HYPERTENSION)
    assert result.option("ketamine_iv").status is OptionStatus.CONTRAINDICATED
    assert result.option("ketamine_iv").rank is None
    assert result.option("esketamine").status is OptionStatus.CAUTION
    assert "esketamine.blood_pressure" in rules_of(result, "esketamine")


def test_chloe_with_a_cochlear_implant_has_every_tms_option_contraindicated() -> None:
    result = advise(personas.CHLOE_COCHLEAR_IMPLANT)
    for therapy_id in TMS_OPTIONS:
        option = result.option(therapy_id)
        assert option.status is OptionStatus.CONTRAINDICATED, therapy_id
        assert option.rank is None
        assert "tms_family.metal_in_head" in rules_of(result, therapy_id)


def test_chloe_still_gets_ect_and_psychotherapy_ranked() -> None:
    result = advise(personas.CHLOE_COCHLEAR_IMPLANT)
    assert result.option("ect").rank is not None
    assert result.option("cbt").status is OptionStatus.SUITABLE


def test_dev_who_avoids_medication_after_two_failures_sees_psychotherapy_and_tms_at_the_top() -> (
    None
):
    result = advise(personas.DEV_AVOIDS_MEDICATION)
    top = [option.id for option in result.ranked()[:4]]
    assert "cbt" in top
    assert any(t in top for t in TMS_OPTIONS)
    assert not any(result.option(t).therapy.traits.is_medication for t in top)


def test_dev_sees_the_medication_preference_in_every_medicine_options_score() -> None:
    result = advise(personas.DEV_AVOIDS_MEDICATION)
    for option in result.options:
        if option.therapy.category.value in MEDICATION_CATEGORIES and option.rank is not None:
            factors = {item.rule for item in option.score_breakdown}
            assert "ranking.preference.avoid_medication" in factors, option.id


def test_dev_is_told_a_failed_ssri_does_not_rule_out_another_switch_and_why() -> None:
    result = advise(personas.DEV_AVOIDS_MEDICATION)
    rules = rules_of(result, "switch_antidepressant")
    assert "switch_antidepressant.same_class_not_ruled_out" in rules
    assert "ranking.augment_rather_than_switch" in rules
    assert "ranking.stard_fewer_remissions_with_each_step" in rules


def test_edith_sees_her_failed_ect_course_as_already_failed_with_what_it_implies() -> None:
    result = advise(personas.EDITH_FAILED_ECT)
    ect = result.option("ect")
    assert ect.status is OptionStatus.ALREADY_FAILED
    assert "history.already_failed" in rules_of(result, "ect")
    assert "implication.ect" in rules_of(result, "ect")
    suitable_ranks = [o.rank for o in result.options if o.status is OptionStatus.SUITABLE]
    assert ect.rank is not None
    assert all(rank is not None and rank < ect.rank for rank in suitable_ranks)


def test_frank_on_phenelzine_gets_the_maoi_interactions_as_rules() -> None:
    result = advise(personas.FRANK_ON_AN_MAOI)
    assert [d.code for d in result.context.derived] == ["maoi_current"]
    assert result.option("olanzapine_fluoxetine").status is OptionStatus.CONTRAINDICATED
    assert result.option("esketamine").status is OptionStatus.CAUTION
    assert "esketamine.maoi" in rules_of(result, "esketamine")
    assert "switch_antidepressant.maoi_washout" in rules_of(result, "switch_antidepressant")
    assert "combo_bupropion.maoi_not_covered" in rules_of(result, "combo_bupropion")


def test_an_unrecognised_medication_is_reported_not_ignored() -> None:
    result = advise({"medications": ["phenelzine", "unobtainium"]})
    assert result.context.unrecognised_medications == ("unobtainium",)
    assert any("unobtainium" in warning.text for warning in result.warnings)


def test_gita_sees_what_her_clinic_does_not_offer_ranked_after_what_it_does() -> None:
    result = advise(personas.GITA_SMALL_CLINIC)
    offered = {"ect", "rtms", "cbt"}
    for option in result.options:
        if option.id not in offered and option.status is not OptionStatus.CONTRAINDICATED:
            assert option.status is OptionStatus.NOT_OFFERED, option.id
            assert "clinic.offered" in rules_of(result, option.id)
    assert {o.id for o in result.ranked()[:3]} == offered


def test_hugo_with_catatonia_sees_ect_urgent_even_without_a_history() -> None:
    result = advise(personas.HUGO_CATATONIC)
    assert result.option("ect").urgent
    assert result.option("ect").rank == 1
    assert result.history.trd_met is None
    assert any("No treatment history" in warning.text for warning in result.warnings)


def test_iris_who_needs_rapid_relief_sees_the_rapid_acting_options_first() -> None:
    result = advise(personas.IRIS_NEEDS_RAPID_RELIEF)
    rapid = {"ketamine_iv", "esketamine", "ect", "snt"}
    assert {o.id for o in result.ranked()[: len(rapid)]} == rapid
    assert all(result.option(t).urgent for t in rapid)


def test_a_contraindicated_option_is_never_urgent_even_when_urgency_applies() -> None:
    result = advise({"facts": ["cochlear_implant"], "preferences": ["needs_rapid_relief"]})
    snt = result.option("snt")
    assert snt.status is OptionStatus.CONTRAINDICATED
    assert not snt.urgent
