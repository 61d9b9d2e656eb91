"""The personas' TRD status and staging, explained the way a psychiatrist would check them."""

from __future__ import annotations

from functools import cache

from tests.personas import PERSONAS
from trdnav.core.history import HistoryAssessment, TreatmentKind, assess_history, parse_history


@cache
def assessed(key: str, profile: str | None = None) -> HistoryAssessment:
    persona = PERSONAS[key]
    return assess_history(parse_history(persona.history), as_of=persona.as_of, profile=profile)


def stages(result: HistoryAssessment) -> tuple[str, str, float, int | None]:
    s = result.staging
    return s.thase_rush.stage, s.european.stage, s.mgh_s.score, s.maudsley.total


def test_every_persona_has_a_story_and_a_history_that_parses() -> None:
    for persona in PERSONAS.values():
        assert persona.story and persona.name in persona.story
        assert parse_history(persona.history).current_episode.end is None


def test_dana_is_treatment_resistant_with_psychosis_scoring_the_top_severity() -> None:
    # Sertraline 150 mg for 10 weeks and venlafaxine 225 mg for 11 weeks both failed: TRD.
    # Olanzapine augmentation failed too, but augmenting venlafaxine is not a third drug.
    # Her 2019 remission on fluoxetine belongs to another episode and is ignored.
    result = assessed("dana")
    assert result.is_trd
    assert result.failed_treatments.drugs() == {"sertraline", "venlafaxine"}
    assert result.failed_treatments.agents() == {"olanzapine"}
    # MSM: 7 months (1) + severe with psychosis (5) + 2 failures (1) + augmentation (1) = 8.
    assert result.staging.maudsley.points == {
        "duration": 1,
        "severity": 5,
        "treatment": 1,
        "augmentation": 1,
        "ect": 0,
    }
    assert (result.staging.maudsley.total, result.staging.maudsley.band) == (8, "moderate")
    # SSRI then SNRI: Thase–Rush II; two classes: ESM TRD1; MGH-S 1 + (1 + 0.5 augmented).
    assert stages(result) == ("II", "TRD1", 2.5, 8)
    assert set(PERSONAS["dana"].facts) == {"psychotic_features", "high_suicide_risk"}


def test_ben_has_two_adequate_failures_of_an_ssri_and_an_snri() -> None:
    # Escitalopram 20 mg and duloxetine 120 mg, each well over 6 weeks at dose, taken ≥ 90%.
    result = assessed("ben")
    assert all(t.counts_as_failed for t in result.trials)
    assert {s.definition.code: s.met for s in result.trd} == {
        "common": True,
        "sforzini_2022": True,
        "ema_2013": True,
        "cpmp_different_classes": True,
        "esketamine_label": True,
    }
    # The CBT course was a partial response (30%): tried, not failed.
    assert not result.failed_treatments.has_failed(TreatmentKind.PSYCHOTHERAPY)
    # MSM: 13 months (2) + moderate (3) + 2 failures (1) = 6, mild; MGH-S 1 + 1.5 (dose raised).
    assert stages(result) == ("II", "TRD1", 2.5, 6)
    assert result.staging.maudsley.band == "mild"


def test_carla_is_not_resistant_because_most_referral_failures_were_inadequate() -> None:
    result = assessed("carla")
    reasons = {t.trial.id: [str(r) for r in t.verdict.reasons] for t in result.trials}
    assert reasons == {
        "fluoxetine": ["duration_too_short"],  # stopped at 3 weeks for nausea: not a failure
        "sertraline": ["dose_below_minimum"],  # never above 25 mg
        "citalopram": ["adherence_insufficient"],  # taken half the time
        "venlafaxine": [],  # 75 mg for 8 weeks: adequate by the usual minimum
        "mirtazapine": ["duration_too_short"],  # 4 weeks
    }
    assert not result.is_trd
    assert [a.drug for a in result.failed_treatments.antidepressants] == ["venlafaxine"]
    # The conservative profile judges venlafaxine 75 mg too low, and both verdicts are shown.
    venlafaxine = next(t for t in result.trials if t.trial.id == "venlafaxine")
    assert [(v.profile, [str(r) for r in v.reasons]) for v in venlafaxine.other_profiles] == [
        ("conservative_atrq", ["dose_below_minimum"])
    ]
    assert "dose too low" not in venlafaxine.explanation
    assert stages(result) == ("I", "non_responder", 1.0, 5)
    assert stages(assessed("carla", "conservative_atrq"))[:3] == ("0", "not_resistant", 0.0)


