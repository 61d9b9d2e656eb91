"""Safety properties over generated patients (ages, facts present / absent / unknown, dated
events, trimesters, medication lists recorded or not, treatment histories).

Permissiveness: suitable > caution > not_offered = already_failed > contraindicated. Adding
risk (a present fact, a medication) never makes any option more permissive; turning a known
negative into an unknown never makes an option better placed.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.core.recommend.conftest import AS_OF, advise
from tests.core.recommend.generated import (
    FACTS,
    KNOWLEDGE,
    MEDICATIONS,
    medication_entry,
    patients,
)
from trdnav.core.knowledge.therapies.schema import SAFETY_EFFECTS
from trdnav.core.medications import Severity, counts_on, load_medication_table, resolve
from trdnav.core.recommend import OptionStatus, Recommendation
from trdnav.core.recommend.context import verdict
from trdnav.core.recommend.truth import Truth

S = OptionStatus
PERMISSIVE = {
    S.SUITABLE: 3,
    S.CAUTION: 2,
    S.NOT_OFFERED: 1,
    S.ALREADY_FAILED: 1,
    S.CONTRAINDICATED: 0,
}
# Fewer examples inside a mutation run (every mutant reruns these tests).
EXAMPLES = 6 if os.environ.get("MUTANT_UNDER_TEST") else 200
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PAIRS = settings(SETTINGS, max_examples=EXAMPLES // 2)


def _present(raw: dict[str, Any]) -> set[str]:
    return {f if isinstance(f, str) else f["code"] for f in raw["facts"]}


def _gated_by(code: str, therapy: Any) -> bool:
    """True when ``code`` opens an indication gate of ``therapy`` (a ``facts_none`` rule,
    policy P-O16): the one way a present fact may lift an option's status."""
    return any(
        code in KNOWLEDGE.vocabulary.members(gate) or code == gate
        for rule in therapy.rules
        for gate in rule.when.facts_none
    )


def _no_more_permissive(
    before: Recommendation, after: Recommendation, changed_fact: str | None = None
) -> None:
    for option in before.options:
        if changed_fact is not None and _gated_by(changed_fact, option.therapy):
            continue
        changed = after.option(option.id)
        assert PERMISSIVE[changed.status] <= PERMISSIVE[option.status], (
            option.id,
            option.status,
            changed.status,
        )


@SETTINGS
@given(patients())
def test_no_option_is_suitable_while_one_of_its_safety_rules_holds_or_is_unknown(
    raw: dict[str, Any],
) -> None:
    result = advise(raw)
    for option in result.options:
        if option.status is not S.SUITABLE:
            continue
        for rule in option.therapy.rules:
            if rule.effect in SAFETY_EFFECTS:
                assert verdict(rule.when, result.context).truth is Truth.FALSE, rule.id


@SETTINGS
@given(patients())
def test_contraindicated_is_never_ranked_or_urgent_and_no_caution_is_ranked_above_a_suitable(
    raw: dict[str, Any],
) -> None:
    result = advise(raw)
    for option in result.options:
        if option.status is S.CONTRAINDICATED:
            assert (option.rank, option.urgent) == (None, False)
    ranked = result.ranked()
    suitable = [o.rank or 0 for o in ranked if o.status is S.SUITABLE]
    caution = [o.rank or 0 for o in ranked if o.status is S.CAUTION]
    if suitable and caution:
        assert max(suitable) < min(caution)


@PAIRS
@given(patients(), st.sampled_from(FACTS))
def test_making_a_fact_present_never_makes_an_option_more_permissive(
    raw: dict[str, Any], code: str
) -> None:
    assume(code not in _present(raw))
    riskier = {
        **raw,
        "facts": [*raw["facts"], code],
        "absent_facts": [f for f in raw["absent_facts"] if f != code],
    }
    _no_more_permissive(advise(raw), advise(riskier), changed_fact=code)


@PAIRS
@given(patients(), st.sampled_from(MEDICATIONS))
def test_adding_a_medication_never_makes_an_option_more_permissive(
    raw: dict[str, Any], drug: str
) -> None:
    listed = raw["medications"]
    assume(listed is not None)
    assume(all((m if isinstance(m, str) else m["name"]) != drug for m in listed))
    _no_more_permissive(advise(raw), advise({**raw, "medications": [*listed, drug]}))


