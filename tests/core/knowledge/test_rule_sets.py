"""Shared rule sets, fact groups, dated facts, new rule effects and condition keys."""

from __future__ import annotations

import tomllib
from collections import Counter
from typing import Any

import pytest

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge import TherapyKnowledge
from trdnav.core.knowledge.loader import data_dir
from trdnav.core.knowledge.therapies import Condition, RuleEffect
from trdnav.core.knowledge.therapies.parse_therapy import _rules, condition
from trdnav.core.knowledge.therapies.policy import vocabulary
from trdnav.core.knowledge.therapies.references import condition_problems
from trdnav.core.knowledge.therapies.rule_sets import rule_set

SOURCES = {"s": "Some 2020"}
RULE = {
    "effect": "caution",
    "when": {"facts_any": ["pregnancy"]},
    "reason": "Shared reason.",
    "source": "s",
    "status": "unverified",
    "marker": "from memory",
}
PROVENANCE = {
    "source": "x",
    "citation": "x",
    "version": "1",
    "reviewed_on": __import__("datetime").date(2026, 11, 30),
    "status": "unverified",
}


def _set(name: str, *ids: str) -> Any:
    return rule_set(
        {"provenance": PROVENANCE, "rules": [{**RULE, "id": i} for i in ids]}, name, SOURCES
    )


def test_the_new_rule_effects_not_approved_and_avoid_exist() -> None:
    assert RuleEffect("not_approved") is RuleEffect.NOT_APPROVED
    assert RuleEffect("avoid") is RuleEffect.AVOID


def test_a_condition_reads_a_window_in_days_and_trimesters() -> None:
    when = condition({"facts_any": ["myocardial_infarction"], "facts_within_days": 42}, "w")
    assert when == Condition(facts_any=("myocardial_infarction",), facts_within_days=42)
    when = condition({"facts_any": ["pregnancy"], "trimester_in": [3, 1]}, "w")
    assert when.trimester_in == (1, 3)


@pytest.mark.parametrize(
    "body, message",
    [
        ({"facts_any": ["pregnancy"], "trimester_in": [4]}, "1, 2 or 3"),
        ({"facts_any": ["stroke"], "trimester_in": [1]}, "pregnancy"),
        ({"facts_within_days": 42}, "with facts_any"),
        ({"facts_any": ["stroke"], "facts_within_days": 0}, "positive"),
        ({"facts_any": ["stroke"], "within": 3}, "needs always"),
    ],
)
def test_a_malformed_condition_is_a_load_error_naming_the_key(
    body: dict[str, Any], message: str
) -> None:
    with pytest.raises(KnowledgeBaseError, match=message):
        condition(body, "therapies/x.toml.rules[0].when")


def test_a_rule_set_rule_id_must_start_with_the_set_name() -> None:
    assert [r.id for r in _set("family", "family.a")] == ["family.a"]
    with pytest.raises(KnowledgeBaseError, match=r"start with family\."):
        _set("family", "other.a")


def test_a_therapy_inherits_the_rules_of_the_sets_it_lists() -> None:
    shared = {"family": _set("family", "family.a")}
    rules = _rules({}, {"id": "t", "rule_sets": ("family",)}, "t.toml", SOURCES, shared)
    assert [r.id for r in rules] == ["family.a"]


def test_an_unknown_rule_set_is_a_clear_load_error() -> None:
    with pytest.raises(KnowledgeBaseError, match=r"rule_sets: unknown rule sets \['nope'\]"):
        _rules({}, {"id": "t", "rule_sets": ("nope",)}, "t.toml", SOURCES, {})


def test_a_duplicate_rule_id_is_a_clear_load_error() -> None:
    shared = {"a": _set("a", "a.x", "a.x")}
    with pytest.raises(KnowledgeBaseError, match=r"duplicate rule ids \['a.x'\]"):
        _rules({}, {"id": "t", "rule_sets": ("a",)}, "t.toml", SOURCES, shared)


def test_an_unknown_fact_or_group_code_in_a_rule_is_reported(knowledge: TherapyKnowledge) -> None:
    assert condition_problems(Condition(facts_any=("bipolar_spectrum",)), knowledge) == []
    assert condition_problems(Condition(facts_any=("bipolar_3",)), knowledge) == [
        "unknown fact or group code 'bipolar_3'"
    ]


def test_a_window_in_days_needs_dated_facts(knowledge: TherapyKnowledge) -> None:
    when = Condition(facts_any=("pregnancy",), facts_within_days=10)
    assert condition_problems(when, knowledge) == [
        "facts_within_days needs dated facts; 'pregnancy' is not dated"
    ]


def test_the_bipolar_spectrum_group_keeps_bipolar_disorder_as_a_member(
    knowledge: TherapyKnowledge,
) -> None:
    vocab = knowledge.vocabulary
    assert vocab.members("bipolar_spectrum") == (
        "bipolar_disorder",
        "bipolar_i",
        "bipolar_ii",
        "past_mania_or_hypomania",
    )
    assert vocab.members("pregnancy") == ("pregnancy",)
    assert {c for c, f in vocab.facts.items() if f.dated} >= {
        "myocardial_infarction",
        "stroke",
        "intracerebral_haemorrhage",
    }
    assert vocab.aliases["metal_in_head"] == "ferromagnetic_implant_head"


