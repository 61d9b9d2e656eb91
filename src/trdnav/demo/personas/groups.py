"""One named persona per patient group that the label-grade rules must protect (issue 9).

Each persona is a function whose docstring tells the clinical story; it returns the patient JSON
the engine reads (``parse_patient``: age or date of birth, facts with dates and trimester,
absent facts, the current medication list and a treatment history) and the date the record is
reviewed. ``absent_facts`` are the facts a clinician would have checked and found absent for
this patient; everything else stays unknown. Unless the story says otherwise the history holds
two adequate antidepressant failures in the current episode, so the options' statuses turn on
the group's own rules. The people are invented.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from trdnav.demo.personas.builders import drug

AS_OF = date(2026, 11, 30)

# Checked and absent for almost everyone in this list: the vascular label contraindications of
# the ketamine family, psychosis, substance use and seizures.
ROUTINE_ABSENT = (
    "aneurysm_or_avm",
    "intracerebral_haemorrhage_ever",
    "psychotic_features",
    "history_of_psychosis",
    "active_substance_use_disorder",
    "seizure_disorder",
)


def two_failures(first: str = "sertraline", second: str = "venlafaxine") -> dict[str, Any]:
    """A current episode since January 2026 with two adequate antidepressant failures."""
    doses = {"sertraline": 150, "venlafaxine": 225, "escitalopram": 20, "fluoxetine": 40}
    return {
        "episodes": [{"id": "current", "start": "2026-01-05", "end": None, "severity": "moderate"}],
        "treatments": [
            drug(
                "first",
                first,
                "2026-01-20",
                "2026-04-20",
                [("2026-01-20", doses[first] // 2), ("2026-02-03", doses[first])],
                adherence_pct=90,
                improvement_pct=10,
            ),
            drug(
                "second",
                second,
                "2026-05-01",
                "2026-08-01",
                [("2026-05-01", doses[second] // 2), ("2026-05-15", doses[second])],
                adherence_pct=90,
                improvement_pct=15,
            ),
        ],
    }


def adolescent_16() -> dict[str, Any]:
    """Maya, 16, has had moderate depression since January. Fluoxetine 40 mg and then
    escitalopram 20 mg, each for twelve weeks and taken reliably, helped little. Her parents ask
    about the nasal spray they read about. Checked and absent: bipolar features, psychosis,
    pregnancy, substance use, suicidal intent. Esketamine is not approved under 18.
    """
    return {
        "name": "Maya Lindqvist",
        "as_of": AS_OF,
        "patient": {
            "date_of_birth": "2010-06-15",
            "facts": [],
            "absent_facts": [
                *ROUTINE_ABSENT,
                "bipolar_spectrum",
                "pregnancy",
                "current_suicidal_intent",
            ],
            "medications": ["escitalopram"],
            "history": two_failures("fluoxetine", "escitalopram"),
        },
    }


def bipolar_i_on_lamotrigine() -> dict[str, Any]:
    """Tom, 38, has bipolar I disorder (one manic admission at 29) and a depressive episode
    since January, on lamotrigine alone. Sertraline and then venlafaxine were added and did not
    help. Lamotrigine does not protect against an antidepressant-induced switch to mania, so
    antidepressant-only steps and esketamine need a second look; olanzapine/fluoxetine is the
    licensed option for bipolar I depression. Checked and absent: psychosis, substance use.
    """
    return {
        "name": "Tom Adeyemi",
        "as_of": AS_OF,
        "patient": {
            "age": 38,
            "facts": ["bipolar_i"],
            "absent_facts": [*ROUTINE_ABSENT, "current_suicidal_intent"],
            "medications": ["lamotrigine"],
            "history": two_failures(),
        },
    }


def pregnant_second_trimester() -> dict[str, Any]:
    """Sofia, 31, is 20 weeks pregnant (second trimester) and has had depression since
    January; sertraline and then venlafaxine failed at full dose. Lithium augmentation and
    esketamine come up; both carry pregnancy warnings the team must see. Checked and absent:
    bipolar features, psychosis, substance use, suicidal intent, breast-feeding.
    """
    return {
        "name": "Sofia Marchetti",
        "as_of": AS_OF,
        "patient": {
            "age": 31,
            "facts": [{"code": "pregnancy", "trimester": 2}],
            "absent_facts": [
                *ROUTINE_ABSENT,
                "bipolar_spectrum",
                "breastfeeding",
                "current_suicidal_intent",
            ],
            "medications": ["venlafaxine"],
            "history": two_failures(),
        },
    }


def maoi_polypharmacy() -> dict[str, Any]:
    """Walter, 62, takes tranylcypromine from his psychiatrist, and sertraline and tramadol were
    added by other prescribers: a dangerous combination already in the list. Any further
    antidepressant (bupropion, mirtazapine) is contraindicated while the MAOI is taken.
    Checked and absent: bipolar features, psychosis, substance use.
    """
    return {
        "name": "Walter Brennan",
        "as_of": AS_OF,
        "patient": {
            "age": 62,
            "facts": [],
            "absent_facts": [*ROUTINE_ABSENT, "bipolar_spectrum"],
            "medications": ["tranylcypromine", "sertraline", "tramadol"],
            "history": two_failures(),
        },
    }


def post_mi_3_weeks() -> dict[str, Any]:
    """Graham, 59, had a heart attack three weeks ago (9 November 2026) during a depressive
    episode that two antidepressants have not helped. The team wants something fast. Esketamine
    and ketamine raise blood pressure for hours; the EU esketamine label contraindicates it
    within 6 weeks of a cardiovascular event; tricyclics are excluded in the recovery period
    after an infarction; ECT needs cardiology. Checked and absent: bipolar features, psychosis.
    """
    return {
        "name": "Graham Okonkwo",
        "as_of": AS_OF,
        "patient": {
            "age": 59,
            "facts": [{"code": "myocardial_infarction", "on": "2026-11-09"}],
            "absent_facts": [*ROUTINE_ABSENT, "bipolar_spectrum", "stroke"],
            "medications": ["venlafaxine"],
            "history": two_failures(),
        },
    }


def post_ich() -> dict[str, Any]:
    """Priya, 52, had an intracerebral haemorrhage in March 2025 from a hypertensive bleed and
    recovered well; a depression since January has resisted two antidepressants. The esketamine
    label contraindicates it after any intracerebral haemorrhage, and IV ketamine raises blood
    pressure in the same way. Checked and absent: aneurysm, psychosis, bipolar features.
    """
    return {
        "name": "Priya Raman",
        "as_of": AS_OF,
        "patient": {
            "age": 52,
            "facts": [{"code": "intracerebral_haemorrhage", "on": "2025-03-02"}],
            "absent_facts": [
                "aneurysm_or_avm",
                "psychotic_features",
                "history_of_psychosis",
                "active_substance_use_disorder",
                "seizure_disorder",
                "bipolar_spectrum",
            ],
            "medications": ["venlafaxine"],
            "history": two_failures(),
        },
    }


def suicidal_intent() -> dict[str, Any]:
    """Leo, 44, says he intends to end his life and has been saving tablets; two
    antidepressants have failed. A tricyclic, lithium or an MAOI would put a lethal supply in
    his hands. Checked and absent: psychosis, bipolar features, substance use.
    """
    return {
        "name": "Leo Fontaine",
        "as_of": AS_OF,
        "patient": {
            "age": 44,
            "facts": ["current_suicidal_intent", "high_suicide_risk"],
            "absent_facts": [*ROUTINE_ABSENT, "bipolar_spectrum"],
            "medications": ["venlafaxine"],
            "history": two_failures(),
        },
    }


def older_88_dementia() -> dict[str, Any]:
    """Edith, 88, has Alzheimer's dementia and a depression since January that sertraline and
    venlafaxine did not lift. A tricyclic is strongly anticholinergic (Beers: avoid at 65 and
    over, and with dementia); antipsychotic add-ons carry the dementia mortality warning.
    Checked and absent: psychosis, bipolar features.
    """
    return {
        "name": "Edith Harrow",
        "as_of": AS_OF,
        "patient": {
            "age": 88,
            "facts": ["dementia"],
            "absent_facts": [*ROUTINE_ABSENT, "bipolar_spectrum"],
            "medications": ["venlafaxine"],
            "history": two_failures(),
        },
    }


def cochlear_implant() -> dict[str, Any]:
    """Ruth, 67, has a cochlear implant on the left and a severe depression that two
    antidepressants have not helped; ECT is discussed. Implant makers advise against ECT,
    reported cases went well with unilateral ECT on the other side; TMS is contraindicated.
    Checked and absent: psychosis, bipolar features, other implants.
    """
    return {
        "name": "Ruth Calloway",
        "as_of": AS_OF,
        "patient": {
            "age": 67,
            "facts": ["cochlear_implant"],
            "absent_facts": [
                *ROUTINE_ABSENT,
                "bipolar_spectrum",
                "implanted_head_or_neck_stimulator",
                "ferromagnetic_implant_head",
            ],
            "medications": ["venlafaxine"],
            "history": two_failures(),
        },
    }


def dbs_implant() -> dict[str, Any]:
    """Martin, 63, has Parkinson's disease treated with a subthalamic deep brain stimulator,
    and a depression that two antidepressants have not helped. ECT has been given safely with
    DBS in reported cases but needs the neurosurgical team; TMS is contraindicated.
    Checked and absent: psychosis, bipolar features, cochlear implant.
    """
    return {
        "name": "Martin Kowalski",
        "as_of": AS_OF,
        "patient": {
            "age": 63,
            "facts": ["deep_brain_stimulator"],
            "absent_facts": [*ROUTINE_ABSENT, "bipolar_spectrum", "cochlear_implant"],
            "medications": ["venlafaxine"],
            "history": two_failures(),
        },
    }


def catatonia() -> dict[str, Any]:
    """Joseph, 34, has stopped speaking and eating and holds fixed postures: catatonia in a
    depressive episode that two antidepressants did not help. Lorazepam is first line and ECT
    follows; antipsychotic add-ons can worsen catatonia or bring on neuroleptic malignant
    syndrome. Checked and absent: psychosis, bipolar features.
    """
    return {
        "name": "Joseph Mensah",
        "as_of": AS_OF,
        "patient": {
            "age": 34,
            "facts": ["catatonia", "refusing_food_or_fluids"],
            "absent_facts": [*ROUTINE_ABSENT, "bipolar_spectrum"],
            "medications": ["venlafaxine"],
            "history": two_failures(),
        },
    }


def no_history() -> dict[str, Any]:
    """Alex, 40, is seen for the first time with a depression; nothing about past treatment
    has been entered yet and no medication list has been recorded. The number of failed
    treatments is unknown, so the options whose labels need a count (esketamine after two,
    VNS after four) must not look suitable, and the output lists what to check.
    """
    return {
        "name": "Alex Moreau",
        "as_of": AS_OF,
        "patient": {"age": 40, "facts": [], "absent_facts": list(ROUTINE_ABSENT)},
    }


@dataclass(frozen=True)
class GroupPersona:
    key: str
    name: str
    as_of: date
    patient: dict[str, Any]
    story: str

    @property
    def checked_absent(self) -> tuple[str, ...]:
        """The facts a clinician checked and found absent for this patient."""
        return tuple(self.patient.get("absent_facts", ()))


def _build(story: Callable[[], dict[str, Any]]) -> GroupPersona:
    return GroupPersona(key=story.__name__, story=inspect.cleandoc(story.__doc__ or ""), **story())


GROUP_PERSONAS: dict[str, GroupPersona] = {
    p.key: p
    for p in map(
        _build,
        (
            adolescent_16,
            bipolar_i_on_lamotrigine,
            pregnant_second_trimester,
            maoi_polypharmacy,
            post_mi_3_weeks,
            post_ich,
            suicidal_intent,
            older_88_dementia,
            cochlear_implant,
            dbs_implant,
            catatonia,
            no_history,
        ),
    )
}
