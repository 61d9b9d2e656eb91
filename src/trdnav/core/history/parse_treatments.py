"""Parsing one treatment of a history (field by field; cross-references are checked later)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from trdnav.core.history.knowledge import drug_classes, load_agents, load_drugs, load_profiles
from trdnav.core.history.model import (
    Course,
    DosePeriod,
    DrugTrial,
    EctLaterality,
    Outcome,
    PsychotherapyModality,
    Response,
    Role,
    TmsProtocol,
    Treatment,
    TreatmentKind,
)
from trdnav.core.input import Fields
from trdnav.core.limits import (
    MAX_DOSE_MG_PER_DAY,
    MAX_NOTE_LENGTH,
    MAX_SESSIONS,
    MIN_IMPROVEMENT_PCT,
)

COMMON = ("id", "episode", "kind", "start", "end", "improvement_pct", "outcome", "notes")
DRUG = (*COMMON, "doses", "adherence_pct", "stopped_for_intolerance", "min_dose_mg")
ANTIDEPRESSANT = (
    *DRUG,
    "drug",
    "role",
    "with",
    "drug_class",
    "dose_optimised",
    "duration_optimised",
)
AUGMENTATION = (*DRUG, "agent", "augments")
COURSE_EXTRA = {
    TreatmentKind.ECT: ("laterality",),
    TreatmentKind.TMS: ("protocol",),
    TreatmentKind.PSYCHOTHERAPY: ("modality",),
}
# Improvement is a % reduction in symptoms: above 100 is impossible; negative means worse.
MAX_IMPROVEMENT_PCT = 100.0
# Outcomes whose meaning fixes the improvement band (ATRQ bands, S15) [P-B16].
_AT_LEAST_RESPONSE = (Outcome.RESPONSE, Outcome.REMISSION)


def parse_treatment(f: Fields) -> Treatment | None:
    kind = f.choice("kind", TreatmentKind)
    if kind is TreatmentKind.ANTIDEPRESSANT:
        return _antidepressant(f)
    if kind is TreatmentKind.AUGMENTATION:
        return _augmentation(f)
    if kind is not None:
        return _course(f, kind)
    return None


def _dates(f: Fields) -> tuple[date | None, date | None]:
    start, end = f.day("start"), f.day("end", required=False)
    if start and end and end < start:
        f.error("end", f"is before start ({end} < {start})")
        return start, None
    return start, end


def parse_response(f: Fields) -> Response:
    pct = f.number(
        "improvement_pct", required=False, low=MIN_IMPROVEMENT_PCT, high=MAX_IMPROVEMENT_PCT
    )
    outcome = f.choice("outcome", Outcome, required=False)
    stopped = f.flag("stopped_for_intolerance")
    if pct is not None and outcome is not None:
        _check_consistent(f, pct, outcome)
    return Response(pct, outcome, stopped)


def _check_consistent(f: Fields, pct: float, outcome: Outcome) -> None:
    if contradicts(pct, outcome):
        f.error("outcome", f"{outcome} contradicts improvement_pct {pct:g}")


def contradicts(pct: float, outcome: Outcome) -> bool:
    """Whether a recorded ``outcome`` disagrees with an improvement of ``pct`` % [P-B16].

    Bands come from the adequacy profiles; a recorded outcome is accepted when any profile
    could give it (exactly at the non-response threshold, profiles differ: P-B10)."""
    profiles = load_profiles().values()
    response_pct = min(p.response_pct for p in profiles)
    threshold_low = min(p.non_response_threshold_pct for p in profiles)
    threshold_high = max(p.non_response_threshold_pct for p in profiles)
    return (
        (outcome in _AT_LEAST_RESPONSE and pct < response_pct)
        or (outcome is Outcome.PARTIAL_RESPONSE and not threshold_low <= pct < response_pct)
        or (outcome is Outcome.NON_RESPONSE and pct > threshold_high)
    )


def _doses(f: Fields, start: date | None, end: date | None) -> tuple[DosePeriod, ...]:
    periods: list[DosePeriod] = []
    listed = f.items("doses")
    if f.ok and "doses" in f.raw and isinstance(f.raw["doses"], list) and not listed:
        f.error("doses", 'needs at least one {"from": date, "mg_per_day": n}')
    previous: date | None = None  # the last valid date, even if its dose was bad
    for i, raw in enumerate(listed):
        d = Fields(raw, f"{f.at('doses')}[{i}]", f.errors)
        d.only(("from", "mg_per_day"))
        begin, mg = d.day("from"), d.number("mg_per_day", low=0, high=MAX_DOSE_MG_PER_DAY)
        if begin is None:
            continue
        in_order = _dose_in_order(d, begin, previous, start, end, first=i == 0)
        previous = begin
        if in_order and mg is not None:
            periods.append(DosePeriod(begin, mg))
    return tuple(periods) if len(periods) == len(listed) else ()


def _dose_in_order(
    d: Fields,
    begin: date,
    previous: date | None,
    start: date | None,
    end: date | None,
    *,
    first: bool,
) -> bool:
    if first and start and begin != start:
        d.error("from", f"the first dose must begin on the treatment's start date ({start})")
    elif previous and begin <= previous:
        d.error("from", "doses must be in date order, each starting after the previous one")
    elif end and begin >= end:
        d.error("from", f"must be before the treatment's end ({end})")
    else:
        return True
    return False


def _antidepressant(f: Fields) -> DrugTrial | None:
    f.only(ANTIDEPRESSANT)
    start, end = _dates(f)
    drug = f.text("drug")
    override = f.number("min_dose_mg", required=False, low=0, high=MAX_DOSE_MG_PER_DAY)
    drug_class = f.text("drug_class", required=False)
    check_drug(f, drug, override, drug_class)
    role = f.choice("role", Role, required=False) or Role.MONOTHERAPY
    partner = f.text("with", required=role is Role.COMBINATION)
    if partner and role is not Role.COMBINATION:
        f.error("with", 'only for role "combination"')
    trial = _drug_trial(f, TreatmentKind.ANTIDEPRESSANT, drug, partner, start, end)
    if trial is None:
        return None
    return replace(
        trial,
        role=role,
        min_dose_mg=override,
        drug_class=drug_class,
        dose_optimised=f.flag("dose_optimised"),
        duration_optimised=f.flag("duration_optimised"),
    )


def check_drug(f: Fields, drug: str | None, override: float | None, cls: str | None) -> None:
    if cls is not None and cls not in drug_classes():
        f.error("drug_class", f"unknown class {cls!r}; allowed: {', '.join(drug_classes())}")
    if drug is None or drug in load_drugs():
        return
    if override is None or cls is None:
        f.error("drug", _unknown_drug_message(drug))


def _unknown_drug_message(drug: str) -> str:
    return (
        f"unknown antidepressant {drug!r}; known: {', '.join(sorted(load_drugs()))}. "
        'To judge a drug that is not in the dose table, give the treatment "min_dose_mg" '
        '(the minimum adequate daily dose in mg) and "drug_class" '
        f"(one of {', '.join(drug_classes())})"
    )


def _augmentation(f: Fields) -> DrugTrial | None:
    f.only(AUGMENTATION)
    start, end = _dates(f)
    agent = f.text("agent")
    override = f.number("min_dose_mg", required=False, low=0, high=MAX_DOSE_MG_PER_DAY)
    if agent is not None and agent not in load_agents():
        f.error(
            "agent",
            (
                f"unknown augmentation agent {agent!r}; known: {', '.join(sorted(load_agents()))}. "
                'A second antidepressant added to the first is recorded as kind "antidepressant" '
                'with role "combination" and "with" naming the first trial'
            ),
        )
    partner = f.text("augments")
    trial = _drug_trial(f, TreatmentKind.AUGMENTATION, agent, partner, start, end)
    return None if trial is None else replace(trial, min_dose_mg=override)


def _drug_trial(
    f: Fields,
    kind: TreatmentKind,
    drug: str | None,
    partner: str | None,
    start: date | None,
    end: date | None,
) -> DrugTrial | None:
    """The fields every drug trial shares; None when a required one is unusable."""
    ident, episode = f.text("id"), f.text("episode")
    doses = _doses(f, start, end)
    adherence = f.number("adherence_pct", required=False, low=0, high=100)
    response = parse_response(f)
    notes = f.text("notes", required=False, max_length=MAX_NOTE_LENGTH) or ""
    if ident is None or episode is None or drug is None or start is None or not doses:
        return None
    return DrugTrial(
        id=ident,
        episode=episode,
        kind=kind,
        drug=drug,
        role=None,
        partner=partner,
        start=start,
        end=end,
        doses=doses,
        adherence_pct=adherence,
        response=response,
        notes=notes,
    )


def _course(f: Fields, kind: TreatmentKind) -> Course | None:
    f.only((*COMMON, "sessions", "stopped_for_intolerance", *COURSE_EXTRA.get(kind, ())))
    start, end = _dates(f)
    ident, episode = f.text("id"), f.text("episode")
    sessions = f.integer("sessions", required=False, high=MAX_SESSIONS)
    response = parse_response(f)
    extra: dict[str, Any] = {
        "laterality": f.choice("laterality", EctLaterality, required=False),
        "protocol": f.choice("protocol", TmsProtocol, required=False),
        "modality": f.choice("modality", PsychotherapyModality, required=False),
    }
    if ident is None or episode is None or start is None:
        return None
    notes = f.text("notes", required=False, max_length=MAX_NOTE_LENGTH) or ""
    return Course(ident, episode, kind, start, end, sessions, response, notes=notes, **extra)