def test_a_group_naming_an_unknown_member_is_a_load_error() -> None:
    vocab = {
        "facts": {"a": {"meaning": "A"}},
        "preferences": {},
        "groups": {"g": {"meaning": "G", "members": ["a", "b"]}},
    }
    with pytest.raises(KnowledgeBaseError, match="unknown: \\['b'\\]"):
        vocabulary(vocab)


def test_age_groups_are_contiguous_bands_with_a_source(knowledge: TherapyKnowledge) -> None:
    bands = [(g.code, g.at_least, g.below) for g in knowledge.age_groups]
    assert bands == [
        ("child", 0, 13),
        ("adolescent", 13, 18),
        ("adult", 18, 65),
        ("older_adult", 65, None),
    ]
    assert all(g.fact.source for g in knowledge.age_groups)


def test_no_rule_reason_text_appears_in_two_files() -> None:
    folder = data_dir() / "therapies"
    files = sorted(folder.glob("*.toml")) + sorted((folder / "_rule_sets").glob("*.toml"))
    seen: Counter[str] = Counter()
    for path in files:
        with path.open("rb") as handle:
            reasons = {r["reason"] for r in tomllib.load(handle).get("rules", [])}
        seen.update(reasons)
    assert [text for text, count in seen.items() if count > 1] == []


def test_always_stands_alone_and_must_be_true() -> None:
    assert condition({"always": True}, "w") == Condition(always=True)
    for body in ({"always": True, "facts_any": ["pregnancy"]}, {"always": False}):
        with pytest.raises(KnowledgeBaseError, match=r"^w: always = true stands alone"):
            condition(body, "w")
    with pytest.raises(KnowledgeBaseError, match=r"^w: needs always or at least one of"):
        condition({}, "w")


def test_condition_errors_name_the_file_and_key() -> None:
    with pytest.raises(KnowledgeBaseError, match=r"^f\.when\.trimester_in: must be a non-empty"):
        condition({"facts_any": ["pregnancy"], "trimester_in": []}, "f.when")
    with pytest.raises(KnowledgeBaseError, match=r"^f\.when\.facts_within_days: must be a"):
        condition({"facts_any": ["stroke"], "facts_within_days": -1}, "f.when")
    with pytest.raises(KnowledgeBaseError, match=r"^f\.when: facts_within_days must be an integer"):
        condition({"facts_any": ["stroke"], "facts_within_days": "6 weeks"}, "f.when")


def _vocab(**extra: Any) -> Any:
    facts = {"a": {"meaning": "A", "dated": True}, "b": {"meaning": "B"}}
    body = {"facts": facts, "preferences": {}}
    return vocabulary({**body, **extra})


def test_groups_and_aliases_are_read_and_checked() -> None:
    vocab = _vocab(groups={"g": {"meaning": "G", "members": ["a", "b"]}}, aliases={"x": "a"})
    assert vocab.members("g") == ("a", "b")
    assert vocab.is_known("g") and vocab.is_known("a") and not vocab.is_known("x")
    assert vocab.aliases == {"x": "a"}
    assert vocab.facts["a"].dated and not vocab.facts["b"].dated
    with pytest.raises(KnowledgeBaseError, match=r"groups\.a: members must be known"):
        _vocab(groups={"a": {"meaning": "A", "members": ["b"]}})
    for aliases in ({"x": "zzz"}, {"b": "a"}):
        with pytest.raises(KnowledgeBaseError, match=r"aliases: aliases must name a fact code"):
            _vocab(aliases=aliases)


def _band(code: str, at_least: int, below: int | None = None) -> dict[str, Any]:
    band: dict[str, Any] = {
        "code": code,
        "at_least": at_least,
        "text": code,
        "source": "s",
        "status": "unverified",
        "marker": "from memory",
    }
    return band if below is None else {**band, "below": below}


def test_age_bands_must_start_at_zero_be_contiguous_and_end_open() -> None:
    from trdnav.core.knowledge.therapies.policy import age_groups

    bands = age_groups({"group": [_band("young", 0, 18), _band("old", 18)]}, SOURCES)
    assert [(b.code, b.at_least, b.below) for b in bands] == [("young", 0, 18), ("old", 18, None)]
    for broken in (
        [_band("young", 1, 18), _band("old", 18)],
        [_band("young", 0, 18), _band("old", 19)],
        [_band("young", 0, 0), _band("old", 0)],
    ):
        with pytest.raises(KnowledgeBaseError, match=r"age_groups\.toml\.group\[\d\]: age bands"):
            age_groups({"group": broken}, SOURCES)
    with pytest.raises(KnowledgeBaseError, match="the last band is open-ended"):
        age_groups({"group": [_band("young", 0, 18)]}, SOURCES)
