"""The shared personas of tests/personas.py, seen by the options engine.

The same people are staged in tests/core/test_personas_staging.py and shown in the web app;
here each story is read through to the options a clinician would see.
"""

from __future__ import annotations

from typing import Any

from tests.personas import PERSONAS, Persona
from trdnav.core.knowledge import load_therapies
from trdnav.core.recommend import OptionStatus, Recommendation, parse_patient, recommend
from trdnav.core.recommend.reasons import ReasonKind

TMS_OPTIONS = ("rtms", "itbs", "deep_tms", "snt")
PSYCHOTHERAPIES = ("cbt", "cbasp", "mbct", "behavioural_activation", "dbt", "act", "ipt")


def options_for(persona: Persona, **extra: Any) -> Recommendation:
    knowledge = load_therapies()
    raw = {
        "age": persona.age,
        "facts": list(persona.facts),
        "absent_facts": list(persona.absent_facts),
        "medications": [],
        "history": persona.history,
        **extra,
    }
    return recommend(parse_patient(raw, knowledge), knowledge, as_of=persona.as_of)


def test_dana_psychotic_and_at_high_risk_sees_ect_first_and_urgent() -> None:
    result = options_for(PERSONAS["dana"])
    first = result.ranked()[0]
    assert (first.id, first.urgent, first.status) == ("ect", True, OptionStatus.SUITABLE)


def test_ben_after_two_ssri_snri_failures_who_avoids_medication_sees_talking_and_tms_on_top() -> (
    None
):
    result = options_for(PERSONAS["ben"], preferences=["avoid_medication"])
    assert result.history.trd_met is True
    top_five = {option.id for option in result.ranked()[:5]}
    assert top_five & set(PSYCHOTHERAPIES)
    assert top_five & set(TMS_OPTIONS)
    assert not any(o.therapy.category.value.startswith("medication") for o in result.ranked()[:5])


def test_ed_sees_his_failed_bilateral_ect_course_as_already_failed() -> None:
    assert options_for(PERSONAS["ed"]).option("ect").status == OptionStatus.ALREADY_FAILED


def test_george_with_uncontrolled_hypertension_is_not_offered_ketamine_or_esketamine() -> None:
    # The ketamine consensus lists uncontrolled hypertension as absolute; the esketamine label
    # makes a raised pre-dose pressure a relative contraindication (clinical-evidence §1, §2).
    result = options_for(PERSONAS["george"])
    assert result.option("ketamine_iv").status == OptionStatus.CONTRAINDICATED
    esketamine = result.option("esketamine")
    assert esketamine.status == OptionStatus.CAUTION
    assert "esketamine.blood_pressure" in {reason.rule for reason in esketamine.reasons}
    assert result.option("itbs").status == OptionStatus.ALREADY_FAILED


def test_iris_with_a_cochlear_implant_has_every_tms_option_contraindicated() -> None:
    result = options_for(PERSONAS["iris"])
    for option_id in TMS_OPTIONS:
        option = result.option(option_id)
        assert option.status == OptionStatus.CONTRAINDICATED
        assert option.rank is None


def test_every_absolute_contraindication_among_the_personas_makes_its_option_contraindicated() -> (
    None
):
    seen = 0
    for persona in PERSONAS.values():
        for option in options_for(persona).options:
            if any(r.kind == ReasonKind.ABSOLUTE_CONTRAINDICATION for r in option.reasons):
                seen += 1
                assert option.status == OptionStatus.CONTRAINDICATED, (persona.key, option.id)
                assert option.rank is None
    assert seen >= 5  # george's ketamine and iris's TMS options at least


def test_an_investigational_option_is_never_shown_as_plainly_suitable() -> None:
    for persona in PERSONAS.values():
        for option in options_for(persona).options:
            if option.therapy.investigational:
                assert option.status != OptionStatus.SUITABLE, (persona.key, option.id)
