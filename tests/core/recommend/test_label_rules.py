"""Golden tests for the label-grade rules: each rule fires for its patient group and gives the
status its source's words map to (label "contraindicated" → contraindicated; "not approved" /
"not recommended" → caution; guideline "avoid" → caution; "use with caution" → caution).

Every test names the source key the rule rests on and checks it on the reason the engine gives.
The source words are quoted in docs/reviews/2026-11-label-rules-review.md. Personas come from
``trdnav.demo.personas.groups``; ``changes`` vary one persona to show the rule's edge.
"""

from __future__ import annotations

from typing import Any

from tests.personas import GROUP_PERSONAS
from trdnav.core.knowledge import load_therapies
from trdnav.core.recommend import (
    OptionStatus,
    Reason,
    ReasonKind,
    Recommendation,
    parse_patient,
    recommend,
)

CONTRAINDICATED = OptionStatus.CONTRAINDICATED
CAUTION = OptionStatus.CAUTION
TMS = ("rtms", "deep_tms", "itbs", "snt")
ANTIDEPRESSANT_ONLY = (
    "switch_antidepressant",
    "switch_tca",
    "switch_maoi",
    "combo_bupropion",
    "combo_mirtazapine",
)
ANTIPSYCHOTIC_ADD_ONS = (
    "aug_aripiprazole",
    "aug_brexpiprazole",
    "aug_cariprazine",
    "aug_quetiapine_xr",
)


def advise(key: str, **changes: Any) -> Recommendation:
    persona = GROUP_PERSONAS[key]
    knowledge = load_therapies()
    patient = {**persona.patient, **changes}
    if "facts" in changes and "absent_facts" not in changes:
        # A fact given as present is no longer among the persona's checked-absent facts.
        given = {f if isinstance(f, str) else f["code"] for f in changes["facts"]}
        patient["absent_facts"] = [c for c in patient.get("absent_facts", []) if c not in given]
    return recommend(parse_patient(patient, knowledge), knowledge, as_of=persona.as_of)


def fired(result: Recommendation, therapy_id: str, rule_id: str) -> Reason:
    """The reason a rule gave because its condition holds (not a 'not yet checked' reason)."""
    reasons = result.option(therapy_id).reasons
    found = [r for r in reasons if r.rule == rule_id and r.kind is not ReasonKind.UNKNOWN]
    assert found, f"{rule_id} did not fire for {therapy_id}: {sorted(r.rule for r in reasons)}"
    return found[0]


def did_not_fire(result: Recommendation, therapy_id: str, rule_id: str) -> None:
    reasons = result.option(therapy_id).reasons
    assert not [r for r in reasons if r.rule == rule_id and r.kind is not ReasonKind.UNKNOWN]


def check(
    result: Recommendation,
    therapy_id: str,
    rule_id: str,
    kind: ReasonKind,
    source: str,
    status: OptionStatus,
) -> None:
    reason = fired(result, therapy_id, rule_id)
    assert reason.kind is kind
    assert reason.fact is not None and reason.fact.source == source
    assert result.option(therapy_id).status is status


# --- ketamine family (source: spravato_label, spravato_smpc_eu) ---------------------------------


def test_esketamine_and_iv_ketamine_are_contraindicated_after_an_intracerebral_haemorrhage() -> (
    None
):
    result = advise("post_ich")
    for therapy in ("esketamine", "ketamine_iv"):
        check(
            result,
            therapy,
            "ketamine_family.label_vascular",
            ReasonKind.ABSOLUTE_CONTRAINDICATION,
            "spravato_label",
            CONTRAINDICATED,
        )


def test_without_a_brain_haemorrhage_the_vascular_label_rule_stays_silent() -> None:
    result = advise("post_ich", facts=[], absent_facts=["intracerebral_haemorrhage_ever"])
    did_not_fire(result, "esketamine", "ketamine_family.label_vascular")
    did_not_fire(result, "ketamine_iv", "ketamine_family.label_vascular")


def test_a_heart_attack_three_weeks_ago_contraindicates_esketamine_and_ketamine() -> None:
    result = advise("post_mi_3_weeks")
    for therapy in ("esketamine", "ketamine_iv"):
        check(
            result,
            therapy,
            "ketamine_family.recent_myocardial_infarction",
            ReasonKind.ABSOLUTE_CONTRAINDICATION,
            "spravato_smpc_eu",
            CONTRAINDICATED,
        )
    assert not result.option("esketamine").urgent


