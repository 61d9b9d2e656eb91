"""Personas early in resistance, or not resistant yet."""

from __future__ import annotations

from datetime import date
from typing import Any

from trdnav.demo.personas.builders import course, drug


def ben() -> dict[str, Any]:
    """Ben Hartley, 35, a teacher, has had moderate depression since January 2025. Escitalopram
    raised to 20 mg for about ten weeks and duloxetine raised to 120 mg for thirteen weeks, both
    taken reliably, each helped by 20% or less: two adequate failures of an SSRI and an SNRI.
    A course of CBT brought a partial response. He is the textbook case of early TRD.
    """
    return {
        "name": "Ben Hartley",
        "age": 35,
        "as_of": date(2026, 3, 1),
        "facts": (),
        "history": {
            "episodes": [
                {"id": "current", "start": "2025-01-15", "end": None, "severity": "moderate"}
            ],
            "treatments": [
                drug(
                    "escitalopram",
                    "escitalopram",
                    "2025-03-01",
                    "2025-05-15",
                    [("2025-03-01", 10), ("2025-03-29", 20)],
                    adherence_pct=95,
                    improvement_pct=10,
                ),
                drug(
                    "duloxetine",
                    "duloxetine",
                    "2025-06-01",
                    "2025-09-01",
                    [("2025-06-01", 60), ("2025-07-06", 120)],
                    adherence_pct=90,
                    improvement_pct=20,
                    dose_optimised=True,
                ),
                course(
                    "cbt",
                    "psychotherapy",
                    "2025-09-15",
                    "2026-01-10",
                    modality="cbt",
                    sessions=16,
                    improvement_pct=30,
                ),
            ],
        },
    }


def carla() -> dict[str, Any]:
    """Carla Mendes, 52, was referred as "failed five antidepressants". Fluoxetine was stopped
    after three weeks for nausea; sertraline was never raised above 25 mg; citalopram was taken
    about half the time; mirtazapine was stopped after four weeks. Only venlafaxine 75 mg for
    eight weeks, taken reliably, was a real trial — adequate by the usual minimum dose, but too
    low by the conservative ATRQ-style threshold of 150 mg. She is not treatment-resistant
    yet: what she needs is one properly dosed, properly long trial.
    """
    return {
        "name": "Carla Mendes",
        "age": 52,
        "as_of": date(2025, 9, 1),
        "facts": (),
        "history": {
            "episodes": [
                {"id": "current", "start": "2024-10-01", "end": None, "severity": "moderate"}
            ],
            "treatments": [
                drug(
                    "fluoxetine",
                    "fluoxetine",
                    "2024-10-15",
                    "2024-11-05",
                    [("2024-10-15", 20)],
                    adherence_pct=100,
                    outcome="intolerance",
                    stopped_for_intolerance=True,
                    notes="nausea",
                ),
                drug(
                    "sertraline",
                    "sertraline",
                    "2024-11-15",
                    "2025-01-24",
                    [("2024-11-15", 25)],
                    adherence_pct=95,
                    improvement_pct=5,
                ),
                drug(
                    "citalopram",
                    "citalopram",
                    "2025-02-01",
                    "2025-03-29",
                    [("2025-02-01", 20)],
                    adherence_pct=50,
                    improvement_pct=0,
                ),
                drug(
                    "venlafaxine",
                    "venlafaxine",
                    "2025-04-07",
                    "2025-06-02",
                    [("2025-04-07", 75)],
                    adherence_pct=90,
                    improvement_pct=10,
                ),
                drug(
                    "mirtazapine",
                    "mirtazapine",
                    "2025-06-10",
                    "2025-07-08",
                    [("2025-06-10", 15)],
                    adherence_pct=100,
                    improvement_pct=0,
                ),
            ],
        },
    }


def george() -> dict[str, Any]:
    """George Alvarez, 58, has moderate depression since February 2025 and hypertension that is
    not controlled despite three drugs. Sertraline 100 mg and bupropion 300 mg each failed after
    adequate trials, and a course of thirty iTBS sessions helped only 20%. He is treatment-
    resistant; his blood pressure matters when ketamine or esketamine is considered.
    """
    return {
        "name": "George Alvarez",
        "age": 58,
        "as_of": date(2026, 1, 15),
        "facts": ("uncontrolled_hypertension",),
        "history": {
            "episodes": [
                {"id": "current", "start": "2025-02-01", "end": None, "severity": "moderate"}
            ],
            "treatments": [
                drug(
                    "sertraline",
                    "sertraline",
                    "2025-02-15",
                    "2025-05-01",
                    [("2025-02-15", 100)],
                    adherence_pct=90,
                    improvement_pct=5,
                ),
                drug(
                    "bupropion",
                    "bupropion",
                    "2025-05-15",
                    "2025-08-15",
                    [("2025-05-15", 150), ("2025-06-01", 300)],
                    adherence_pct=90,
                    improvement_pct=10,
                ),
                course(
                    "itbs",
                    "tms",
                    "2025-10-01",
                    "2025-11-10",
                    protocol="itbs",
                    sessions=30,
                    improvement_pct=20,
                ),
            ],
        },
    }


def iris() -> dict[str, Any]:
    """Iris Nakamura, 27, a graduate student with a cochlear implant, is five weeks into her
    first depressive episode's first treatment: escitalopram 10 mg, 15% better so far. It is too
    early to call anything a failure; she is not treatment-resistant and has no stage.
    """
    return {
        "name": "Iris Nakamura",
        "age": 27,
        "as_of": date(2026, 6, 20),
        "facts": ("cochlear_implant",),
        "history": {
            "episodes": [
                {"id": "current", "start": "2026-05-01", "end": None, "severity": "moderate"}
            ],
            "treatments": [
                drug(
                    "escitalopram",
                    "escitalopram",
                    "2026-05-15",
                    None,
                    [("2026-05-15", 10)],
                    adherence_pct=100,
                    improvement_pct=15,
                ),
            ],
        },
    }
