"""The medication files are checked at load; each schema error names the file and key."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge.loader import Status, load_document
from trdnav.core.medications import MedicationTable, load_medication_table
from trdnav.core.medications.load import DRUGS_FILE, RULES_FILE, build_table, load_sources

REQUIRED_DRUGS = """sertraline fluoxetine paroxetine citalopram escitalopram fluvoxamine venlafaxine
desvenlafaxine duloxetine vortioxetine vilazodone bupropion mirtazapine trazodone nefazodone
agomelatine amitriptyline nortriptyline imipramine clomipramine tranylcypromine phenelzine
isocarboxazid selegiline selegiline_transdermal moclobemide linezolid methylene_blue
aripiprazole brexpiprazole cariprazine quetiapine olanzapine risperidone lurasidone haloperidol
clozapine lithium lamotrigine valproate carbamazepine lorazepam diazepam clonazepam alprazolam
zolpidem zopiclone methylphenidate amphetamine dexamfetamine lisdexamfetamine modafinil tramadol
pethidine tapentadol methadone fentanyl dextromethorphan sumatriptan st_johns_wort
pseudoephedrine phenylephrine cocaine mdma morphine oxycodone ketamine esketamine liothyronine
omega_3 ibuprofen naproxen lisinopril ramipril hydrochlorothiazide bendroflumethiazide warfarin
apixaban"""


def documents() -> tuple[dict[str, Any], dict[str, Any]]:
    return copy.deepcopy(load_document(DRUGS_FILE)), copy.deepcopy(load_document(RULES_FILE))


def error_of(drugs: dict[str, Any], rules: dict[str, Any]) -> str:
    with pytest.raises(KnowledgeBaseError) as caught:
        build_table(drugs, rules, load_sources())
    return str(caught.value)


def test_the_table_loads_once_and_is_cached() -> None:
    assert load_medication_table() is load_medication_table()


def test_every_required_drug_is_in_the_table(table: MedicationTable) -> None:
    required = REQUIRED_DRUGS.split()
    assert [d for d in required if d not in table.drugs] == []


def test_linezolid_and_methylene_blue_are_maois_in_the_table(table: MedicationTable) -> None:
    assert {d.id for d in table.members("maoi")} >= {"linezolid", "methylene_blue", "moclobemide"}


def test_every_rule_and_drug_cites_a_registered_source(table: MedicationTable) -> None:
    sources = load_sources()
    facts = [r.fact for r in table.rules] + [d.fact for d in table.drugs.values()]
    facts += [d.washout.fact for d in table.drugs.values() if d.washout]
    for fact in facts:
        assert sources[fact.source] == fact.citation
        if fact.status is Status.VERIFIED:
            assert not fact.marker.startswith("from memory"), fact


def test_an_unknown_class_in_a_rule_names_the_rule() -> None:
    drugs, rules = documents()
    rules["rules"][0]["b"] = ["maoi", "antidepresant"]
    message = error_of(drugs, rules)
    assert f"{RULES_FILE} rules[0] (maoi_with_maoi).b" in message
    assert "unknown drug or class 'antidepresant'" in message


def test_an_unknown_class_on_a_drug_names_the_drug() -> None:
    drugs, rules = documents()
    drugs["drugs"]["sertraline"]["classes"] = ["ssri", "serotonin"]
    assert f"{DRUGS_FILE} drugs.sertraline.classes: unknown class 'serotonin'" in error_of(
        drugs, rules
    )


def test_a_duplicate_alias_names_both_drugs() -> None:
    drugs, rules = documents()
    drugs["drugs"]["warfarin"]["aliases"] = ["coumadin", "Zoloft"]
    message = error_of(drugs, rules)
    assert f"{DRUGS_FILE} drugs.warfarin.aliases[1]" in message
    assert "already belongs to 'sertraline'" in message


def test_a_missing_source_names_the_drug() -> None:
    drugs, rules = documents()
    del drugs["drugs"]["lithium"]["source"]
    assert f"{DRUGS_FILE} drugs.lithium: source must be non-empty text" in error_of(drugs, rules)


def test_an_unregistered_source_names_the_rule() -> None:
    drugs, rules = documents()
    rules["rules"][1]["source"] = "parnate_2099"
    assert "rules[1] (maoi_with_ssri_snri).source: unknown source key 'parnate_2099'" in error_of(
        drugs, rules
    )


def test_a_from_memory_marker_cannot_be_verified() -> None:
    drugs, rules = documents()
    rules["rules"][0]["marker"] = "from memory"
    assert "cannot be verified" in error_of(drugs, rules)


def test_a_bad_severity_lists_the_allowed_values() -> None:
    drugs, rules = documents()
    rules["rules"][0]["severity"] = "severe"
    assert "allowed: contraindicated, major, moderate" in error_of(drugs, rules)


def test_a_duplicate_rule_id_is_refused() -> None:
    drugs, rules = documents()
    rules["rules"][1]["id"] = rules["rules"][0]["id"]
    assert "duplicate rule id 'maoi_with_maoi'" in error_of(drugs, rules)


def test_a_drug_id_may_not_also_be_a_class_id() -> None:
    drugs, rules = documents()
    drugs["classes"]["lithium"] = "Lithium salts"
    assert "'lithium' is also a class id" in error_of(drugs, rules)


def test_a_washout_must_be_a_positive_whole_number_of_days() -> None:
    drugs, rules = documents()
    drugs["drugs"]["fluoxetine"]["washout"]["days"] = 0
    assert f"{DRUGS_FILE} drugs.fluoxetine.washout.days: must be at least 1" in error_of(
        drugs, rules
    )