def test_a_heart_attack_more_than_six_weeks_ago_is_a_caution_not_a_contraindication() -> None:
    result = advise(
        "post_mi_3_weeks", facts=[{"code": "myocardial_infarction", "on": "2026-10-15"}]
    )
    did_not_fire(result, "esketamine", "ketamine_family.recent_myocardial_infarction")
    check(
        result,
        "esketamine",
        "ketamine_family.cardio_cerebrovascular",
        ReasonKind.RELATIVE_CONTRAINDICATION,
        "spravato_label",
        CAUTION,
    )


def test_a_heart_attack_with_no_date_counts_as_recent() -> None:
    result = advise("post_mi_3_weeks", facts=["myocardial_infarction"])
    assert result.option("esketamine").status is CONTRAINDICATED


def test_esketamine_for_a_16_year_old_is_not_approved_and_never_suitable() -> None:
    result = advise("adolescent_16")
    for therapy in ("esketamine", "ketamine_iv"):
        check(
            result,
            therapy,
            "ketamine_family.under_18",
            ReasonKind.NOT_APPROVED,
            "spravato_label",
            CAUTION,
        )


def test_on_the_18th_birthday_the_under_18_rule_no_longer_applies() -> None:
    result = advise("adolescent_16", date_of_birth="2008-11-30")
    did_not_fire(result, "esketamine", "ketamine_family.under_18")


def test_esketamine_in_pregnancy_is_not_recommended() -> None:
    result = advise("pregnant_second_trimester")
    check(
        result,
        "esketamine",
        "ketamine_family.pregnancy",
        ReasonKind.NOT_APPROVED,
        "spravato_label",
        CAUTION,
    )


def test_esketamine_while_breast_feeding_is_not_recommended() -> None:
    result = advise(
        "pregnant_second_trimester", facts=["breastfeeding"], absent_facts=["pregnancy"]
    )
    check(
        result,
        "esketamine",
        "ketamine_family.breastfeeding",
        ReasonKind.NOT_APPROVED,
        "spravato_label",
        CAUTION,
    )


def test_esketamine_in_bipolar_i_depression_is_outside_its_licence() -> None:
    result = advise("bipolar_i_on_lamotrigine")
    check(
        result,
        "esketamine",
        "ketamine_family.bipolar_outside_licence",
        ReasonKind.NOT_APPROVED,
        "spravato_label",
        CAUTION,
    )


def test_esketamine_in_severe_liver_impairment_is_not_recommended() -> None:
    check(
        advise("suicidal_intent", facts=["severe_hepatic_impairment"]),
        "esketamine",
        "esketamine.hepatic",
        ReasonKind.NOT_APPROVED,
        "spravato_label",
        CAUTION,
    )


# --- antidepressants (canmat_isbd2018, adolescent_approvals2025, spravato_label) -----------------


def test_antidepressant_only_steps_in_bipolar_i_on_lamotrigine_alone_are_cautioned() -> None:
    result = advise("bipolar_i_on_lamotrigine")
    for therapy in ANTIDEPRESSANT_ONLY:
        check(
            result,
            therapy,
            "antidepressant_only.bipolar",
            ReasonKind.NOT_APPROVED,
            "canmat_isbd2018",
            CAUTION,
        )


def test_olanzapine_fluoxetine_is_the_licensed_option_in_bipolar_i_depression() -> None:
    result = advise("bipolar_i_on_lamotrigine")
    did_not_fire(result, "olanzapine_fluoxetine", "antidepressant_only.bipolar")
    reason = fired(result, "olanzapine_fluoxetine", "olanzapine_fluoxetine.bipolar_i_licensed")
    assert reason.kind is ReasonKind.NOTE
    assert reason.fact is not None and reason.fact.source == "symbyax_label"


def test_a_past_hypomania_counts_as_bipolar_spectrum_for_antidepressant_steps() -> None:
    result = advise("bipolar_i_on_lamotrigine", facts=["past_mania_or_hypomania"])
    fired(result, "switch_antidepressant", "antidepressant_only.bipolar")


def test_antidepressant_switches_and_combinations_for_a_16_year_old_are_not_approved() -> None:
    result = advise("adolescent_16")
    for therapy in ANTIDEPRESSANT_ONLY:
        check(
            result,
            therapy,
            "antidepressant_only.under_18",
            ReasonKind.NOT_APPROVED,
            "adolescent_approvals2025",
            CAUTION,
        )


