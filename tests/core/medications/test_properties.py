"""Properties of the medication review over generated lists (drugs, stop dates, typed names)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.medications.conftest import AS_OF
from trdnav.core.medications import (
    InteractionFinding,
    MedicationEntry,
    interactions_added,
    load_medication_table,
    review_medications,
)
from trdnav.core.medications.review import best_rule, terms_of

TABLE = load_medication_table()
DRUGS = sorted(TABLE.drugs)
WITH_WASHOUT = sorted(d.id for d in TABLE.drugs.values() if d.washout)
NAMES = [*sorted(TABLE.names), "zorbitrex", "paracetamol", "vitamin d"]
CLASSES = sorted(TABLE.classes)
SETTINGS = settings(max_examples=100, deadline=None)


def keys(findings: tuple[InteractionFinding, ...]) -> set[tuple[str, str, str, str]]:
    return {(f.rule, f.severity.value, *f.drugs) for f in findings}


@st.composite
def entries(draw: st.DrawFn) -> list[MedicationEntry]:
    names = draw(st.lists(st.sampled_from(NAMES), max_size=6))
    result = []
    for name in names:
        days = draw(st.none() | st.integers(min_value=0, max_value=60))
        result.append(MedicationEntry(name, None if days is None else AS_OF - timedelta(days)))
    return result


@SETTINGS
@given(entries(), st.sampled_from(NAMES), st.none() | st.integers(min_value=0, max_value=60))
def test_adding_a_drug_to_the_list_never_removes_a_warning(
    listed: list[MedicationEntry], name: str, days: int | None
) -> None:
    extra = MedicationEntry(name, None if days is None else AS_OF - timedelta(days))
    before = review_medications(listed, TABLE, as_of=AS_OF)
    after = review_medications([*listed, extra], TABLE, as_of=AS_OF)
    assert keys(before.warnings) <= keys(after.warnings)
    assert set(before.active) <= set(after.active)
    assert set(before.unrecognised) <= set(after.unrecognised) | {extra.name}


@SETTINGS
@given(entries())
def test_warnings_do_not_depend_on_the_order_of_the_list(listed: list[MedicationEntry]) -> None:
    forward = review_medications(listed, TABLE, as_of=AS_OF)
    backward = review_medications(listed[::-1], TABLE, as_of=AS_OF)
    assert [(f.rule, f.drugs) for f in forward.warnings] == [
        (f.rule, f.drugs) for f in backward.warnings
    ]
    assert forward.classes == backward.classes


@SETTINGS
@given(st.sampled_from(DRUGS), st.sampled_from(DRUGS))
def test_a_pair_gets_the_same_rule_whichever_drug_comes_first(x: str, y: str) -> None:
    one = review_medications([MedicationEntry(x), MedicationEntry(y)], TABLE, as_of=AS_OF)
    two = review_medications([MedicationEntry(y), MedicationEntry(x)], TABLE, as_of=AS_OF)
    assert keys(one.warnings) == keys(two.warnings)
    for finding in one.warnings:
        assert finding.drugs == tuple(sorted(finding.drugs))


@SETTINGS
@given(st.sampled_from(WITH_WASHOUT), st.data(), entries())
def test_a_drug_inside_its_washout_behaves_as_current(
    drug: str, data: st.DataObject, others: list[MedicationEntry]
) -> None:
    washout = TABLE.drugs[drug].washout
    assert washout is not None
    days = data.draw(st.integers(min_value=0, max_value=washout.days - 1))
    current = review_medications([*others, MedicationEntry(drug)], TABLE, as_of=AS_OF)
    stopped = review_medications(
        [*others, MedicationEntry(drug, AS_OF - timedelta(days))], TABLE, as_of=AS_OF
    )
    assert keys(current.warnings) == keys(stopped.warnings)
    assert current.classes == stopped.classes


@SETTINGS
@given(st.sampled_from(WITH_WASHOUT), entries())
def test_a_drug_past_its_washout_adds_nothing(drug: str, others: list[MedicationEntry]) -> None:
    washout = TABLE.drugs[drug].washout
    assert washout is not None
    without = review_medications(others, TABLE, as_of=AS_OF)
    expired = MedicationEntry(drug, AS_OF - timedelta(washout.days))
    assert keys(review_medications([*others, expired], TABLE, as_of=AS_OF).warnings) == keys(
        without.warnings
    )


@SETTINGS
@given(entries())
def test_each_pair_is_warned_once_with_the_most_severe_matching_rule(
    listed: list[MedicationEntry],
) -> None:
    result = review_medications(listed, TABLE, as_of=AS_OF)
    pairs = [f.drugs for f in result.warnings]
    assert len(pairs) == len(set(pairs))
    for finding in result.warnings:
        x, y = (terms_of(d, TABLE) for d in finding.drugs)
        matching = [r for r in TABLE.rules if (x & r.a and y & r.b) or (x & r.b and y & r.a)]
        worst = max(r.severity.rank for r in matching)
        assert finding.severity.rank == worst
    ranks = [f.severity.rank for f in result.warnings]
    assert ranks == sorted(ranks, reverse=True)


@SETTINGS
@given(entries(), st.sampled_from(DRUGS))
def test_adding_a_drug_as_a_therapy_finds_what_listing_it_would_find(
    listed: list[MedicationEntry], drug: str
) -> None:
    base = review_medications(listed, TABLE, as_of=AS_OF)
    added = {f.drugs[1]: f.rule for f in interactions_added([drug], base, TABLE)}
    listed_too = review_medications([*listed, MedicationEntry(drug)], TABLE, as_of=AS_OF)
    with_drug = {
        (f.drugs[0] if f.drugs[1] == drug else f.drugs[1]): f.rule
        for f in listed_too.warnings
        if drug in f.drugs
    }
    assert added == with_drug


@SETTINGS
@given(entries(), st.sampled_from(CLASSES))
def test_adding_a_class_is_contraindicated_only_when_every_member_is(
    listed: list[MedicationEntry], class_id: str
) -> None:
    base = review_medications(listed, TABLE, as_of=AS_OF)
    by_class = {f.drugs[1]: f.severity.rank for f in interactions_added([class_id], base, TABLE)}
    for drug in base.active:
        members = [m.id for m in TABLE.members(class_id) if m.id != drug]
        ranks = []
        for member in members:
            rule = best_rule(terms_of(member, TABLE), terms_of(drug, TABLE), TABLE.rules)
            ranks.append(rule.severity.rank if rule else 0)
        if not ranks or max(ranks) == 0:
            assert drug not in by_class
            continue
        assert by_class[drug] >= min(max(ranks), 2)
        assert (by_class[drug] == 3) is (min(ranks) == 3)


def test_best_rule_returns_none_for_a_pair_no_rule_names() -> None:
    pair = terms_of("omega_3", TABLE), terms_of("liothyronine", TABLE)
    assert best_rule(*pair, TABLE.rules) is None


@SETTINGS
@given(entries(), st.sampled_from(DRUGS + CLASSES), st.lists(st.sampled_from(CLASSES), max_size=3))
def test_replacing_drugs_never_hides_a_pair_and_never_raises_severity(
    listed: list[MedicationEntry], add: str, replaces: list[str]
) -> None:
    base = review_medications(listed, TABLE, as_of=AS_OF)
    if not (add in TABLE.drugs or TABLE.members(add)):
        return
    plain = {f.drugs: f.severity.rank for f in interactions_added([add], base, TABLE)}
    switched = {
        f.drugs: f.severity.rank for f in interactions_added([add], base, TABLE, replaces=replaces)
    }
    assert plain.keys() == switched.keys()
    assert all(switched[k] <= plain[k] for k in plain)
