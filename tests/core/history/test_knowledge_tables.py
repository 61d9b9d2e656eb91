"""The dose table and profiles hold exactly the research table B1.2 and policy P-B11."""

from __future__ import annotations

import pytest

from trdnav.core.history.knowledge import Basis, default_profile_name, load_drugs, load_profiles
from trdnav.core.knowledge.loader import Status

# B1.2, columns U and C (mg/day).
TABLE_B12 = {
    "fluoxetine": ("ssri", 20, 20),
    "sertraline": ("ssri", 50, 50),
    "paroxetine": ("ssri", 20, 20),
    "paroxetine_cr": ("ssri", 25, 25),
    "citalopram": ("ssri", 20, 20),
    "escitalopram": ("ssri", 10, 10),
    "fluvoxamine": ("ssri", 50, 100),
    "venlafaxine": ("snri", 75, 150),
    "desvenlafaxine": ("snri", 50, 50),
    "duloxetine": ("snri", 60, 60),
    "levomilnacipran": ("snri", 40, 40),
    "bupropion": ("ndri", 300, 300),
    "mirtazapine": ("nassa", 15, 30),
    "vortioxetine": ("multimodal", 10, 10),
    "vilazodone": ("spari", 20, 40),
    "trazodone": ("sari", 150, 300),
    "amitriptyline": ("tca", 150, 150),
    "nortriptyline": ("tca", 75, 75),
    "imipramine": ("tca", 150, 150),
    "clomipramine": ("tca", 150, 150),
    "desipramine": ("tca", 150, 150),
    "phenelzine": ("maoi", 60, 60),
    "tranylcypromine": ("maoi", 30, 30),
    "selegiline_transdermal": ("maoi", 6, 6),
}
# Column U cells the research marks [from memory].
U_FROM_MEMORY = {
    "trazodone",
    "amitriptyline",
    "nortriptyline",
    "imipramine",
    "clomipramine",
    "desipramine",
    "tranylcypromine",
    "selegiline_transdermal",
}


@pytest.mark.parametrize("drug", sorted(TABLE_B12))
def test_each_drug_has_both_columns_of_table_b12(drug: str) -> None:
    info = load_drugs()[drug]
    drug_class, usual, conservative = TABLE_B12[drug]
    assert info.drug_class == drug_class
    assert info.minimum["usual_minimum"].mg_per_day == usual
    assert info.minimum["conservative_atrq"].mg_per_day == conservative


def test_the_table_holds_no_drug_the_research_does_not_name() -> None:
    assert {info.code for info in load_drugs().values()} == set(TABLE_B12)


def test_from_memory_figures_are_stored_as_unverified() -> None:
    for drug in U_FROM_MEMORY:
        cell = load_drugs()[drug].minimum["usual_minimum"]
        assert cell.basis is Basis.FROM_MEMORY and cell.basis.status is Status.UNVERIFIED
    verified_c = [
        d for d, i in load_drugs().items() if i.minimum["conservative_atrq"].basis is Basis.VERIFIED
    ]
    assert verified_c == []  # column C: mostly from memory, none verified


def test_the_default_profile_is_the_usual_minimum_as_p_b11_says() -> None:
    profile = load_profiles()[default_profile_name()]
    assert profile.name == "usual_minimum"
    assert (profile.min_weeks_monotherapy, profile.min_weeks_augmentation) == (6, 4)
    assert profile.adherence_min_pct == 80
    assert profile.non_response == "below_threshold"


def test_aliases_resolve_to_the_same_drug() -> None:
    assert load_drugs()["venlafaxine_xr"] is load_drugs()["venlafaxine"]
    assert not load_drugs()["selegiline_transdermal"].oral