def test_the_class_warning_for_under_25s_is_shown_as_a_note() -> None:
    reason = fired(
        advise("adolescent_16"), "switch_antidepressant", "antidepressant_class.young_adults"
    )
    assert reason.kind is ReasonKind.NOTE
    assert reason.fact is not None and reason.fact.source == "spravato_label"


def test_olanzapine_fluoxetine_for_treatment_resistant_depression_under_18_is_not_approved() -> (
    None
):
    check(
        advise("adolescent_16"),
        "olanzapine_fluoxetine",
        "olanzapine_fluoxetine.under_18_trd",
        ReasonKind.NOT_APPROVED,
        "symbyax_label",
        CAUTION,
    )


# --- tricyclics (tca_label, hawton2010, ags_beers2023) ------------------------------------------


def test_a_tricyclic_three_weeks_after_a_heart_attack_is_contraindicated() -> None:
    check(
        advise("post_mi_3_weeks"),
        "switch_tca",
        "tricyclic.recent_myocardial_infarction",
        ReasonKind.ABSOLUTE_CONTRAINDICATION,
        "tca_label",
        CONTRAINDICATED,
    )


def test_a_tricyclic_with_current_suicidal_intent_is_to_be_avoided() -> None:
    check(
        advise("suicidal_intent"),
        "switch_tca",
        "tricyclic.suicidal_intent_overdose",
        ReasonKind.AVOID,
        "hawton2010",
        CAUTION,
    )


def test_a_tricyclic_for_an_88_year_old_with_dementia_is_to_be_avoided_twice_over() -> None:
    result = advise("older_88_dementia")
    for rule in ("tricyclic.beers_older_adults", "tricyclic.beers_dementia"):
        check(result, "switch_tca", rule, ReasonKind.AVOID, "ags_beers2023", CAUTION)


def test_the_beers_rules_start_at_65() -> None:
    result = advise("older_88_dementia", age=64)
    did_not_fire(result, "switch_tca", "tricyclic.beers_older_adults")
    did_not_fire(result, "switch_tca", "tricyclic.beers_dementia")
    fired(advise("older_88_dementia", age=65), "switch_tca", "tricyclic.beers_older_adults")


# --- MAOIs, bupropion, mirtazapine (parnate_label, bupropion_label) -----------------------------


def test_an_maoi_with_a_phaeochromocytoma_is_contraindicated() -> None:
    check(
        advise("suicidal_intent", facts=["pheochromocytoma"]),
        "switch_maoi",
        "maoi.pheochromocytoma",
        ReasonKind.ABSOLUTE_CONTRAINDICATION,
        "parnate_label",
        CONTRAINDICATED,
    )


def test_an_maoi_with_current_suicidal_intent_is_cautioned_for_overdose() -> None:
    check(
        advise("suicidal_intent"),
        "switch_maoi",
        "maoi.suicidal_intent_overdose",
        ReasonKind.CAUTION,
        "parnate_label",
        CAUTION,
    )


def test_bupropion_or_mirtazapine_on_top_of_a_current_maoi_is_contraindicated() -> None:
    result = advise("maoi_polypharmacy")
    for therapy, rule, source in (
        ("combo_bupropion", "combo_bupropion.maoi", "parnate_label"),
        ("combo_mirtazapine", "combo_mirtazapine.maoi", "mirtazapine_label"),
    ):
        check(result, therapy, rule, ReasonKind.ABSOLUTE_CONTRAINDICATION, source, CONTRAINDICATED)


def test_bupropion_during_abrupt_alcohol_or_benzodiazepine_withdrawal_is_contraindicated() -> None:
    for withdrawal in ("alcohol_withdrawal", "benzodiazepine_withdrawal"):
        check(
            advise("suicidal_intent", facts=[withdrawal]),
            "combo_bupropion",
            "combo_bupropion.abrupt_withdrawal",
            ReasonKind.ABSOLUTE_CONTRAINDICATION,
            "bupropion_label",
            CONTRAINDICATED,
        )


def test_bupropion_with_an_eating_disorder_is_contraindicated() -> None:
    check(
        advise("suicidal_intent", facts=["eating_disorder"]),
        "combo_bupropion",
        "combo_bupropion.seizure_or_eating",
        ReasonKind.ABSOLUTE_CONTRAINDICATION,
        "bupropion_label",
        CONTRAINDICATED,
    )


