"""Judging one trial entered directly (``trdnav adequacy``), under every profile.

``weeks_at_or_above_min_dose`` is read as the weeks spent at ``daily_dose_mg``; under a profile
whose minimum is higher than that dose, those weeks do not count and the trial is judged too low
a dose [P-B21].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.history import dosing
from trdnav.core.history.adequacy import TrialFacts, TrialVerdict, judge_trial
from trdnav.core.history.assess import choose_profile
from trdnav.core.history.counting import canonical_drug
from trdnav.core.history.explain import explain_trial
from trdnav.core.history.knowledge import load_agents, load_drugs, load_profiles
from trdnav.core.history.model import TreatmentKind
from trdnav.core.history.parse_treatments import check_drug, parse_response
from trdnav.core.input import Fields
from trdnav.core.limits import MAX_DOSE_MG_PER_DAY, MAX_WEEKS

FIELDS = (
    "drug",
    "daily_dose_mg",
    "weeks_at_or_above_min_dose",
    "adherence_pct",
    "improvement_pct",
    "outcome",
    "profile",
    "role",
    "min_dose_mg",
    "drug_class",
    "stopped_for_intolerance",
)
ROLES = ("monotherapy", "combination", "augmentation")


@dataclass(frozen=True)
class SingleTrialReport:
    facts: TrialFacts
    drug_class: str | None
    verdict: TrialVerdict
    other_profiles: tuple[TrialVerdict, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "drug": self.facts.drug,
            "class": self.drug_class,
            "kind": str(self.facts.kind),
            **self.verdict.to_dict(),
            "counts_as_failed": self.verdict.failed,
            "explanation": explain_trial(self.facts, self.verdict, current=True),
            "profiles_disagree": bool(self.other_profiles),
            "other_profiles": [v.to_dict() for v in self.other_profiles],
        }


def judge_single_trial(raw: Any) -> SingleTrialReport:
    """Parse and judge one trial; ``InvalidInput`` names every bad field."""
    errors: list[FieldError] = []
    f = Fields(raw, "", errors)
    f.only(FIELDS)
    facts, drug_class = _facts(f)
    profile_name = f.text("profile", required=False)
    try:
        chosen = choose_profile(profile_name)
    except InvalidInput as exc:  # reported with the other errors, so all come at once
        errors.extend(exc.errors)
    if errors or facts is None:
        raise InvalidInput(errors or [FieldError("input", "no trial given")])
    verdict = judge_trial(facts, chosen)
    others = tuple(
        v
        for p in load_profiles().values()
        if p.name != chosen.name
        if not (v := judge_trial(facts, p)).same_judgement(verdict)
    )
    return SingleTrialReport(facts, drug_class, verdict, others)


def _facts(f: Fields) -> tuple[TrialFacts | None, str | None]:
    role = f.text("role", required=False) or "monotherapy"
    if role not in ROLES:
        f.error("role", f"unknown value {role!r}; allowed: {', '.join(ROLES)}")
    augmentation = role == "augmentation"
    drug = f.text("drug")
    override = f.number("min_dose_mg", required=False, low=0, high=MAX_DOSE_MG_PER_DAY)
    drug_class = f.text("drug_class", required=False)
    if augmentation and drug is not None and drug not in load_agents():
        f.error(
            "drug",
            f"unknown augmentation agent {drug!r}; known: {', '.join(sorted(load_agents()))}",
        )
    elif not augmentation:
        check_drug(f, drug, override, drug_class)
    dose = f.number("daily_dose_mg", low=0, high=MAX_DOSE_MG_PER_DAY)
    weeks = f.number("weeks_at_or_above_min_dose", low=0, high=MAX_WEEKS)
    adherence = f.number("adherence_pct", required=False, low=0, high=100)
    response = parse_response(f)
    if drug is None or dose is None or weeks is None:
        return None, None
    kind = TreatmentKind.AUGMENTATION if augmentation else TreatmentKind.ANTIDEPRESSANT
    segment = dosing.DoseSegment(dose, weeks * dosing.DAYS_PER_WEEK)
    facts = TrialFacts("trial", kind, drug, (segment,), adherence, response, override)
    return facts, None if augmentation else _class(drug, drug_class)


def _class(drug: str, override: str | None) -> str | None:
    info = load_drugs().get(canonical_drug(drug))
    return override or (info.drug_class if info else None)
