"""Golden cases for the medication review. Each test names the source its rule was written from
(the ``source`` key in data/medications/interactions.toml; citations in therapies/_sources.toml,
label sentences in docs/medications.md)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.core.medications.conftest import AS_OF
from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.medications import (
    InteractionFinding,
    MedicationReview,
    MedicationTable,
    Severity,
    interactions_added,
    parse_medications,
    review_medications,
)


def review(raw: list[Any], table: MedicationTable, as_of: date = AS_OF) -> MedicationReview:
    entries = parse_medications(raw)
    assert entries is not None
    return review_medications(entries, table, as_of=as_of)


def stopped(name: str, days_ago: int) -> dict[str, str]:
    return {"name": name, "stopped_on": (AS_OF - timedelta(days=days_ago)).isoformat()}


def by_pair(findings: tuple[InteractionFinding, ...]) -> dict[tuple[str, str], InteractionFinding]:
    return {f.drugs: f for f in findings}


def test_tranylcypromine_sertraline_tramadol_warns_of_both_maoi_pairs_as_contraindicated(
    table: MedicationTable,
) -> None:
    # tranylcypromine Table 1 / Prozac label (prozac_slc_2013); tramadol: MIMS Nutram.
    result = review(["tranylcypromine", "sertraline", "tramadol"], table)
    pairs = by_pair(result.warnings)
    assert pairs[("sertraline", "tranylcypromine")].severity is Severity.CONTRAINDICATED
    assert pairs[("sertraline", "tranylcypromine")].fact.source == "prozac_slc_2013"
    assert pairs[("tramadol", "tranylcypromine")].severity is Severity.CONTRAINDICATED
    assert pairs[("tramadol", "tranylcypromine")].fact.source == "tramadol_mims_nutram"
    assert pairs[("sertraline", "tramadol")].severity is Severity.MAJOR
    assert [f.severity for f in result.warnings][:2] == [Severity.CONTRAINDICATED] * 2
    assert "tranylcypromine" in pairs[("tramadol", "tranylcypromine")].text


@pytest.mark.parametrize(("days_ago", "warned"), [(10, True), (13, True), (14, False), (15, False)])
def test_phenelzine_counts_with_sertraline_for_fourteen_days_after_stopping(
    table: MedicationTable, days_ago: int, warned: bool
) -> None:
    # 14 days after stopping an MAOI (remeron_slc_2012, wellbutrin_slc_2013).
    result = review([stopped("phenelzine", days_ago), "sertraline"], table)
    assert ("phenelzine" in result.active) is warned
    if warned:
        (finding,) = result.warnings
        assert finding.severity is Severity.CONTRAINDICATED
        assert "still counts for 14 days" in finding.text
        assert result.stopped_in_washout == ("phenelzine",)
    else:
        assert result.warnings == ()


@pytest.mark.parametrize(("days_ago", "warned"), [(28, True), (34, True), (35, False), (42, False)])
def test_fluoxetine_stopped_within_five_weeks_contraindicates_adding_an_maoi(
    table: MedicationTable, days_ago: int, warned: bool
) -> None:
    # fluoxetine: 5 weeks before an irreversible MAOI (fluoxetine_ontario_formulary).
    result = review([stopped("fluoxetine", days_ago)], table)
    added = interactions_added(["maoi"], result, table)
    if warned:
        (finding,) = added
        assert finding.severity is Severity.CONTRAINDICATED
        assert finding.drugs == ("maoi", "fluoxetine")
        assert "Allow at least 35 days" in finding.text
    else:
        assert added == ()


def test_adding_tranylcypromine_after_fluoxetine_names_the_drug_and_its_washout(
    table: MedicationTable,
) -> None:
    result = review([stopped("fluoxetine", 28)], table)
    (finding,) = interactions_added(["tranylcypromine"], result, table)
    assert finding.drugs == ("tranylcypromine", "fluoxetine")
    assert "fluoxetine was stopped but still counts for 35 days" in finding.text


@pytest.mark.parametrize(
    "maoi", ["linezolid", "Zyvox", "methylene blue", "methylthioninium chloride"]
)
def test_linezolid_and_methylene_blue_count_as_maois(table: MedicationTable, maoi: str) -> None:
    # FDA Drug Safety Communications on linezolid and methylene blue (2011).
    result = review([maoi, "sertraline", "clomipramine"], table)
    assert "maoi" in result.classes
    drug = result.active[0]
    severities = {frozenset(f.drugs): f.severity for f in result.warnings}
    assert severities[frozenset({drug, "sertraline"})] is Severity.CONTRAINDICATED
    assert severities[frozenset({drug, "clomipramine"})] is Severity.CONTRAINDICATED


def test_linezolid_stopped_yesterday_no_longer_counts_after_its_one_day_window(
    table: MedicationTable,
) -> None:
    # serotonergic drugs may resume 24 hours after the last linezolid dose (ashp_linezolid_2011).
    assert review([stopped("linezolid", 1), "sertraline"], table).warnings == ()
    assert review([stopped("linezolid", 0), "sertraline"], table).warnings != ()


@pytest.mark.parametrize("maoi", ["phenelzine", "tranylcypromine", "isocarboxazid", "Emsam"])
def test_bupropion_with_any_maoi_is_contraindicated(table: MedicationTable, maoi: str) -> None:
    # Wellbutrin label, March 2013 safety labeling change (wellbutrin_slc_2013).
    (finding,) = review([maoi, "bupropion"], table).warnings
    assert finding.severity is Severity.CONTRAINDICATED
    assert finding.rule == "maoi_with_bupropion"
    assert finding.fact.source == "wellbutrin_slc_2013"


def test_adding_bupropion_or_mirtazapine_to_a_current_maoi_is_contraindicated(
    table: MedicationTable,
) -> None:
    # remeron_slc_2012 and wellbutrin_slc_2013.
    result = review(["tranylcypromine"], table)
    added = by_pair(interactions_added(["bupropion", "mirtazapine"], result, table))
    assert added[("bupropion", "tranylcypromine")].severity is Severity.CONTRAINDICATED
    assert added[("mirtazapine", "tranylcypromine")].severity is Severity.CONTRAINDICATED
    assert added[("mirtazapine", "tranylcypromine")].fact.source == "remeron_slc_2012"


def test_mirtazapine_with_an_maoi_is_contraindicated(table: MedicationTable) -> None:
    (finding,) = review(["Remeron", "selegiline"], table).warnings
    assert finding.severity is Severity.CONTRAINDICATED
    assert finding.rule == "maoi_with_mirtazapine"


def test_lithium_with_ibuprofen_is_a_major_interaction(table: MedicationTable) -> None:
    # bpacnz 2007 (lithium_bpac2007): NSAIDs raise serum lithium.
    (finding,) = review(["lithium carbonate", "Ibuprofen"], table).warnings
    assert finding.severity is Severity.MAJOR
    assert finding.mechanism.value == "lithium_toxicity"
    added = interactions_added(["lithium"], review(["ibuprofen", "ramipril"], table), table)
    assert {f.drugs: f.severity for f in added} == {
        ("lithium", "ibuprofen"): Severity.MAJOR,
        ("lithium", "ramipril"): Severity.MAJOR,
    }


def test_an_unrecognised_name_is_reported_and_checked_against_nothing(
    table: MedicationTable,
) -> None:
    result = review(["sertraline", "  Zorbitrex  ", "zorbitrex"], table)
    assert result.unrecognised == ("Zorbitrex",)
    assert result.active == ("sertraline",)
    assert result.warnings == ()


@pytest.mark.parametrize("name", ["meperidine", "Pethidine", "DEMEROL", "pethidine hydrochloride"])
def test_pethidine_and_meperidine_are_one_drug_and_contraindicated_with_an_maoi(
    table: MedicationTable, name: str
) -> None:
    # maoi_opioids_monograph: pethidine with an MAOI.
    result = review([name, "phenelzine"], table)
    assert result.active == ("pethidine", "phenelzine")
    assert result.warnings[0].severity is Severity.CONTRAINDICATED


@pytest.mark.parametrize(
    ("typed", "drug"),
    [
        ("sertraline hydrochloride", "sertraline"),
        ("Bupropion HCl XL", "bupropion"),
        ("tranylcypromine sulfate", "tranylcypromine"),
        ("Lithium Carbonate", "lithium"),
        ("St John\u2019s Wort", "st_johns_wort"),
        ("st-johns_wort", "st_johns_wort"),
        ("Parnate", "tranylcypromine"),
        ("sodium valproate", "valproate"),
    ],
)
def test_names_match_case_salt_and_spacing_insensitively(
    table: MedicationTable, typed: str, drug: str
) -> None:
    assert review([typed], table).active == (drug,)


@pytest.mark.parametrize("typed", ["sertraline forte", "hydrochloride", "sert raline", "xl"])
def test_only_salt_and_release_words_are_dropped(table: MedicationTable, typed: str) -> None:
    assert review([typed], table).unrecognised == (typed,)


def test_two_maois_together_are_contraindicated(table: MedicationTable) -> None:
    (finding,) = review(["tranylcypromine", "selegiline patch"], table).warnings
    assert finding.rule == "maoi_with_maoi"
    assert finding.severity is Severity.CONTRAINDICATED


@pytest.mark.parametrize(
    ("other", "rule"),
    [
        ("pseudoephedrine", "maoi_with_sympathomimetic"),
        ("methylphenidate", "maoi_with_sympathomimetic"),
        ("dextromethorphan", "maoi_with_dextromethorphan"),
        ("sumatriptan", "maoi_with_triptan"),
        ("St John's wort", "maoi_with_st_johns_wort"),
        ("tapentadol", "maoi_with_tapentadol"),
        ("imipramine", "maoi_with_tca"),
        ("trazodone", "maoi_with_trazodone_nefazodone"),
        ("carbamazepine", "maoi_with_carbamazepine"),
    ],
)
def test_maoi_with_serotonergic_or_sympathomimetic_drugs_is_contraindicated(
    table: MedicationTable, other: str, rule: str
) -> None:
    (finding,) = review(["phenelzine", other], table).warnings
    assert (finding.rule, finding.severity) == (rule, Severity.CONTRAINDICATED)


def test_benzodiazepine_with_opioid_is_major_respiratory_depression(
    table: MedicationTable,
) -> None:
    # FDA Drug Safety Communication 31 Aug 2016 (fda_dsc_opioid_benzodiazepine_2016).
    (finding,) = review(["lorazepam", "oxycodone"], table).warnings
    assert finding.severity is Severity.MAJOR
    assert finding.fact.source == "fda_dsc_opioid_benzodiazepine_2016"


def test_esketamine_adds_moderate_warnings_with_depressants_stimulants_and_maois(
    table: MedicationTable,
) -> None:
    # Spravato label, drug interactions (spravato_mims_interactions).
    result = review(["lorazepam", "methylphenidate", "tranylcypromine"], table)
    added = {f.drugs[1]: f.severity for f in interactions_added(["esketamine"], result, table)}
    assert added == {
        "lorazepam": Severity.MODERATE,
        "methylphenidate": Severity.MODERATE,
        "tranylcypromine": Severity.MODERATE,
    }


def test_citalopram_with_methadone_reports_the_more_severe_qt_rule_once(
    table: MedicationTable,
) -> None:
    # citalopram_dsc_2011 (major) beats the moderate serotonergic-opioid rule for the same pair.
    (finding,) = review(["citalopram", "methadone"], table).warnings
    assert finding.rule == "citalopram_with_qt_prolonging"
    assert finding.severity is Severity.MAJOR


def test_a_drug_listed_twice_counts_once_and_never_pairs_with_itself(
    table: MedicationTable,
) -> None:
    result = review(["sertraline", stopped("sertraline", 3), "Zoloft"], table)
    assert result.active == ("sertraline",)
    assert result.warnings == ()
    assert result.stopped_in_washout == ()


def test_a_drug_without_a_washout_stops_counting_on_its_stop_date(table: MedicationTable) -> None:
    assert review([stopped("ibuprofen", 0), "lithium"], table).warnings == ()


def test_adding_a_drug_already_taken_is_not_a_new_interaction(table: MedicationTable) -> None:
    assert interactions_added(["lithium"], review(["lithium"], table), table) == ()


def test_a_finding_cites_its_source_for_the_output(table: MedicationTable) -> None:
    (finding,) = review(["lithium", "ibuprofen"], table).warnings
    cited = finding.as_dict()
    assert cited["source"] == "lithium_bpac2007"
    assert cited["status"] == "verified"
    assert "bpac" in str(cited["citation"])
    assert cited["severity"] == "major"
    assert cited["drugs"] == ["ibuprofen", "lithium"]


def test_adding_a_class_is_contraindicated_when_every_member_is(table: MedicationTable) -> None:
    # every MAOI with fluoxetine (prozac_slc_2013): certain for the whole class.
    (finding,) = interactions_added(["maoi"], review(["fluoxetine"], table), table)
    assert finding.severity is Severity.CONTRAINDICATED
    assert not finding.text.startswith("some drugs")


def test_adding_a_class_where_only_some_members_interact_is_capped_at_major(
    table: MedicationTable,
) -> None:
    # Only the MAOIs among antidepressants are contraindicated with pseudoephedrine.
    (finding,) = interactions_added(["antidepressant"], review(["pseudoephedrine"], table), table)
    assert finding.severity is Severity.MAJOR
    assert finding.rule == "maoi_with_sympathomimetic"
    assert finding.text.startswith("some drugs of class antidepressant")


def test_an_added_id_missing_from_the_table_is_a_knowledge_base_error(
    table: MedicationTable,
) -> None:
    with pytest.raises(KnowledgeBaseError, match="unknown medication or class 'maoi_inhibitor'"):
        interactions_added(["maoi_inhibitor"], review(["sertraline"], table), table)


def test_a_switch_turns_a_contraindication_with_the_replaced_drug_into_a_washout(
    table: MedicationTable,
) -> None:
    # Switching sertraline → MAOI: never together, so a 14-day wait (prozac_slc_2013 rule).
    result = review(["sertraline", "tramadol"], table)
    added = by_pair(interactions_added(["maoi"], result, table, replaces=["antidepressant"]))
    switch = added[("maoi", "sertraline")]
    assert switch.severity is Severity.MAJOR
    assert switch.text.startswith(
        "Switching: sertraline must be stopped and allow at least 14 days after stopping it"
    )
    # tramadol is not replaced: still contraindicated with an MAOI.
    assert added[("maoi", "tramadol")].severity is Severity.CONTRAINDICATED


def test_a_switch_from_fluoxetine_asks_for_its_five_week_washout(table: MedicationTable) -> None:
    result = review(["fluoxetine"], table)
    (finding,) = interactions_added(["phenelzine"], result, table, replaces=["ssri"])
    assert finding.severity is Severity.MAJOR
    assert "at least 35 days" in finding.text


def test_without_replaces_the_label_contraindication_stands(table: MedicationTable) -> None:
    (finding,) = interactions_added(["maoi"], review(["sertraline"], table), table)
    assert finding.severity is Severity.CONTRAINDICATED


def test_codes_hold_classes_and_drug_ids_for_rule_conditions(table: MedicationTable) -> None:
    result = review(["lithium carbonate", stopped("bupropion", 3)], table)
    assert {"lithium", "bupropion", "mood_stabiliser", "ndri", "antidepressant"} <= result.codes
    assert "maoi" not in result.codes


def test_an_entry_goes_back_to_its_json_form() -> None:
    entries = parse_medications(["sertraline", {"name": "fluoxetine", "stopped_on": "2026-11-01"}])
    assert entries is not None
    assert [e.to_json() for e in entries] == [
        "sertraline",
        {"name": "fluoxetine", "stopped_on": "2026-11-01"},
    ]


def test_paracetamol_is_recognised_and_interacts_with_nothing(table: MedicationTable) -> None:
    result = review(["acetaminophen", "sertraline", "lithium", "phenelzine"], table)
    assert result.unrecognised == ()
    assert all("paracetamol" not in f.drugs for f in result.warnings)


def test_an_ssri_with_aspirin_or_an_nsaid_is_a_moderate_bleeding_warning(
    table: MedicationTable,
) -> None:
    # nochaiwong2021 (unverified for antiplatelets and NSAIDs: see docs/medications.md).
    warnings = review(["sertraline", "aspirin", "naproxen"], table).warnings
    assert {f.drugs: f.severity for f in warnings} == {
        ("aspirin", "sertraline"): Severity.MODERATE,
        ("naproxen", "sertraline"): Severity.MODERATE,
    }