# --- lithium (lithium_label, patorno2017_acc, nhs_ggc_lithium) ----------------------------------


def test_lithium_in_the_second_trimester_carries_the_label_pregnancy_caution() -> None:
    result = advise("pregnant_second_trimester")
    check(result, "aug_lithium", "lithium.pregnancy", ReasonKind.CAUTION, "lithium_label", CAUTION)
    did_not_fire(result, "aug_lithium", "lithium.first_trimester")


def test_lithium_in_the_first_trimester_names_the_heart_malformation_risk() -> None:
    result = advise("pregnant_second_trimester", facts=[{"code": "pregnancy", "trimester": 1}])
    check(
        result,
        "aug_lithium",
        "lithium.first_trimester",
        ReasonKind.CAUTION,
        "patorno2017_acc",
        CAUTION,
    )


def test_lithium_in_a_pregnancy_of_unknown_trimester_asks_for_the_trimester() -> None:
    result = advise("pregnant_second_trimester", facts=["pregnancy"])
    reasons = result.option("aug_lithium").reasons
    assert [
        r for r in reasons if r.rule == "lithium.first_trimester" and r.kind is ReasonKind.UNKNOWN
    ]
    assert result.option("aug_lithium").status is CAUTION


def test_lithium_while_breast_feeding_is_advised_against() -> None:
    result = advise(
        "pregnant_second_trimester", facts=["breastfeeding"], absent_facts=["pregnancy"]
    )
    check(
        result,
        "aug_lithium",
        "lithium.breastfeeding",
        ReasonKind.NOT_APPROVED,
        "nhs_ggc_lithium",
        CAUTION,
    )


def test_lithium_in_severe_renal_impairment_is_contraindicated() -> None:
    check(
        advise("suicidal_intent", facts=["severe_renal_impairment"]),
        "aug_lithium",
        "aug_lithium.renal_or_sodium",
        ReasonKind.ABSOLUTE_CONTRAINDICATION,
        "nhs_ggc_lithium_renal",
        CONTRAINDICATED,
    )


def test_lithium_with_current_suicidal_intent_is_cautioned_for_toxicity() -> None:
    check(
        advise("suicidal_intent"),
        "aug_lithium",
        "lithium.suicidal_intent_toxicity",
        ReasonKind.CAUTION,
        "lithium_label",
        CAUTION,
    )


# --- T3 (cytomel_label) ------------------------------------------------------------------------


def test_t3_after_a_heart_attack_is_started_with_caution() -> None:
    check(
        advise("post_mi_3_weeks"),
        "aug_t3",
        "aug_t3.cardiovascular",
        ReasonKind.CAUTION,
        "cytomel_label",
        CAUTION,
    )


def test_t3_at_88_is_started_with_caution() -> None:
    result = advise("older_88_dementia")
    check(result, "aug_t3", "aug_t3.older_adults", ReasonKind.CAUTION, "cytomel_label", CAUTION)
    did_not_fire(advise("older_88_dementia", age=64), "aug_t3", "aug_t3.older_adults")


# --- antipsychotic add-ons (antipsychotic_boxed_warning, ags_beers2023, nhs_scotland_catatonia) --


def test_antipsychotic_add_ons_in_catatonia_are_to_be_avoided() -> None:
    result = advise("catatonia")
    for therapy in (*ANTIPSYCHOTIC_ADD_ONS, "olanzapine_fluoxetine"):
        check(
            result,
            therapy,
            "antipsychotic.catatonia",
            ReasonKind.AVOID,
            "nhs_scotland_catatonia",
            CAUTION,
        )


def test_antipsychotic_add_ons_in_dementia_carry_the_boxed_warning_and_the_beers_avoid() -> None:
    result = advise("older_88_dementia")
    for therapy in ANTIPSYCHOTIC_ADD_ONS:
        check(
            result,
            therapy,
            "antipsychotic.dementia",
            ReasonKind.CAUTION,
            "antipsychotic_boxed_warning",
            CAUTION,
        )
        check(
            result,
            therapy,
            "antipsychotic.beers_dementia",
            ReasonKind.AVOID,
            "ags_beers2023",
            CAUTION,
        )


