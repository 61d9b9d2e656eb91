"""A synthetic cohort, generated deterministically from a seed (``trdnav synth``).

Every patient is drawn from its own ``random.Random`` seeded with (seed, patient number), so
the same seed gives the same cohort whatever the batch size, and a batch can be generated
without the ones before it. Each patient has a treatment history of failed adequate trials
(their Thase–Rush stage) and inadequate ones that do not count, then one or two courses of a
therapy from ``expected_outcomes.toml``. A course's outcome is drawn first from the therapy's
response and remission figures at the patient's stage (remitter, responder, non-responder),
then a weekly PHQ-9 trajectory is built that meets exactly that outcome, at a drawn week.
Non-responders may stop early (then they are censored at their last measure); responders do not
stop before their response, so the observed rates follow the figures (P-AN5).

Follow-up (``follow_up_weeks``, 0 by default): measurement-based care goes on measuring after a
course ends, so each course may be followed by weekly PHQ-9 measures continuing from its last
score with noise, until the next course's baseline, ``follow_up_weeks`` weeks, or the cohort's
last day, whichever comes first. They are drawn from a generator of their own, so a cohort with
follow-up has exactly the courses of the same seed without it; and they fall after the course's
end, where the report no longer counts measures (P-AN8), so the course outcomes are unchanged.
Synthetic data is for testing and benchmarks; none of it describes a real person.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

from trdnav.core.analytics.expected import ExpectedOutcome, expected_outcomes
from trdnav.core.instruments import get_instrument
from trdnav.core.protocols import get_protocol
from trdnav.core.staging.thase_rush import ThaseRushInput, stage_thase_rush

INSTRUMENT = "phq9"
# Failed adequate trials, in the order a stepped-care history typically accrues them.
CLASS_ORDER = ("ssri", "snri", "tca", "maoi")
FIRST_CLASSES = ("ssri", "snri", "ndri", "nassa")
FAILED_TRIALS_WEIGHTS = (30, 35, 20, 15)  # one, two, three, four failed classes
SECOND_COURSE_CHANCE = 0.3
EARLY_STOP_CHANCE = 0.2  # of non-responders
SAFETY_POSITIVE_CHANCE = 0.03  # per measure above remission
OVERRIDE_CHANCE = 0.02  # per session
REMS_LATE_CHANCE = 0.05
REMS_THERAPIES = ("esketamine",)
SPAN_DAYS = 730  # courses start over two years before the cohort's end
BASELINE_RANGE = (15, 27)
FOLLOW_UP_STEP = 2  # the weekly noise of a follow-up score, either way
FOLLOW_UP_PULL = 0.7  # how much of its distance from the end-of-course score a score keeps


@dataclass(frozen=True)
class Trial:
    drug_class: str
    adequate: bool


@dataclass(frozen=True)
class Measure:
    day: int  # from the course's start; day 0 is the baseline
    total: int
    safety_positive: bool


@dataclass(frozen=True)
class SynthCourse:
    therapy: str
    protocol: str
    start_day: int  # from the cohort's first day
    clinician: int
    outcome: str  # "remission", "response" or "none": what the trajectory was built to meet
    completed: bool
    measures: tuple[Measure, ...]
    sessions: tuple[int, ...]  # day of each session performed, from the course's start
    overrides: tuple[int, ...]  # session numbers signed over a block
    rems_late: tuple[int, ...]  # session numbers whose REMS form was late
    rems: bool
    # Measures after the course's end (days from the course's start); not part of the course.
    follow_up: tuple[Measure, ...] = ()

    @property
    def last_day(self) -> int:
        return self.measures[-1].day


@dataclass(frozen=True)
class SynthPatient:
    number: int
    birth_year: int
    sex: str
    trials: tuple[Trial, ...]
    stage: str
    courses: tuple[SynthCourse, ...]


def generate(
    seed: int, first: int, count: int, *, clinicians: int, follow_up_weeks: int = 0
) -> Iterator[SynthPatient]:
    """Patients ``first`` … ``first + count - 1`` of the cohort of ``seed``, each course
    followed by up to ``follow_up_weeks`` weekly measures after its end."""
    if follow_up_weeks < 0:
        raise ValueError("follow_up_weeks must be zero or more")
    for number in range(first, first + count):
        # A seeded generator on purpose: synthetic data must be reproducible, not secret.
        rng = random.Random(f"{seed}:{number}")  # noqa: S311
        person = _patient(rng, number, clinicians)
        if follow_up_weeks:
            # Its own generator: the courses stay those of the seed without follow-up.
            noise = random.Random(f"{seed}:{number}:follow-up")  # noqa: S311
            person = _with_follow_up(noise, person, follow_up_weeks)
        yield person


def _with_follow_up(rng: random.Random, person: SynthPatient, weeks: int) -> SynthPatient:
    courses = person.courses
    followed = []
    for n, course in enumerate(courses):
        # Follow-up stops before the next course's baseline, and on the cohort's last day.
        until = courses[n + 1].start_day if n + 1 < len(courses) else SPAN_DAYS + 1
        last = until - course.start_day - 1
        followed.append(replace(course, follow_up=_follow_up(rng, course, weeks, last)))
    return replace(person, courses=tuple(followed))


def _follow_up(
    rng: random.Random, course: SynthCourse, weeks: int, last_day: int
) -> tuple[Measure, ...]:
    """Weekly scores drifting around the end-of-course score (a random walk pulled back to
    it), so a remitter mostly stays near remission and a non-responder stays unwell."""
    end = course.measures[-1].total
    highest_remission = _limits(course.measures[0].total)[0]
    top = _limits(course.measures[0].total)[2]
    total = end
    measures = []
    for week in range(1, weeks + 1):
        day = course.last_day + 7 * week
        if day > last_day:
            break
        drift = FOLLOW_UP_PULL * (total - end)
        total = max(0, min(top, round(end + drift) + rng.randint(-FOLLOW_UP_STEP, FOLLOW_UP_STEP)))
        drawn = total > highest_remission and rng.random() < SAFETY_POSITIVE_CHANCE
        measures.append(Measure(day, total, drawn or total > _highest_without_safety_item()))
    return tuple(measures)


def _patient(rng: random.Random, number: int, clinicians: int) -> SynthPatient:
    trials = _trials(rng)
    stage = _stage(tuple(t.drug_class for t in trials if t.adequate))
    options = expected_outcomes()
    first = rng.choice(options)
    courses = [_course(rng, first, stage, rng.randrange(SPAN_DAYS - 200), clinicians)]
    if rng.random() < SECOND_COURSE_CHANCE:
        second = rng.choice([o for o in options if o.therapy != first.therapy])
        start = courses[0].start_day + courses[0].last_day + 14
        courses.append(_course(rng, second, stage, start, clinicians))
    return SynthPatient(
        number=number,
        birth_year=rng.randint(1950, 2002),
        sex=rng.choice(("female", "female", "male", "other")),
        trials=trials,
        stage=stage,
        courses=tuple(courses),
    )


def _trials(rng: random.Random) -> tuple[Trial, ...]:
    failed = rng.choices(range(1, len(FAILED_TRIALS_WEIGHTS) + 1), FAILED_TRIALS_WEIGHTS)[0]
    classes = [rng.choice(FIRST_CLASSES)]
    classes += [c for c in CLASS_ORDER if c not in classes][: failed - 1]
    trials = [Trial(c, adequate=True) for c in classes]
    # Inadequate trials (too short or too low a dose) do not count towards the stage.
    trials += [Trial(rng.choice(FIRST_CLASSES), adequate=False) for _ in range(rng.randint(0, 2))]
    rng.shuffle(trials)
    return tuple(trials)


@cache
def _stage(failed_classes: tuple[str, ...]) -> str:
    return stage_thase_rush(ThaseRushInput(tuple(sorted(failed_classes)), False)).stage


def _course(
    rng: random.Random, expected: ExpectedOutcome, stage: str, start: int, clinicians: int
) -> SynthCourse:
    response, remission = expected.rates_at(stage)
    draw = rng.random()
    outcome = "remission" if draw < remission else "response" if draw < response else "none"
    weeks = expected.weeks
    event_week = rng.randint(1, weeks)
    last_week = weeks
    if outcome == "none" and rng.random() < EARLY_STOP_CHANCE and weeks > 1:
        last_week = rng.randint(1, weeks - 1)
    measures = _trajectory(rng, outcome, weeks, event_week, last_week)
    sessions = _sessions(expected.protocol, last_week * 7)
    rems = expected.therapy in REMS_THERAPIES
    return SynthCourse(
        therapy=expected.therapy,
        protocol=expected.protocol,
        start_day=start,
        clinician=rng.randrange(clinicians),
        outcome=outcome,
        completed=last_week == weeks,
        measures=measures,
        sessions=sessions,
        overrides=tuple(n for n in range(1, len(sessions) + 1) if rng.random() < OVERRIDE_CHANCE),
        rems_late=tuple(
            n for n in range(1, len(sessions) + 1) if rems and rng.random() < REMS_LATE_CHANCE
        ),
        rems=rems,
    )


def _trajectory(
    rng: random.Random, outcome: str, weeks: int, event_week: int, last_week: int
) -> tuple[Measure, ...]:
    baseline = rng.randint(*BASELINE_RANGE)
    bands = _bands(baseline)
    remission_week = rng.randint(event_week, weeks) if outcome == "remission" else weeks + 1
    measures = [Measure(0, baseline, False)]
    for week in range(1, last_week + 1):
        band = _band_for(outcome, week, event_week, remission_week)
        low, high = bands[band]
        target = baseline - (baseline - low) * week / weeks + rng.randint(-2, 2)
        total = max(low, min(high, round(target)))
        # Above the other items' maximum the safety item must be positive too.
        drawn = band == "none" and rng.random() < SAFETY_POSITIVE_CHANCE
        safety = drawn or total > _highest_without_safety_item()
        measures.append(Measure(7 * week, total, safety))
    return tuple(measures)


def _band_for(outcome: str, week: int, event_week: int, remission_week: int) -> str:
    if outcome == "none" or week < event_week:
        return "none"
    if outcome == "remission" and week >= remission_week:
        return "remission"
    return "response"


def _bands(baseline: int) -> dict[str, tuple[int, int]]:
    """The totals that are a remission, a response without remission, and neither."""
    highest_remission, highest_response, top = _limits(baseline)
    return {
        "remission": (0, highest_remission),
        "response": (highest_remission + 1, highest_response),
        "none": (highest_response + 1, top),
    }


@cache
def _limits(baseline: int) -> tuple[int, int, int]:
    definition = get_instrument(INSTRUMENT).definition
    rules = definition.outcome
    if rules is None or rules.response_min_pct is None or definition.total_range is None:
        raise LookupError(f"{INSTRUMENT} has no outcome rules")
    rule = next(r for r in rules.remission if r.default)
    low, top = definition.total_range
    pct = rules.response_min_pct.value
    highest_remission = max(t for t in range(low, top + 1) if rule.met_by(t))
    highest_response = max(t for t in range(low, top + 1) if 100 * (baseline - t) >= pct * baseline)
    return highest_remission, highest_response, top


@cache
def _highest_without_safety_item() -> int:
    definition = get_instrument(INSTRUMENT).definition
    return sum(item.answers.maximum for item in definition.items[:-1])


@cache
def _session_days(protocol: str) -> tuple[int, ...]:
    spec = get_protocol(protocol)
    per_week = spec.sessions_per_week or 1.0
    return tuple(int(n * 7 / per_week) for n in range(spec.planned_sessions))


def _sessions(protocol: str, until_day: int) -> tuple[int, ...]:
    return tuple(day for day in _session_days(protocol) if day <= until_day)
