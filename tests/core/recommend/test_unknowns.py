"""Three-valued conditions: unknown is never absent; unknown safety caps an option at caution."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.core.recommend.conftest import AS_OF, advise
from tests.core.recommend.personas import assessed
from trdnav.core.knowledge.therapies import Condition
from trdnav.core.recommend import OptionStatus
from trdnav.core.recommend.context import Context, holds, verdict
from trdnav.core.recommend.truth import Truth

GROUPS = {"bipolar_spectrum": ("bipolar_disorder", "bipolar_i", "bipolar_ii")}


def ctx(**given: Any) -> Context:
    base: dict[str, Any] = {
        "facts": frozenset(),
        "preferences": frozenset(),
        "medication_classes": frozenset(),
        "age": None,
        "failed_trials": None,
        "derived": (),
        "unrecognised_medications": (),
        "as_of": date(2026, 11, 30),
        "groups": GROUPS,
    }
    return Context(**{**base, **given})


BIPOLAR = Condition(facts_any=("bipolar_spectrum",))


@pytest.mark.parametrize(
    "facts, absent, expected",
    [
        ({"bipolar_ii"}, set(), Truth.TRUE),
        (set(), {"bipolar_disorder", "bipolar_i", "bipolar_ii"}, Truth.FALSE),
        (set(), {"bipolar_disorder", "bipolar_i"}, Truth.UNKNOWN),
        (set(), set(), Truth.UNKNOWN),
    ],
)
def test_a_group_is_present_if_any_member_is_absent_if_all_are_else_unknown(
    facts: set[str], absent: set[str], expected: Truth
) -> None:
    assert holds(BIPOLAR, ctx(facts=frozenset(facts), absent=frozenset(absent))) is expected


def test_an_unknown_fact_is_named_by_the_code_the_rule_uses() -> None:
    assert verdict(BIPOLAR, ctx()).unknown == ("bipolar_spectrum",)


def test_one_false_key_makes_the_whole_condition_false_even_beside_an_unknown() -> None:
    when = Condition(facts_any=("pregnancy",), age_below=18)
    assert holds(when, ctx(age=40)) is Truth.FALSE
    assert holds(when, ctx(age=12)) is Truth.UNKNOWN
    assert holds(when, ctx(age=12, facts=frozenset({"pregnancy"}))) is Truth.TRUE


MI_6_WEEKS = Condition(facts_any=("myocardial_infarction",), facts_within_days=42)


@pytest.mark.parametrize(
    "on, expected",
    [
        (date(2026, 10, 19), Truth.TRUE),  # 42 days before: inside the window
        (date(2026, 10, 18), Truth.FALSE),  # 43 days before: outside
        (None, Truth.TRUE),  # undated: counts as recent (P-O14)
    ],
)
def test_a_dated_event_counts_only_inside_its_window_and_an_undated_one_counts_as_recent(
    on: date | None, expected: Truth
) -> None:
    known = ctx(facts=frozenset({"myocardial_infarction"}), dates={"myocardial_infarction": (on,)})
    assert holds(MI_6_WEEKS, known) is expected


def test_a_dated_fact_present_without_any_entry_counts_as_recent() -> None:
    assert holds(MI_6_WEEKS, ctx(facts=frozenset({"myocardial_infarction"}))) is Truth.TRUE


def test_without_a_decision_date_a_dated_event_counts_as_recent() -> None:
    dates = {"myocardial_infarction": (date(2020, 1, 1),)}
    known = ctx(facts=frozenset({"myocardial_infarction"}), dates=dates, as_of=None)
    assert holds(MI_6_WEEKS, known) is Truth.TRUE


def test_an_old_event_does_not_hide_a_recent_one_of_the_same_kind() -> None:
    dates = {"myocardial_infarction": (date(2020, 1, 1), date(2026, 11, 1))}
    known = ctx(facts=frozenset({"myocardial_infarction"}), dates=dates)
    assert holds(MI_6_WEEKS, known) is Truth.TRUE


FIRST_TRIMESTER = Condition(facts_any=("pregnancy",), trimester_in=(1,))


@pytest.mark.parametrize(
    "facts, absent, trimester, expected",
    [
        ({"pregnancy"}, set(), 1, Truth.TRUE),
        ({"pregnancy"}, set(), 2, Truth.FALSE),
        ({"pregnancy"}, set(), None, Truth.UNKNOWN),
        (set(), {"pregnancy"}, None, Truth.FALSE),
        (set(), set(), None, Truth.UNKNOWN),
    ],
)
def test_a_trimester_rule_needs_pregnancy_and_a_known_trimester(
    facts: set[str], absent: set[str], trimester: int | None, expected: Truth
) -> None:
    known = ctx(facts=frozenset(facts), absent=frozenset(absent), trimester=trimester)
    assert holds(FIRST_TRIMESTER, known) is expected


def test_kleene_and_and_or_collect_every_unknown_once() -> None:
    from trdnav.core.recommend.truth import NO, YES, all_of, any_of, maybe

    assert all_of([maybe("a"), YES, maybe("b", "a")]) == maybe("a", "b")
    assert all_of([maybe("a"), NO]) == NO
    assert all_of([YES, YES]) == YES
    assert any_of([maybe("a"), NO, maybe("b")]) == maybe("a", "b")
    assert any_of([maybe("a"), YES]) == YES
    assert any_of([NO, NO]) == NO


def test_a_failed_trials_threshold_is_decided_when_the_count_is_known() -> None:
    assert holds(Condition(failed_trials_at_least=2), ctx(failed_trials=1)) is Truth.FALSE
    assert holds(Condition(failed_trials_at_least=2), ctx(failed_trials=2)) is Truth.TRUE
    assert holds(Condition(failed_trials_below=2), ctx(failed_trials=2)) is Truth.FALSE
    assert holds(Condition(age_at_least=65), ctx(age=64)) is Truth.FALSE
    assert holds(Condition(age_below=18), ctx(age=18)) is Truth.FALSE


def test_an_unknown_trimester_is_named_as_what_to_check() -> None:
    pregnant = ctx(facts=frozenset({"pregnancy"}))
    assert verdict(FIRST_TRIMESTER, pregnant).unknown == ("pregnancy_trimester",)


def test_unknown_age_history_and_medications_make_their_conditions_unknown() -> None:
    assert verdict(Condition(age_at_least=65), ctx()).unknown == ("age",)
    assert verdict(Condition(failed_trials_below=2), ctx()).unknown == ("treatment_history",)
    maoi = Condition(medication_classes_any=("maoi",))
    assert verdict(maoi, ctx(medications_recorded=False)).unknown == ("medications",)
    assert holds(maoi, ctx(medications_recorded=True)) is Truth.FALSE
    unrecognised = ctx(medications_recorded=True, unrecognised_medications=("x",))
    assert holds(maoi, unrecognised) is Truth.UNKNOWN
    assert holds(Condition(preferences_any=("limited_time",)), ctx()) is Truth.FALSE


def test_with_no_history_esketamine_and_vns_are_not_suitable_and_the_history_is_to_check() -> None:
    result = advise(assessed({"age": 40}))
    for therapy_id in ("esketamine", "vns"):
        option = result.option(therapy_id)
        assert option.status is OptionStatus.CAUTION, therapy_id
        assert any(u.fact == "treatment_history" for u in option.unknowns)
        assert any(r.kind.value == "unknown" for r in option.reasons)
    checks = {c.fact: c for c in result.to_check}
    assert {"esketamine", "vns"} <= set(checks["treatment_history"].options)


def test_an_unassessed_fact_caps_an_option_at_caution_and_is_listed_to_check() -> None:
    known = advise(assessed({"age": 40}))
    assert known.option("cbt").status is OptionStatus.SUITABLE
    unknown = advise({"age": 40, "medications": []})
    cbt = unknown.option("cbt")
    assert cbt.status is OptionStatus.CAUTION
    assert {u.fact for u in cbt.unknowns} >= {"high_suicide_risk", "cognitive_impairment"}
    text = next(r.text for r in cbt.reasons if r.rule == "psychotherapy.crisis_first")
    assert text.startswith("Not yet checked: high_suicide_risk")


def test_an_unknown_never_fires_urgency_or_a_favour_rule() -> None:
    result = advise({"age": 40})
    ect = result.option("ect")
    assert not ect.urgent
    assert not any(r.kind.value in ("urgent", "favour") for r in ect.reasons)


def test_an_unknown_never_turns_a_contraindication_into_caution() -> None:
    result = advise({"facts": ["cochlear_implant"]})
    assert result.option("rtms").status is OptionStatus.CONTRAINDICATED


def test_a_complete_medication_list_without_an_maoi_makes_maoi_current_absent() -> None:
    assert "maoi_current" in advise({"medications": ["sertraline"]}).context.absent
    assert "maoi_current" not in advise({"medications": ["unobtainium"]}).context.absent
    assert "maoi_current" not in advise({}).context.absent


def test_the_output_reports_age_group_dates_absent_facts_unknowns_and_warning_objects() -> None:
    raw = {
        "date_of_birth": "2009-01-15",
        "facts": [{"code": "stroke", "on": "2024-09-01"}],
        "absent_facts": ["pregnancy"],
        "medications": ["unobtainium", {"name": "sertraline", "stopped_on": "2024-09-20"}],
    }
    out = advise(raw).to_dict()
    patient = out["patient"]
    assert (patient["age"], patient["age_group"], patient["date_of_birth"]) == (
        15,
        "adolescent",
        "2009-01-15",
    )
    assert patient["facts"] == [{"code": "stroke", "on": "2024-09-01"}]
    assert patient["absent_facts"] == ["pregnancy"]
    assert patient["medications"][1] == {"name": "sertraline", "stopped_on": "2024-09-20"}
    kinds = {w["kind"] for w in out["warnings"]}
    assert kinds == {"history", "unrecognised_medication", "age"}
    age = next(w for w in out["warnings"] if w["kind"] == "age")
    assert age["source"] == "spravato_label" and age["severity"] == "warning"
    keys = {"kind", "text", "severity", "drugs", "rule", "source", "citation", "status"}
    assert all(set(w) == keys for w in out["warnings"])
    assert all({"fact", "options", "rules"} == set(c) for c in out["to_check"])
    assert all("unknowns" in o and isinstance(o["interactions"], list) for o in out["options"])
    # Sertraline stopped 11 days ago is inside its 14-day washout: an MAOI switch must wait.
    switch = next(o for o in out["options"] if o["id"] == "switch_maoi")
    assert [(i["drugs"], i["severity"]) for i in switch["interactions"]] == [
        (["maoi", "sertraline"], "major")
    ]


@pytest.mark.parametrize(
    "born, group",
    [("2014-10-02", "child"), ("2011-10-01", "adolescent"), ("1959-10-01", "older_adult")],
)
def test_the_age_group_follows_the_knowledge_base_bands(born: str, group: str) -> None:
    assert date(2024, 10, 1) == AS_OF
    assert advise({"date_of_birth": born}).context.age_group == group