def test_antipsychotic_add_ons_with_metabolic_syndrome_or_a_long_qt_are_cautions() -> None:
    for fact, rule in (
        ("metabolic_syndrome", "antipsychotic.metabolic"),
        ("qt_prolongation", "antipsychotic.qt"),
    ):
        result = advise("suicidal_intent", facts=[fact])
        for therapy in ANTIPSYCHOTIC_ADD_ONS:
            check(result, therapy, rule, ReasonKind.CAUTION, "pharmacology_general", CAUTION)


def test_antipsychotic_augmentation_for_a_16_year_old_is_not_established() -> None:
    result = advise("adolescent_16")
    for therapy in ANTIPSYCHOTIC_ADD_ONS:
        check(
            result,
            therapy,
            "sga_adjunct_mdd.under_18",
            ReasonKind.NOT_APPROVED,
            "brexpiprazole_label",
            CAUTION,
        )


# --- TMS (neurostar_labeling, neurostar_adolescent2024) -----------------------------------------


def test_every_tms_protocol_is_contraindicated_with_a_cochlear_implant() -> None:
    result = advise("cochlear_implant")
    for therapy in TMS:
        check(
            result,
            therapy,
            "tms_family.metal_in_head",
            ReasonKind.ABSOLUTE_CONTRAINDICATION,
            "neurostar_labeling",
            CONTRAINDICATED,
        )


def test_every_tms_protocol_is_contraindicated_with_a_deep_brain_stimulator_or_vns() -> None:
    for device in ("deep_brain_stimulator", "vagus_nerve_stimulator"):
        result = advise("dbs_implant", facts=[device])
        for therapy in TMS:
            assert result.option(therapy).status is CONTRAINDICATED


def test_tms_under_15_is_not_cleared() -> None:
    check(
        advise("adolescent_16", date_of_birth="2012-03-01"),
        "rtms",
        "tms_family.under_15",
        ReasonKind.NOT_APPROVED,
        "neurostar_adolescent2024",
        CAUTION,
    )


def test_rtms_at_16_is_cleared_only_as_an_add_on() -> None:
    result = advise("adolescent_16")
    did_not_fire(result, "rtms", "tms_family.under_15")
    reason = fired(result, "rtms", "rtms.adolescent_adjunct_only")
    assert reason.kind is ReasonKind.NOTE
    assert reason.fact is not None and reason.fact.source == "neurostar_adolescent2024"


def test_deep_tms_and_snt_at_16_are_adult_clearances_only() -> None:
    result = advise("adolescent_16")
    for therapy in ("deep_tms", "snt"):
        check(
            result,
            therapy,
            "tms_adult_devices.under_18",
            ReasonKind.NOT_APPROVED,
            "tms_adult_510k",
            CAUTION,
        )


def test_itbs_at_16_is_not_approved_until_its_adolescent_clearance_is_confirmed() -> None:
    check(
        advise("adolescent_16"),
        "itbs",
        "itbs.under_18_clearance_unclear",
        ReasonKind.NOT_APPROVED,
        "magventure_adolescent2025",
        CAUTION,
    )


def test_tms_with_seizures_or_during_alcohol_withdrawal_is_a_relative_contraindication() -> None:
    for fact in ("seizure_disorder", "alcohol_withdrawal"):
        check(
            advise("suicidal_intent", facts=[fact]),
            "rtms",
            "tms_family.seizure_risk",
            ReasonKind.RELATIVE_CONTRAINDICATION,
            "tms_safety_guidelines",
            CAUTION,
        )


def test_tms_while_taking_bupropion_is_a_caution() -> None:
    check(
        advise("suicidal_intent", medications=["bupropion"]),
        "rtms",
        "tms_family.bupropion",
        ReasonKind.CAUTION,
        "tms_safety_guidelines",
        CAUTION,
    )


def test_tms_with_a_pacemaker_or_in_bipolar_disorder_is_a_relative_contraindication() -> None:
    for key, facts in (
        ("suicidal_intent", ["cardiac_pacemaker_or_icd"]),
        ("bipolar_i_on_lamotrigine", ["bipolar_i"]),
    ):
        check(
            advise(key, facts=facts),
            "rtms",
            "tms_family.pacemaker_pregnancy_psychosis",
            ReasonKind.RELATIVE_CONTRAINDICATION,
            "tms_safety_guidelines",
            CAUTION,
        )


