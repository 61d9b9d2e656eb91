"""Personas whose depression has resisted several adequate treatments."""

from __future__ import annotations

from datetime import date
from typing import Any

from trdnav.demo.personas.builders import augment, course, drug


def dana() -> dict[str, Any]:
    """Dana Okafor, 41, has a severe depressive episode with mood-congruent delusions of guilt
    since September 2025, and has made a recent suicide attempt (high risk). Sertraline 150 mg
    for ten weeks did nothing; venlafaxine raised to 225 mg, with olanzapine added for the
    psychotic symptoms, gave only 15% improvement. Her first episode, in 2019, remitted on
    fluoxetine. Two adequate failures in this episode make her treatment-resistant; the
    psychosis puts her Maudsley severity at its maximum, and ECT is the obvious question.
    """
    return {
        "name": "Dana Okafor",
        "age": 41,
        "as_of": date(2026, 4, 1),
        "facts": ("psychotic_features", "high_suicide_risk"),
        "history": {
            "episodes": [
                {"id": "first", "start": "2019-02-01", "end": "2019-10-01", "severity": "moderate"},
                {
                    "id": "current",
                    "start": "2025-09-01",
                    "end": None,
                    "severity": "severe_with_psychosis",
                    "psychotic_features": True,
                },
            ],
            "treatments": [
                drug(
                    "fluoxetine-2019",
                    "fluoxetine",
                    "2019-02-15",
                    "2019-12-01",
                    [("2019-02-15", 20)],
                    episode="first",
                    adherence_pct=90,
                    outcome="remission",
                ),
                drug(
                    "sertraline",
                    "sertraline",
                    "2025-09-15",
                    "2025-11-24",
                    [("2025-09-15", 50), ("2025-09-22", 150)],
                    adherence_pct=90,
                    improvement_pct=10,
                ),
                drug(
                    "venlafaxine",
                    "venlafaxine",
                    "2025-12-01",
                    "2026-03-01",
                    [("2025-12-01", 75), ("2025-12-15", 225)],
                    adherence_pct=95,
                    improvement_pct=15,
                ),
                augment(
                    "olanzapine",
                    "olanzapine",
                    "venlafaxine",
                    "2026-01-15",
                    "2026-03-01",
                    10,
                    adherence_pct=95,
                    improvement_pct=15,
                ),
            ],
        },
    }


def ed() -> dict[str, Any]:
    """Ed Kowalski, 63, a retired engineer, has had severe depression without psychosis since
    March 2024. Sertraline 200 mg and venlafaxine 300 mg each failed after adequate trials;
    lithium added to venlafaxine for six weeks did not help. A course of twelve bitemporal
    (bilateral) ECT treatments brought only 20% improvement. A failed bilateral ECT course
    weighs heavily in the Maudsley and MGH scores but does not raise his Thase–Rush stage,
    because he has never had a TCA or MAOI.
    """
    return {
        "name": "Ed Kowalski",
        "age": 63,
        "as_of": date(2025, 6, 1),
        "facts": (),
        "history": {
            "episodes": [
                {
                    "id": "current",
                    "start": "2024-03-01",
                    "end": None,
                    "severity": "severe_without_psychosis",
                }
            ],
            "treatments": [
                drug(
                    "sertraline",
                    "sertraline",
                    "2024-03-15",
                    "2024-05-31",
                    [("2024-03-15", 100), ("2024-04-01", 200)],
                    adherence_pct=95,
                    improvement_pct=10,
                ),
                drug(
                    "venlafaxine",
                    "venlafaxine",
                    "2024-06-10",
                    "2024-09-01",
                    [("2024-06-10", 150), ("2024-06-24", 300)],
                    adherence_pct=95,
                    improvement_pct=15,
                ),
                augment(
                    "lithium",
                    "lithium",
                    "venlafaxine",
                    "2024-07-20",
                    "2024-09-01",
                    900,
                    adherence_pct=90,
                    improvement_pct=10,
                ),
                course(
                    "ect",
                    "ect",
                    "2024-10-01",
                    "2024-11-15",
                    laterality="bitemporal",
                    sessions=12,
                    improvement_pct=20,
                ),
            ],
        },
    }


def farah() -> dict[str, Any]:
    """Farah Haddad, 48, has been severely depressed since January 2021, after an earlier
    episode in 2015 that remitted on citalopram. In this episode she has had adequate trials of
    fluoxetine, venlafaxine, bupropion (with aripiprazole added), nortriptyline, mirtazapine and
    phenelzine raised to 90 mg, then a course of bilateral ECT, all without response; esketamine
    gave a partial response. Every class has failed, a TCA and an MAOI included, then ECT:
    Thase–Rush stage V, Maudsley severe, chronic resistant depression.
    """
    return {
        "name": "Farah Haddad",
        "age": 48,
        "as_of": date(2024, 1, 15),
        "facts": (),
        "history": {
            "episodes": [
                {"id": "2015", "start": "2015-03-01", "end": "2015-11-01", "severity": "mild"},
                {
                    "id": "current",
                    "start": "2021-01-10",
                    "end": None,
                    "severity": "severe_without_psychosis",
                },
            ],
            "treatments": [
                drug(
                    "citalopram-2015",
                    "citalopram",
                    "2015-03-15",
                    "2015-12-01",
                    [("2015-03-15", 20)],
                    episode="2015",
                    improvement_pct=80,
                ),
                drug(
                    "fluoxetine",
                    "fluoxetine",
                    "2021-02-01",
                    "2021-04-15",
                    [("2021-02-01", 20), ("2021-02-22", 40)],
                    adherence_pct=90,
                    improvement_pct=10,
                ),
                drug(
                    "venlafaxine",
                    "venlafaxine",
                    "2021-05-01",
                    "2021-07-31",
                    [("2021-05-01", 150), ("2021-05-15", 225)],
                    adherence_pct=90,
                    improvement_pct=5,
                ),
                drug(
                    "bupropion",
                    "bupropion",
                    "2021-08-15",
                    "2021-11-01",
                    [("2021-08-15", 150), ("2021-08-22", 300)],
                    adherence_pct=90,
                    improvement_pct=10,
                ),
                augment(
                    "aripiprazole",
                    "aripiprazole",
                    "bupropion",
                    "2021-09-20",
                    "2021-11-01",
                    5,
                    adherence_pct=90,
                    improvement_pct=10,
                ),
                drug(
                    "nortriptyline",
                    "nortriptyline",
                    "2021-11-15",
                    "2022-02-15",
                    [("2021-11-15", 50), ("2021-11-29", 100)],
                    adherence_pct=85,
                    improvement_pct=15,
                ),
                drug(
                    "mirtazapine",
                    "mirtazapine",
                    "2022-03-01",
                    "2022-05-15",
                    [("2022-03-01", 30), ("2022-03-15", 45)],
                    adherence_pct=95,
                    improvement_pct=0,
                ),
                drug(
                    "phenelzine",
                    "phenelzine",
                    "2022-06-15",
                    "2022-10-01",
                    [("2022-06-15", 60), ("2022-08-01", 90)],
                    adherence_pct=90,
                    improvement_pct=10,
                    dose_optimised=True,
                ),
                course(
                    "ect",
                    "ect",
                    "2023-01-10",
                    "2023-02-28",
                    laterality="bilateral",
                    sessions=12,
                    improvement_pct=10,
                ),
                course(
                    "esketamine",
                    "esketamine",
                    "2023-06-01",
                    "2023-09-01",
                    sessions=20,
                    improvement_pct=30,
                ),
            ],
        },
    }
