"""Clinical personas for the options engine, written as short stories.

Each persona is the patient JSON the engine reads. Treatment histories follow the
history JSON schema with trials that are adequate by any profile (dose well above the minimum,
≥10 weeks, adherence 90%) so that their failures do not hinge on adequacy policy.
"""

from __future__ import annotations

from typing import Any

from trdnav.core.knowledge import load_therapies

FACT_CODES = sorted(load_therapies().vocabulary.facts)


def assessed(raw: dict[str, Any]) -> dict[str, Any]:
    """The clinician completed the pre-treatment check: every fact not present was checked
    and found absent, and the medication list was recorded (empty unless given)."""
    present = {f if isinstance(f, str) else f["code"] for f in raw.get("facts", [])}
    absent = [code for code in FACT_CODES if code not in present]
    return {"medications": [], **raw, "absent_facts": absent}


EPISODE = {
    "id": "e1",
    "start": "2024-01-10",
    "end": None,
    "severity": "severe_without_psychosis",
    "psychotic_features": False,
}


def drug_trial(
    tid: str, drug: str, start: str, end: str, mg: int, improvement: int
) -> dict[str, Any]:
    return {
        "id": tid,
        "episode": "e1",
        "kind": "antidepressant",
        "drug": drug,
        "role": "monotherapy",
        "start": start,
        "end": end,
        "doses": [{"from": start, "mg_per_day": mg}],
        "adherence_pct": 90,
        "improvement_pct": improvement,
        "stopped_for_intolerance": False,
    }


TWO_FAILED_ANTIDEPRESSANTS = [
    drug_trial("t1", "sertraline", "2024-02-01", "2024-05-01", 150, 10),
    drug_trial("t2", "venlafaxine", "2024-05-10", "2024-08-01", 225, 5),
]


def history(*treatments: dict[str, Any], psychotic: bool = False) -> dict[str, Any]:
    episode = dict(EPISODE, psychotic_features=psychotic)
    if psychotic:
        episode["severity"] = "severe_with_psychosis"
    return {"episodes": [episode], "treatments": list(treatments)}


# Ana, 45, has delusions of guilt, has stopped eating properly and has a plan to end her life.
# Two antidepressants have failed. The team must see ECT first, marked urgent.
ANA_PSYCHOTIC_AND_SUICIDAL = assessed(
    {
        "age": 45,
        "facts": ["psychotic_features", "high_suicide_risk"],
        "history": history(*TWO_FAILED_ANTIDEPRESSANTS, psychotic=True),
    }
)

# Ben, 58, has two failed antidepressants and blood pressure that stays above 160/100.
BEN_UNCONTROLLED_HYPERTENSION = assessed(
    {
        "age": 58,
        "facts": ["uncontrolled_hypertension"],
        "history": history(*TWO_FAILED_ANTIDEPRESSANTS),
    }
)

# Chloe, 34, has a cochlear implant; two antidepressants have failed.
CHLOE_COCHLEAR_IMPLANT = assessed(
    {
        "age": 34,
        "facts": ["cochlear_implant"],
        "history": history(*TWO_FAILED_ANTIDEPRESSANTS),
    }
)

# Dev, 29, failed sertraline and venlafaxine at full dose and wants no more medication.
DEV_AVOIDS_MEDICATION = assessed(
    {
        "age": 29,
        "preferences": ["avoid_medication"],
        "history": history(*TWO_FAILED_ANTIDEPRESSANTS),
    }
)

# Edith, 71, had 12 sessions of bilateral ECT this episode with little change.
EDITH_FAILED_ECT = assessed(
    {
        "age": 71,
        "history": history(
            *TWO_FAILED_ANTIDEPRESSANTS,
            {
                "id": "t3",
                "episode": "e1",
                "kind": "ect",
                "laterality": "bilateral",
                "sessions": 12,
                "start": "2024-08-10",
                "end": "2024-09-20",
                "improvement_pct": 10,
            },
        ),
    }
)

# Frank, 50, takes phenelzine (an MAOI) after two failed antidepressants.
FRANK_ON_AN_MAOI = assessed(
    {
        "age": 50,
        "medications": ["phenelzine"],
        "history": history(*TWO_FAILED_ANTIDEPRESSANTS),
    }
)

# Gita, 40, attends a clinic that offers only ECT, rTMS and CBT.
GITA_SMALL_CLINIC = assessed(
    {
        "age": 40,
        "offered": ["ect", "rtms", "cbt"],
        "history": history(*TWO_FAILED_ANTIDEPRESSANTS),
    }
)

# Hugo, 38, is catatonic.
HUGO_CATATONIC = assessed({"age": 38, "facts": ["catatonia"]})

# Iris, 52, needs relief within days; two antidepressants have failed.
IRIS_NEEDS_RAPID_RELIEF = assessed(
    {
        "age": 52,
        "preferences": ["needs_rapid_relief"],
        "history": history(*TWO_FAILED_ANTIDEPRESSANTS),
    }
)