# --- ECT (fda_ect2018, apa_ect2001, ect_cochlear2025, ect_dbs2018) ------------------------------


def test_ect_with_a_cochlear_implant_is_a_caution_to_plan_with_the_implant_team() -> None:
    check(
        advise("cochlear_implant"),
        "ect",
        "ect.cochlear_implant",
        ReasonKind.RELATIVE_CONTRAINDICATION,
        "ect_cochlear2025",
        CAUTION,
    )


def test_ect_with_a_deep_brain_stimulator_is_a_caution() -> None:
    check(
        advise("dbs_implant"),
        "ect",
        "ect.deep_brain_stimulator",
        ReasonKind.CAUTION,
        "ect_dbs2018",
        CAUTION,
    )


def test_ect_three_weeks_after_a_heart_attack_is_high_risk() -> None:
    check(
        advise("post_mi_3_weeks"),
        "ect",
        "ect.recent_cardiac_or_cerebral_event",
        ReasonKind.RELATIVE_CONTRAINDICATION,
        "apa_ect2001",
        CAUTION,
    )


def test_a_brain_haemorrhage_more_than_90_days_ago_is_not_a_recent_event_for_ect() -> None:
    did_not_fire(advise("post_ich"), "ect", "ect.recent_cardiac_or_cerebral_event")


def test_ect_under_13_is_outside_the_fda_classification() -> None:
    check(
        advise("adolescent_16", date_of_birth="2014-01-10"),
        "ect",
        "ect.under_13",
        ReasonKind.NOT_APPROVED,
        "fda_ect2018",
        CAUTION,
    )
    did_not_fire(advise("adolescent_16"), "ect", "ect.under_13")


def test_ect_with_a_high_anaesthetic_risk_is_a_caution() -> None:
    check(
        advise("catatonia", facts=["high_anaesthetic_risk"]),
        "ect",
        "anaesthesia.high_risk",
        ReasonKind.RELATIVE_CONTRAINDICATION,
        "apa_ect2001",
        CAUTION,
    )


# --- VNS (vns_fda_classification, vns_manufacturer_isi) -----------------------------------------


def test_vns_under_18_is_not_approved() -> None:
    check(
        advise("adolescent_16"),
        "vns",
        "vns.under_18",
        ReasonKind.NOT_APPROVED,
        "vns_fda_classification",
        CAUTION,
    )


def test_vns_after_a_left_cervical_vagotomy_is_contraindicated() -> None:
    check(
        advise("suicidal_intent", facts=["prior_left_cervical_vagotomy"]),
        "vns",
        "vns.vagotomy",
        ReasonKind.ABSOLUTE_CONTRAINDICATION,
        "vns_manufacturer_isi",
        CONTRAINDICATED,
    )


def test_vns_always_carries_the_diathermy_warning() -> None:
    reason = fired(advise("suicidal_intent"), "vns", "vns.diathermy_after_implant")
    assert reason.kind is ReasonKind.NOTE
    assert reason.fact is not None and reason.fact.source == "vns_manufacturer_isi"


# --- psychotherapies (wiles2013, psychotherapy_general) -----------------------------------------


def test_psychotherapy_as_the_main_treatment_in_bipolar_i_is_a_relative_contraindication() -> None:
    check(
        advise("bipolar_i_on_lamotrigine"),
        "cbt",
        "psychotherapy.psychosis_or_bipolar",
        ReasonKind.RELATIVE_CONTRAINDICATION,
        "wiles2013",
        CAUTION,
    )


def test_psychotherapy_with_current_suicidal_intent_comes_after_crisis_care() -> None:
    check(
        advise("suicidal_intent", facts=["current_suicidal_intent"]),
        "cbt",
        "psychotherapy.crisis_first",
        ReasonKind.CAUTION,
        "psychotherapy_general",
        CAUTION,
    )


def test_psychotherapy_with_dementia_is_a_caution() -> None:
    check(
        advise("older_88_dementia"),
        "cbt",
        "psychotherapy.cognitive_impairment",
        ReasonKind.CAUTION,
        "psychotherapy_general",
        CAUTION,
    )


# --- older rules now read the new fact codes and groups ----------------------------------------


