"""``assess_history``: trial adequacy, TRD status and staging for a history's current episode.

Both adequacy profiles are always computed; where they disagree on a trial the other verdict
is shown beside the chosen one [P-B11]. Only current-episode treatments count (B1.3 step 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from trdnav.core.errors import FieldError, InvalidInput, UnknownCode
from trdnav.core.history import counting
from trdnav.core.history.adequacy import TrialFacts, TrialVerdict, judge_trial
from trdnav.core.history.assessment import HistoryAssessment, ProfileSummary, TrialAssessment
from trdnav.core.history.courses import CourseVerdict, judge_course
from trdnav.core.history.dosing import segments_of
from trdnav.core.history.explain import explain_trial
from trdnav.core.history.knowledge import AdequacyProfile, default_profile_name, load_profiles
from trdnav.core.history.model import DrugTrial, TreatmentHistory, TreatmentKind
from trdnav.core.history.stage_history import stage_history
from trdnav.core.history.trd import NotCounted, TrdDefinition, TrdStatus, evaluate
from trdnav.core.history.trd import load_definitions as load_trd_definitions
from trdnav.core.knowledge.loader import knowledge_version

# Policies this assessment applies beyond those its profile and models name.
POLICIES = (
    "P-B9",
    "P-B14",
    "P-B15",
    "P-B16",
    "P-B17",
    "P-B18",
    "P-B19",
    "P-B20",
    "P-B21",
    "P-B22",
    "P-B23",
    "P-B24",
)
NEUROSTIMULATION = (TreatmentKind.ECT, TreatmentKind.TMS)

Verdicts = Mapping[str, TrialVerdict]


def choose_profile(name: str | None) -> AdequacyProfile:
    profiles = load_profiles()
    chosen = name or default_profile_name()
    if chosen not in profiles:
        raise UnknownCode("profile", chosen, list(profiles))
    return profiles[chosen]


def trial_facts(trial: DrugTrial, as_of: date) -> TrialFacts:
    return TrialFacts(
        trial.id,
        trial.kind,
        trial.drug,
        segments_of(trial, as_of),
        trial.adherence_pct,
        trial.response,
        trial.min_dose_mg,
    )


def assess_history(
    history: TreatmentHistory, *, as_of: date, profile: str | None = None
) -> HistoryAssessment:
    """Judge every trial, find TRD status under each definition and stage the current episode."""
    chosen = choose_profile(profile)
    _check_not_after(history, as_of)
    facts = {t.id: trial_facts(t, as_of) for t in history.drug_trials()}
    verdicts = _verdicts(facts, chosen)
    courses = _courses(history, chosen)
    failed = _failed(history, verdicts, courses)
    trd = tuple(_trd(d, history, facts, chosen) for d in load_trd_definitions())
    return HistoryAssessment(
        as_of=as_of,
        profile=chosen.name,
        current_episode=history.current_episode,
        trials=_trial_assessments(history, facts, chosen),
        courses=courses,
        failed_treatments=failed,
        trd=trd,
        staging=(staging := stage_history(history, failed, courses, as_of)),
        profile_comparison=_comparison(history, facts, chosen),
        policies=tuple(dict.fromkeys((*chosen.policies, *staging.policies(), *POLICIES))),
        knowledge_version=knowledge_version(),
    )


def _check_not_after(history: TreatmentHistory, as_of: date) -> None:
    errors = [
        FieldError(f"treatments[{i}].start", f"is after the assessment date {as_of}")
        for i, t in enumerate(history.treatments)
        if t.start > as_of
    ] + [
        FieldError(f"episodes[{i}].start", f"is after the assessment date {as_of}")
        for i, e in enumerate(history.episodes)
        if e.start > as_of
    ]
    if errors:
        raise InvalidInput(errors)


def _verdicts(facts: Mapping[str, TrialFacts], profile: AdequacyProfile) -> Verdicts:
    return {key: judge_trial(f, profile) for key, f in facts.items()}


def _courses(history: TreatmentHistory, profile: AdequacyProfile) -> tuple[CourseVerdict, ...]:
    return tuple(judge_course(c, profile, history.current_episode_id) for c in history.courses())


def _failed(
    history: TreatmentHistory, verdicts: Verdicts, courses: tuple[CourseVerdict, ...]
) -> counting.FailedTreatments:
    return counting.FailedTreatments(
        antidepressants=counting.failed_antidepressants(history, verdicts),
        augmentations=counting.failed_augmentations(history, verdicts),
        courses=counting.failed_courses((c.course, c.failed) for c in courses if c.current_episode),
    )


def _trial_assessments(
    history: TreatmentHistory, facts: Mapping[str, TrialFacts], chosen: AdequacyProfile
) -> tuple[TrialAssessment, ...]:
    by_profile = {name: _verdicts(facts, p) for name, p in load_profiles().items()}
    result = []
    for trial in history.drug_trials():
        verdict = by_profile[chosen.name][trial.id]
        others = tuple(
            v[trial.id]
            for name, v in by_profile.items()
            if name != chosen.name and not v[trial.id].same_judgement(verdict)
        )
        current = trial.episode == history.current_episode_id
        text = explain_trial(facts[trial.id], verdict, current)
        result.append(TrialAssessment(trial, current, verdict, others, text))
    return tuple(result)


def _trd(
    definition: TrdDefinition,
    history: TreatmentHistory,
    facts: Mapping[str, TrialFacts],
    chosen: AdequacyProfile,
) -> TrdStatus:
    rule = definition.non_response or chosen.non_response
    profile = replace(chosen, non_response=rule)
    verdicts = _verdicts(facts, profile)
    courses = _courses(history, profile)
    failed = _failed(history, verdicts, courses)
    neuro = tuple(c for c in failed.courses if c.kind in NEUROSTIMULATION)
    excluded = _not_counted(history, verdicts, courses, definition)
    return evaluate(definition, failed.antidepressants, neuro, excluded)


def _not_counted(
    history: TreatmentHistory,
    verdicts: Verdicts,
    courses: tuple[CourseVerdict, ...],
    definition: TrdDefinition,
) -> tuple[NotCounted, ...]:
    current = history.current_episode_id
    result = []
    for trial in history.drug_trials():
        v = verdicts[trial.id]
        if trial.episode != current:
            result.append(NotCounted(trial.id, ("not_current_episode",)))
        elif not v.failed:
            outcome = () if v.non_response else (f"outcome_{v.outcome}",)
            result.append(NotCounted(trial.id, (*map(str, v.reasons), *outcome)))
    for c in courses:
        counted = (
            definition.count_neurostimulation and c.failed and c.course.kind in NEUROSTIMULATION
        )
        if not c.current_episode:
            result.append(NotCounted(c.course.id, ("not_current_episode",)))
        elif not counted:
            result.append(NotCounted(c.course.id, ("not_an_antidepressant_trial",)))
    return tuple(result)


def _comparison(
    history: TreatmentHistory, facts: Mapping[str, TrialFacts], chosen: AdequacyProfile
) -> tuple[ProfileSummary, ...]:
    summaries = []
    for name, profile in load_profiles().items():
        if name == chosen.name:
            continue
        failed = counting.failed_antidepressants(history, _verdicts(facts, profile))
        met = {d.code: _trd(d, history, facts, profile).met for d in load_trd_definitions()}
        summaries.append(ProfileSummary(name, len(failed), met))
    return tuple(summaries)
