"""Hypothesis strategies for whole patients: ages or dates of birth, present / absent / unknown
facts (dated events, trimesters), medication lists recorded or not, and treatment histories
in the JSON of docs/history-schema.md."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from tests.core.recommend.conftest import AS_OF
from trdnav.core.knowledge import load_therapies

KNOWLEDGE = load_therapies()
VOCAB = KNOWLEDGE.vocabulary
FACTS = sorted(VOCAB.facts)
DATED = sorted(c for c, f in VOCAB.facts.items() if f.dated)
PREFERENCES = sorted(VOCAB.preferences)
THERAPIES = sorted(KNOWLEDGE.therapies)
# Recognised drugs (MAOIs, serotonergic drugs, lithium and what raises its level, sedatives),
# names written as a brand or with a salt, and names the drug table does not know.
MEDICATIONS = [
    "phenelzine",
    "tranylcypromine",
    "selegiline",
    "linezolid",
    "sertraline",
    "fluoxetine",
    "Prozac",
    "venlafaxine",
    "mirtazapine",
    "bupropion",
    "Bupropion HCl XL",
    "nortriptyline",
    "lorazepam",
    "lithium",
    "ibuprofen",
    "lisinopril",
    "lamotrigine",
    "tramadol",
    "sumatriptan",
    "methylphenidate",
    "warfarin",
    "quetiapine",
    "methylene blue",
    "St John's wort",
    "dextromethorphan",
    "pethidine",
    "methadone",
    "fentanyl",
    "tapentadol",
    "Emsam",
    "Parnate",
    "Nardil",
    "Zoloft",
    "sertraline hydrochloride",
    "citalopram",
    "aripiprazole",
    "valproate",
    "esketamine",
    "unobtainium",
    "zorblax forte",
]
# Days since stopping: inside and just past the 1-, 14- and 35-day washouts.
STOPPED_DAYS_AGO = [0, 1, 2, 10, 13, 14, 20, 34, 35, 60]
# Drug, adequate dose (mg/day) for the history engine's profiles.
DRUGS = [
    ("sertraline", 150),
    ("venlafaxine", 225),
    ("fluoxetine", 40),
    ("escitalopram", 20),
    ("mirtazapine", 45),
    ("bupropion", 300),
    ("nortriptyline", 100),
]
COURSES = [
    {"kind": "ect", "laterality": "bilateral", "sessions": 12},
    {"kind": "ect", "laterality": "right_unilateral", "sessions": 10},
    {"kind": "tms", "protocol": "rtms", "sessions": 30},
    {"kind": "tms", "protocol": "itbs", "sessions": 30},
    {"kind": "esketamine", "sessions": 8},
    {"kind": "ketamine", "sessions": 6},
    {"kind": "psychotherapy", "modality": "cbt", "sessions": 16},
]
EPISODE_START = date(2023, 1, 10)


def _day(offset: int) -> str:
    return (EPISODE_START + timedelta(days=offset)).isoformat()


@st.composite
def histories(draw: st.DrawFn) -> dict[str, Any]:
    treatments: list[dict[str, Any]] = []
    start = 20
    for index in range(draw(st.integers(0, 4))):
        drug, dose = draw(st.sampled_from(DRUGS))
        weeks = draw(st.sampled_from([3, 6, 10, 12]))
        end = start + weeks * 7
        treatments.append(
            {
                "id": f"t{index}",
                "episode": "e1",
                "kind": "antidepressant",
                "drug": drug,
                "role": "monotherapy",
                "start": _day(start),
                "end": _day(end),
                "doses": [{"from": _day(start), "mg_per_day": draw(st.sampled_from([dose, 10]))}],
                "adherence_pct": draw(st.sampled_from([50, 90])),
                "improvement_pct": draw(st.integers(0, 80)),
                "stopped_for_intolerance": False,
            }
        )
        start = end + 7
    for index, course in enumerate(draw(st.lists(st.sampled_from(COURSES), max_size=2))):
        end = start + 42
        treatments.append(
            {
                **course,
                "id": f"c{index}",
                "episode": "e1",
                "start": _day(start),
                "end": _day(end),
                "improvement_pct": draw(st.integers(0, 80)),
            }
        )
        start = end + 7
    psychotic = draw(st.booleans())
    episode = {
        "id": "e1",
        "start": EPISODE_START.isoformat(),
        "end": None,
        "severity": "severe_with_psychosis" if psychotic else "severe_without_psychosis",
        "psychotic_features": psychotic,
    }
    return {"episodes": [episode], "treatments": treatments}


@st.composite
def fact_item(draw: st.DrawFn, code: str) -> Any:
    if code in DATED and draw(st.booleans()):
        return {"code": code, "on": (AS_OF - timedelta(days=draw(st.integers(0, 400)))).isoformat()}
    if code == "pregnancy" and draw(st.booleans()):
        return {"code": code, "trimester": draw(st.integers(1, 3))}
    return code


@st.composite
def medications(draw: st.DrawFn) -> list[Any] | None:
    if draw(st.booleans()):
        return None
    names = draw(st.lists(st.sampled_from(MEDICATIONS), unique=True, max_size=4))
    return [draw(medication_entry(n)) for n in names]


@st.composite
def medication_entry(draw: st.DrawFn, name: str) -> Any:
    """A current drug (a name), or one stopped some days ago (inside or past its washout)."""
    if draw(st.booleans()):
        return name
    days = draw(st.sampled_from(STOPPED_DAYS_AGO))
    return {"name": name, "stopped_on": (AS_OF - timedelta(days=days)).isoformat()}


@st.composite
def patients(draw: st.DrawFn) -> dict[str, Any]:
    # Most facts are absent or unknown; a few are present (so that not everything is forbidden).
    state = st.sampled_from(["present", "absent", "absent", "unknown", "unknown", "unknown"])
    drawn = draw(st.lists(state, min_size=len(FACTS), max_size=len(FACTS)))
    states = dict(zip(FACTS, drawn, strict=True))
    present = [f for f, s in states.items() if s == "present" and draw(st.integers(0, 3)) == 0]
    absent = [f for f, s in states.items() if s == "absent"]
    raw: dict[str, Any] = {
        "facts": [draw(fact_item(code)) for code in present],
        "absent_facts": absent,
        "preferences": draw(st.lists(st.sampled_from(PREFERENCES), unique=True, max_size=3)),
        "medications": draw(medications()),
    }
    age_kind = draw(st.sampled_from(["age", "date_of_birth", "none"]))
    if age_kind == "age":
        raw["age"] = draw(st.integers(0, 110))
    elif age_kind == "date_of_birth":
        born = AS_OF - timedelta(days=draw(st.integers(0, 110 * 365)))
        raw["date_of_birth"] = born.isoformat()
    if draw(st.booleans()):
        raw["history"] = draw(histories())
    if draw(st.integers(0, 4)) == 0:
        raw["offered"] = draw(st.lists(st.sampled_from(THERAPIES), unique=True, max_size=12))
    return raw
