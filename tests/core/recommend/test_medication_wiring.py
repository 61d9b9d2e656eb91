"""The current medication list in the options engine: warnings for what is already taken,
the interactions each option would add, unrecognised and unrecorded lists (golden cases, each
naming the source of the rule it rests on)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from tests.core.recommend.conftest import AS_OF, advise
from tests.core.recommend.personas import TWO_FAILED_ANTIDEPRESSANTS, assessed, history
from trdnav.core.errors import InvalidInput, KnowledgeBaseError
from trdnav.core.knowledge import load_therapies
from trdnav.core.knowledge.therapies import Category
from trdnav.core.knowledge.therapies.load import check_medication_ids
from trdnav.core.knowledge.therapies.parse_therapy import _header
from trdnav.core.medications import load_medication_table
from trdnav.core.recommend import OptionStatus, Recommendation, parse_patient

S = OptionStatus
KNOWLEDGE = load_therapies()
CHECKS_MEDICATIONS = sorted(t.id for t in KNOWLEDGE.therapies.values() if t.checks_medications)
PSYCHOTHERAPIES = sorted(
    t.id for t in KNOWLEDGE.therapies.values() if t.category is Category.PSYCHOTHERAPY
)
PERMISSIVE = {S.SUITABLE: 3, S.CAUTION: 2, S.NOT_OFFERED: 1, S.ALREADY_FAILED: 1}


def patient(*medications: Any, **extra: Any) -> dict[str, Any]:
    """Everything assessed and absent, two failed antidepressants, and this medication list."""
    base = {"age": 45, "history": history(*TWO_FAILED_ANTIDEPRESSANTS), **extra}
    return assessed({**base, "medications": list(medications)})


def stopped(name: str, days_ago: int) -> dict[str, str]:
    return {"name": name, "stopped_on": (AS_OF - timedelta(days=days_ago)).isoformat()}


def reasons(result: Recommendation, option: str, kind: str) -> list[dict[str, Any]]:
    return [r.to_dict() for r in result.option(option).reasons if r.kind.value == kind]


# Walter, 62: tranylcypromine from his psychiatrist; sertraline and tramadol added elsewhere.
WALTER = patient("tranylcypromine", "sertraline", "tramadol", age=62)


def test_an_maoi_with_sertraline_and_tramadol_gives_two_contraindicated_warnings_first() -> None:
    warnings = advise(WALTER).to_dict()["warnings"]
    interactions = [w for w in warnings if w["kind"] == "interaction"]
    assert warnings[: len(interactions)] == interactions
    assert [w["severity"] for w in interactions] == ["contraindicated", "contraindicated", "major"]
    first, second, third = interactions
    # Prozac label 4.1 / tranylcypromine Table 1: an MAOI with an SSRI is contraindicated.
    assert first["drugs"] == ["sertraline", "tranylcypromine"]
    assert first["source"] == "prozac_slc_2013"
    # Tramadol information: not with MAOIs or within 14 days of stopping them.
    assert (second["drugs"], second["source"]) == (
        ["tramadol", "tranylcypromine"],
        "tramadol_mims_nutram",
    )
    # Serotonergic antidepressant with tramadol: a label warning, not a contraindication.
    assert third["drugs"] == ["sertraline", "tramadol"] and third["rule"].endswith("with_tramadol")
    assert all(w["citation"] and w["status"] and w["text"] for w in interactions)


def test_bupropion_or_mirtazapine_added_to_a_current_maoi_is_contraindicated() -> None:
    result = advise(patient("phenelzine"))
    # Wellbutrin label (2013): concomitant MAOIs contraindicated (hypertensive reactions).
    bupropion = result.option("combo_bupropion")
    assert bupropion.status is S.CONTRAINDICATED and bupropion.rank is None
    (found,) = reasons(result, "combo_bupropion", "interaction")
    assert found["rule"] == "interaction.maoi_with_bupropion"
    assert found["source"] == "wellbutrin_slc_2013"
    # Remeron label (2012): starting mirtazapine in a patient on an MAOI is contraindicated.
    mirtazapine = result.option("combo_mirtazapine")
    assert mirtazapine.status is S.CONTRAINDICATED
    (found,) = reasons(result, "combo_mirtazapine", "interaction")
    assert found["rule"] == "interaction.maoi_with_mirtazapine"
    assert found["source"] == "remeron_slc_2012"
    assert [i["severity"] for i in mirtazapine.to_dict()["interactions"]] == ["contraindicated"]


def test_an_maoi_stopped_inside_its_14_day_washout_still_forbids_bupropion() -> None:
    # Bupropion label: use within 14 days of stopping an MAOI is contraindicated too.
    inside = advise(patient(stopped("phenelzine", 13)))
    assert inside.option("combo_bupropion").status is S.CONTRAINDICATED
    assert "maoi_current" in {d.code for d in inside.context.derived}
    after = advise(patient(stopped("phenelzine", 14)))
    assert after.option("combo_bupropion").status is not S.CONTRAINDICATED
    assert after.option("combo_bupropion").interactions == ()


def test_fluoxetine_stopped_four_weeks_ago_makes_an_maoi_switch_a_caution_with_a_washout() -> None:
    result = advise(patient(stopped("fluoxetine", 28)))
    option = result.option("switch_maoi")
    # Fluoxetine counts for 35 days after stopping (fluoxetine_ontario_formulary: stop it for
    # 5 weeks before an irreversible MAOI), so on day 28 the MAOI + SSRI contraindication of the
    # Prozac label (prozac_slc_2013) applies; the switch stops fluoxetine, so it becomes the
    # washout instruction of severity major: the option is a caution, not contraindicated.
    assert option.status is S.CAUTION
    (finding,) = option.interactions
    assert (finding.rule, finding.severity.value, finding.drugs) == (
        "maoi_with_ssri_snri",
        "major",
        ("maoi", "fluoxetine"),
    )
    assert "at least 35 days" in finding.text and "was stopped" in finding.text
    assert finding.fact.source == "prozac_slc_2013"
    # Past its washout, fluoxetine adds nothing.
    assert advise(patient(stopped("fluoxetine", 35))).option("switch_maoi").interactions == ()


def test_an_maoi_switch_with_tramadol_stays_contraindicated_as_tramadol_is_not_replaced() -> None:
    option = advise(WALTER).option("switch_maoi")
    assert option.status is S.CONTRAINDICATED
    severities = {f.drugs[1]: f.severity.value for f in option.interactions}
    assert severities == {
        "tramadol": "contraindicated",
        "sertraline": "major",
        "tranylcypromine": "major",
    }


def test_lithium_augmentation_with_ibuprofen_is_a_caution_citing_the_interaction() -> None:
    without = advise(patient("sertraline")).option("aug_lithium")
    assert without.status is S.SUITABLE and without.interactions == ()
    result = advise(patient("sertraline", "ibuprofen"))
    option = result.option("aug_lithium")
    assert option.status is S.CAUTION
    # bpac 2007: NSAIDs raise lithium levels; not contraindicated but monitor carefully.
    (found,) = reasons(result, "aug_lithium", "interaction")
    assert found["rule"] == "interaction.lithium_with_nsaid"
    assert found["source"] == "lithium_bpac2007"
    (added,) = option.to_dict()["interactions"]
    assert (added["severity"], added["drugs"], added["mechanism"]) == (
        "major",
        ["lithium", "ibuprofen"],
        "lithium_toxicity",
    )
    assert {"factor": "caution", "weight": KNOWLEDGE.ranking.weights["caution"]} | {
        "rule": "interaction.lithium_with_nsaid"
    } in [i.to_dict() for i in option.score_breakdown]


def test_an_unrecognised_medication_caps_drug_options_and_leaves_psychotherapy_alone() -> None:
    known, unknown = advise(patient("sertraline")), advise(patient("sertraline", "zorblax"))
    for therapy in CHECKS_MEDICATIONS:
        option = unknown.option(therapy)
        assert option.status is not S.SUITABLE, therapy
        texts = [r.text for r in option.reasons if r.rule == "medications.unrecognised"]
        assert texts == ["Not recognised: interactions not checked — zorblax."], therapy
    for therapy in PSYCHOTHERAPIES:
        assert unknown.option(therapy).status is known.option(therapy).status, therapy
        assert unknown.option(therapy).reasons == known.option(therapy).reasons, therapy
    assert known.option("aug_t3").status is S.SUITABLE
    assert unknown.option("aug_t3").status is S.CAUTION
    (check,) = [c for c in unknown.to_check if c.fact == "unrecognised_medications"]
    assert set(CHECKS_MEDICATIONS) <= set(check.options)
    assert "medications.unrecognised" in check.rules
    warnings = unknown.to_dict()["warnings"]
    warning = next(w for w in warnings if w["kind"] == "unrecognised_medication")
    assert warning["drugs"] == ["zorblax"]


def test_ect_checks_the_list_through_its_anaesthesia_and_ketamine_through_what_it_adds() -> None:
    assert {"ect", "ketamine_iv", "esketamine"} <= set(CHECKS_MEDICATIONS)
    assert KNOWLEDGE.therapy("ect").adds_medications == ()


def test_a_list_not_recorded_caps_drug_options_at_caution_and_asks_for_the_list() -> None:
    recorded = advise(patient())
    raw = patient()
    del raw["medications"]
    result = advise(raw)
    for therapy in CHECKS_MEDICATIONS:
        option = result.option(therapy)
        assert PERMISSIVE.get(option.status, 0) <= PERMISSIVE[S.CAUTION], therapy
        (said,) = [r for r in option.reasons if r.rule == "medications.not_recorded"]
        assert said.kind.value == "unknown" and "medication list not recorded" in said.text
    for therapy in PSYCHOTHERAPIES:
        assert result.option(therapy).status is recorded.option(therapy).status, therapy
    assert recorded.option("aug_t3").status is S.SUITABLE
    assert result.option("aug_t3").status is S.CAUTION
    (check,) = [c for c in result.to_check if c.fact == "medications"]
    assert set(CHECKS_MEDICATIONS) <= set(check.options)
    assert "medications.not_recorded" in check.rules
    assert result.option("aug_t3").to_dict()["unknowns"] == [
        {"fact": "medications", "rule": "medications.not_recorded"}
    ]


def test_rules_on_medication_classes_read_drug_ids_and_classes_of_the_drug_table() -> None:
    result = advise(patient("Bupropion HCl XL"))
    assert {"bupropion", "ndri", "antidepressant"} <= result.context.medication_classes
    assert result.to_dict()["patient"]["active_medications"] == ["bupropion"]
    # The TMS rule set names bupropion (a drug id): it now holds, and not without it.
    assert "tms_family.bupropion" in [r.rule for r in result.option("rtms").reasons]
    assert "tms_family.bupropion" not in [r.rule for r in advise(patient()).option("rtms").reasons]


def test_a_stop_date_after_the_decision_date_is_a_field_error() -> None:
    raw = {"medications": ["sertraline", {"name": "fluoxetine", "stopped_on": "2024-10-02"}]}
    with pytest.raises(InvalidInput) as caught:
        parse_patient(raw, as_of=AS_OF)
    assert [e.field for e in caught.value.errors] == ["medications[1].stopped_on"]


def test_every_medication_option_names_what_it_adds_and_every_switch_what_it_stops() -> None:
    table = load_medication_table()
    known = set(table.drugs) | set(table.classes)
    for therapy in KNOWLEDGE.therapies.values():
        if therapy.traits.is_medication:
            assert therapy.adds_medications, therapy.id
        if therapy.category is Category.MEDICATION_SWITCH:
            assert therapy.replaces_medications, therapy.id
        assert set(therapy.adds_medications) | set(therapy.replaces_medications) <= known


def test_an_unknown_drug_in_a_therapy_file_is_a_load_error_naming_file_and_key() -> None:
    therapy = replace(KNOWLEDGE.therapy("aug_lithium"), adds_medications=("lithum",))
    expected = "therapies/aug_lithium.toml therapy.adds_medications: unknown drug or class 'lithum'"
    with pytest.raises(KnowledgeBaseError, match=re.escape(expected)):
        check_medication_ids(therapy, "therapies/aug_lithium.toml", frozenset({"lithium"}))
    switch = replace(KNOWLEDGE.therapy("switch_tca"), replaces_medications=("antidepresant",))
    with pytest.raises(KnowledgeBaseError, match=r"therapy\.replaces_medications"):
        check_medication_ids(switch, "therapies/switch_tca.toml", frozenset({"tca"}))


def test_replaces_without_adds_is_a_load_error() -> None:
    head = {
        "therapy": {
            "id": "x",
            "name": "X",
            "category": "medication_switch",
            "family": "f",
            "investigational": False,
            "evidence_section": "§5",
            "replaces_medications": ["antidepressant"],
        }
    }
    with pytest.raises(KnowledgeBaseError, match="replaces_medications: needs adds_medications"):
        _header(head, "therapies/x.toml")


# --- an add-on that is already in the list (acceptance review) ---------------------------------

ADD_ONS_ALREADY_TAKEN = [
    ("aug_lithium", "lithium"),
    ("aug_aripiprazole", "aripiprazole"),
    ("aug_quetiapine_xr", "quetiapine"),
    ("aug_t3", "liothyronine"),
    ("combo_bupropion", "Wellbutrin XL"),
    ("combo_mirtazapine", "mirtazapine"),
]


@pytest.mark.parametrize(("therapy", "drug"), ADD_ONS_ALREADY_TAKEN)
def test_an_add_on_already_in_the_medication_list_is_a_caution_saying_so(
    therapy: str, drug: str
) -> None:
    without = advise(patient("sertraline"))
    assert without.option(therapy).status is S.SUITABLE
    option = advise(patient("sertraline", drug)).option(therapy)
    assert option.status is S.CAUTION
    reasons = [r for r in option.reasons if r.rule == "medications.already_taking"]
    assert reasons and reasons[0].text.startswith("Already in the medication list")


def test_an_add_on_stopped_inside_its_washout_still_counts_as_in_the_list() -> None:
    # Mirtazapine counts for 14 days after stopping (medications/drugs.toml).
    inside = advise(patient("sertraline", stopped("mirtazapine", 3))).option("combo_mirtazapine")
    assert "medications.already_taking" in [r.rule for r in inside.reasons]
    past = advise(patient("sertraline", stopped("mirtazapine", 30))).option("combo_mirtazapine")
    assert past.status is S.SUITABLE


def test_a_switch_is_never_an_add_on_already_taken() -> None:
    result = advise(patient("sertraline"))
    for therapy in ("switch_antidepressant", "olanzapine_fluoxetine"):
        option = result.option(therapy)
        assert "medications.already_taking" not in [r.rule for r in option.reasons]
