"""Shapes a history document and its assessment (``HistoryAssessment.to_dict()``) for the
history page: episodes with their treatments in date order, each trial's verdict in plain
words, TRD status under each definition and every staging model. No queries; labels are added
here, at the edge, never in the core."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.history.knowledge import load_profiles
from trdnav.history.forms import KIND_LABELS

REASONS = {
    "dose_below_minimum": "dose below the minimum adequate dose",
    "duration_too_short": "too short at an adequate dose",
    "adherence_insufficient": "adherence too low",
    "not_current_episode": "belongs to an earlier episode",
    "not_an_antidepressant_trial": "not an antidepressant trial under this definition",
}
NOTES = {
    "adherence_not_recorded": "adherence not recorded: assumed adequate (P-B15)",
    "dose_not_assessed": "no minimum dose on file for this agent: dose not judged (P-B13)",
    "min_dose_unverified": "the minimum dose used is unverified",
    "min_dose_supplied": "the minimum dose was supplied with the trial",
    "outcome_not_recorded": "outcome not recorded",
    "stopped_for_intolerance": "stopped for intolerance",
}
STAGING_LABELS = {
    "thase_rush": "Thase–Rush",
    "european": "European staging model",
    "mgh_s": "Massachusetts General Hospital staging (MGH-S)",
    "maudsley": "Maudsley Staging Method",
    "dm_trd": "Dutch Measure for TRD (DM-TRD)",
}
DETAIL_KEYS = ("drug", "agent", "laterality", "protocol", "modality")


def words(code: Any) -> str:
    text = str(code or "")
    if text.startswith("outcome_"):
        return f"outcome {text.removeprefix('outcome_').replace('_', ' ')}: not a failure"
    return REASONS.get(text, text.replace("_", " "))


def profile_label(name: str) -> str:
    profile = load_profiles().get(name)
    return profile.label if profile is not None else name.replace("_", " ")


def verdict(v: Mapping[str, Any]) -> dict[str, Any]:
    """One profile's judgement of a trial, in words."""
    return {
        **v,
        "profile_label": profile_label(str(v.get("profile", ""))),
        "reason_words": [words(r) for r in v.get("reasons", [])],
        "note_words": [NOTES.get(n, words(n)) for n in v.get("notes", [])],
        "outcome_words": words(v.get("outcome")),
    }


def _treatment(index: int, t: Mapping[str, Any], result: Mapping[str, Any]) -> dict[str, Any]:
    trials = {x["id"]: x for x in result.get("trials", [])}
    courses = {x["id"]: x for x in result.get("courses", [])}
    trial = trials.get(t.get("id"))
    detail = next((str(t[k]) for k in DETAIL_KEYS if t.get(k)), "")
    return {
        "index": index,
        "item": t,
        "kind_label": KIND_LABELS.get(str(t.get("kind")), str(t.get("kind"))),
        "title": words(detail) if detail else words(t.get("kind")),
        "doses": t.get("doses") or [],
        "trial": None if trial is None else verdict(trial),
        "others": [verdict(o) for o in (trial or {}).get("other_profiles", [])],
        "course": courses.get(t.get("id")),
        "recorded_outcome": words(t.get("outcome")) if t.get("outcome") else "",
        "course_outcome": words((courses.get(t.get("id")) or {}).get("outcome") or "not recorded"),
    }


def episodes(doc: Mapping[str, Any], result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Episodes by start date, each with its treatments by start date (document order ties)."""
    current = (result.get("current_episode") or {}).get("id")
    treatments = list(enumerate(doc.get("treatments") or []))
    rows = []
    for index, e in sorted(enumerate(doc.get("episodes") or []), key=lambda p: p[1]["start"]):
        own = [(i, t) for i, t in treatments if t.get("episode") == e.get("id")]
        own.sort(key=lambda p: (p[1].get("start", ""), p[0]))
        rows.append(
            {
                "index": index,
                "item": e,
                "current": e.get("id") == current,
                "severity": words(e.get("severity") or "not recorded"),
                "treatments": [_treatment(i, t, result) for i, t in own],
            }
        )
    return rows


def trd(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            **status,
            "code": code,
            "not_counted_words": [
                {"trial": n["trial"], "why": [words(w) for w in n["why"]]}
                for n in status.get("not_counted", [])
            ],
        }
        for code, status in (result.get("trd") or {}).items()
    ]


def _headline(model: Mapping[str, Any]) -> str:
    if "stage" in model and not model["stage"]:
        return "no stage"
    if model.get("stage"):
        return f"stage {words(model['stage'])}"
    if model.get("score") is not None:
        return f"score {model['score']:g}"
    if model.get("total") is not None:
        band = f" ({model['band']})" if model.get("band") else ""
        return f"total {model['total']}{band}"
    return "not available"


def staging(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "label": STAGING_LABELS.get(key, key),
            "headline": _headline(model),
            "explanation": model.get("explanation", ""),
            "error": model.get("error"),
            "policies": model.get("policies", []),
        }
        for key, model in (result.get("staging") or {}).items()
    ]