def test_bipolar_i_reaches_the_bright_light_and_sleep_deprivation_switch_warnings() -> None:
    result = advise("bipolar_i_on_lamotrigine")
    fired(result, "bright_light", "bright_light.bipolar")
    reason = fired(result, "chronotherapy", "chronotherapy.bipolar")
    assert reason.kind is ReasonKind.RELATIVE_CONTRAINDICATION
    assert result.option("chronotherapy").status is CAUTION


def test_dementia_reaches_the_ect_cognitive_caution() -> None:
    fired(advise("older_88_dementia"), "ect", "ect.cognitive_impairment")


def test_alcohol_withdrawal_reaches_the_bupropion_seizure_caution_as_well() -> None:
    fired(
        advise("suicidal_intent", facts=["alcohol_withdrawal"]),
        "combo_bupropion",
        "combo_bupropion.withdrawal",
    )


# --- every persona: nothing contraindicated or not approved is shown as suitable ----------------


def test_no_persona_sees_a_suitable_option_whose_safety_rule_fired() -> None:
    safety = {
        ReasonKind.ABSOLUTE_CONTRAINDICATION,
        ReasonKind.RELATIVE_CONTRAINDICATION,
        ReasonKind.NOT_APPROVED,
        ReasonKind.AVOID,
        ReasonKind.CAUTION,
    }
    for key in GROUP_PERSONAS:
        for option in advise(key).options:
            if option.status is OptionStatus.SUITABLE:
                assert not [r for r in option.reasons if r.kind in safety], (key, option.id)


# --- acceptance review: tricyclic label warnings (elavil_warnings) -------------------------------


def _adult_with(*facts: str) -> Recommendation:
    """A 45-year-old with two adequate failures and every fact checked absent except ``facts``."""
    from trdnav.demo.personas.groups import two_failures

    knowledge = load_therapies()
    vocabulary = knowledge.vocabulary
    absent = [c for c in vocabulary.facts if c not in facts]
    patient = {
        "age": 45,
        "facts": list(facts),
        "absent_facts": absent,
        "medications": [],
        "history": two_failures(),
    }
    return recommend(
        parse_patient(patient, knowledge), knowledge, as_of=GROUP_PERSONAS["suicidal_intent"].as_of
    )


def test_without_seizures_or_qt_prolongation_a_tricyclic_switch_is_suitable() -> None:
    result = _adult_with()
    assert result.option("switch_tca").status is OptionStatus.SUITABLE
    did_not_fire(result, "switch_tca", "tricyclic.seizure_history")
    did_not_fire(result, "switch_tca", "tricyclic.qt_or_conduction")


def test_a_tricyclic_with_a_seizure_disorder_is_a_caution() -> None:
    check(
        _adult_with("seizure_disorder"),
        "switch_tca",
        "tricyclic.seizure_history",
        ReasonKind.CAUTION,
        "elavil_warnings",
        CAUTION,
    )


def test_a_tricyclic_with_qt_prolongation_is_a_caution() -> None:
    check(
        _adult_with("qt_prolongation"),
        "switch_tca",
        "tricyclic.qt_or_conduction",
        ReasonKind.CAUTION,
        "elavil_warnings",
        CAUTION,
    )


def test_bupropion_added_with_severe_liver_impairment_is_a_caution() -> None:
    assert _adult_with().option("combo_bupropion").status is OptionStatus.SUITABLE
    check(
        _adult_with("severe_hepatic_impairment"),
        "combo_bupropion",
        "combo_bupropion.hepatic_impairment",
        ReasonKind.CAUTION,
        "wellbutrin_xl_hepatic",
        CAUTION,
    )


def test_ect_with_a_pacemaker_or_defibrillator_is_a_caution_citing_the_device_maker() -> None:
    assert _adult_with().option("ect").status is OptionStatus.SUITABLE
    check(
        _adult_with("cardiac_pacemaker_or_icd"),
        "ect",
        "ect.cardiac_rhythm_device",
        ReasonKind.CAUTION,
        "sjm_ect_crmd",
        CAUTION,
    )


def test_current_suicidal_intent_makes_ect_urgent_as_canmat_lists_it_first_line() -> None:
    assert not _adult_with().option("ect").urgent
    option = _adult_with("current_suicidal_intent").option("ect")
    assert option.urgent and option.status is OptionStatus.SUITABLE
    reasons = [r for r in option.reasons if r.rule == "urgency.ect_psychosis_or_suicidality_canmat"]
    assert reasons and reasons[0].fact is not None
    assert reasons[0].fact.source == "canmat2016_cmaj"