def test_ed_failed_bilateral_ect_which_counts_in_maudsley_and_mgh_but_not_thase_rush() -> None:
    result = assessed("ed")
    assert result.is_trd
    ect = result.failed_treatments.courses
    assert [(c.kind, c.detail) for c in ect] == [(TreatmentKind.ECT, "bitemporal")]
    # Thase–Rush V needs failed TCA and MAOI first; he has neither, so he stays at II.
    assert result.staging.thase_rush.stage == "II"
    assert result.staging.thase_rush.bilateral_ect_failed
    assert "counts only on top of stage IV" in result.staging.thase_rush.explanation
    # MGH-S: sertraline 1 + venlafaxine 1.5 (lithium added) + failed ECT 3 = 5.5.
    assert result.staging.mgh_s.score == 5.5
    # MSM: 15 months (2) + severe (4) + 2 failures (1) + augmentation (1) + ECT (1) = 9.
    assert (result.staging.maudsley.total, result.staging.maudsley.band) == (9, "moderate")


def test_farah_failed_every_class_then_ect_reaching_thase_rush_stage_v() -> None:
    result = assessed("farah")
    assert result.failed_treatments.classes() == {"ssri", "snri", "ndri", "tca", "nassa", "maoi"}
    assert result.staging.thase_rush.stage == "V"
    # Six failures across classes with augmentation, for over a year: chronic resistant (CRD).
    assert result.staging.european.stage == "CRD"
    # MGH-S: 6 failures + 0.5 (aripiprazole) + 0.5 (phenelzine raised to 90 mg) + 3 (ECT) = 10.
    assert result.staging.mgh_s.score == 10
    # MSM: ~3 years (3) + severe (4) + 6 failures (3) + augmentation (1) + ECT (1) = 12, severe.
    assert (result.staging.maudsley.total, result.staging.maudsley.band) == (12, "severe")
    # Esketamine gave a partial response: tried, not failed; the 2015 episode is not counted.
    assert not result.failed_treatments.has_failed(TreatmentKind.ESKETAMINE)
    old = next(t for t in result.trials if t.trial.id == "citalopram-2015")
    assert not old.current_episode and not old.counts_as_failed


def test_george_is_resistant_and_his_failed_itbs_does_not_count_as_a_drug_trial() -> None:
    result = assessed("george")
    assert result.is_trd
    assert result.failed_treatments.has_failed(TreatmentKind.TMS)
    sforzini = result.trd_status("sforzini_2022")
    assert [c.treatment for c in sforzini.counted] == ["sertraline", "bupropion"]
    assert {"trial": "itbs", "why": ["not_an_antidepressant_trial"]} in [
        n.to_dict() for n in sforzini.not_counted
    ]
    assert stages(result) == ("II", "TRD1", 2.0, 5)
    assert "uncontrolled_hypertension" in PERSONAS["george"].facts


def test_iris_is_too_early_in_her_first_trial_to_be_staged() -> None:
    result = assessed("iris")
    assert not result.is_trd
    trial = result.trials[0]
    assert [str(r) for r in trial.verdict.reasons] == ["duration_too_short"]  # 5 weeks, ongoing
    assert stages(result) == ("0", "not_resistant", 0.0, None)
    assert result.staging.maudsley.error is not None  # P-B6: no failed antidepressant