@PAIRS
@given(patients(), st.sampled_from(MEDICATIONS))
def test_a_recorded_empty_list_made_non_empty_never_makes_an_option_more_permissive(
    raw: dict[str, Any], drug: str
) -> None:
    none = {**raw, "medications": []}
    _no_more_permissive(advise(none), advise({**raw, "medications": [drug]}))


def _place(result: Recommendation, therapy_id: str) -> tuple[int, int, float]:
    option = result.option(therapy_id)
    bucket = KNOWLEDGE.ranking.status_buckets.get(option.status.value, 99)
    return (bucket, 0 if option.urgent else 1, -(option.score or 0.0))


@PAIRS
@given(patients(), st.data())
def test_an_unknown_is_never_better_placed_than_a_known_negative(
    raw: dict[str, Any], data: st.DataObject
) -> None:
    assume(raw["absent_facts"])
    code = data.draw(st.sampled_from(raw["absent_facts"]))
    known, unknown = (
        advise(raw),
        advise({**raw, "absent_facts": [f for f in raw["absent_facts"] if f != code]}),
    )
    # For an indication gate (P-O16) absent is the closed gate, not the safe side.
    _no_more_permissive(known, unknown, changed_fact=code)
    for option in known.options:
        if option.status is not S.CONTRAINDICATED and not _gated_by(code, option.therapy):
            assert _place(unknown, option.id) >= _place(known, option.id), option.id


def _name(entry: Any) -> str:
    return entry if isinstance(entry, str) else entry["name"]


@PAIRS
@given(patients(), st.data())
def test_adding_a_current_or_stopped_medication_never_makes_an_option_more_permissive(
    raw: dict[str, Any], data: st.DataObject
) -> None:
    listed = raw["medications"]
    assume(listed is not None)
    name = data.draw(st.sampled_from(MEDICATIONS))
    assume(all(_name(m) != name for m in listed))
    entry = data.draw(medication_entry(name))
    _no_more_permissive(advise(raw), advise({**raw, "medications": [*listed, entry]}))


@SETTINGS
@given(patients())
def test_an_option_adding_an_interaction_is_never_suitable_and_a_contraindicated_one_forbids_it(
    raw: dict[str, Any],
) -> None:
    for option in advise(raw).options:
        severities = {f.severity for f in option.interactions}
        if Severity.CONTRAINDICATED in severities:
            assert option.status is S.CONTRAINDICATED, option.id
        if severities:
            assert option.status is not S.SUITABLE, option.id
        assert len(option.to_dict()["interactions"]) == len(option.interactions)


@SETTINGS
@given(patients())
def test_no_option_that_checks_medications_is_suitable_with_an_unknown_or_unread_list(
    raw: dict[str, Any],
) -> None:
    result = advise(raw)
    review = result.context.review
    if review is not None and not review.unrecognised:
        return
    for option in result.options:
        if option.therapy.checks_medications:
            assert option.status is not S.SUITABLE, option.id
            assert option.unknowns, option.id


@SETTINGS
@given(patients())
def test_every_dangerous_pair_in_the_list_is_one_top_level_warning_most_severe_first(
    raw: dict[str, Any],
) -> None:
    result = advise(raw)
    review = result.context.review
    warnings = [w for w in result.to_dict()["warnings"] if w["kind"] == "interaction"]
    expected = [] if review is None else [f.as_dict() for f in review.warnings]
    assert [(w["drugs"], w["severity"]) for w in warnings] == [
        (f["drugs"], f["severity"]) for f in expected
    ]
    ranks = [Severity(w["severity"]).rank for w in warnings]
    assert ranks == sorted(ranks, reverse=True)


@SETTINGS
@given(patients())
def test_a_drug_stopped_inside_its_washout_weighs_like_a_current_one(raw: dict[str, Any]) -> None:
    listed = raw["medications"]
    assume(listed)
    table = load_medication_table()

    def current_if_counting(entry: Any) -> Any:
        if isinstance(entry, str):
            return entry
        drug = resolve(entry["name"], table.names)
        stopped_on = date.fromisoformat(entry["stopped_on"])
        counting = drug is not None and counts_on(table.drugs[drug], stopped_on, AS_OF)
        return entry["name"] if counting else entry

    as_current = {**raw, "medications": [current_if_counting(m) for m in listed]}
    before, after = advise(raw), advise(as_current)
    for option in before.options:
        assert after.option(option.id).status is option.status, option.id
