"""Shapes a history document and its assessment (``HistoryAssessment.to_dict()``) for the
history page: episodes with their treatments in date order, each trial's verdict in plain
words, TRD status under each definition and every staging model. No queries; labels are added
here, at the edge, never in the core."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from trdnav.clinical import words as named
from trdnav.core.history.knowledge import load_profiles
from trdnav.core.history.trd import DEFINITIONS_FILE
from trdnav.core.knowledge.loader import load_document
from trdnav.history.forms import KIND_LABELS

REASONS = {
    "dose_below_minimum": "dose below the minimum adequate dose",
    "duration_too_short": "too short at an adequate dose",
    "adherence_insufficient": "adherence too low",
    "not_current_episode": "belongs to an earlier episode",
    "not_an_antidepressant_trial": "not an antidepressant trial under this definition",
}
NOTES = {
    "adherence_not_recorded": "adherence not recorded: assumed adequate",
    "dose_not_assessed": "no minimum dose on file for this agent: dose not judged",
    "min_dose_unverified": "the minimum dose used is unverified",
    "min_dose_supplied": "the minimum dose was supplied with the trial",
    "outcome_not_recorded": "outcome not recorded",
    "stopped_for_intolerance": "stopped for intolerance",
}
# The clinical policy behind a note (shown as a footnote, never inline: P-WD2).
NOTE_POLICIES = {"adherence_not_recorded": "P-B15", "dose_not_assessed": "P-B13"}
DETAIL_KEYS = ("drug", "agent", "laterality", "protocol", "modality")


def words(code: Any) -> str:
    text = str(code or "")
    if text.startswith("outcome_"):
        return f"outcome {text.removeprefix('outcome_').replace('_', ' ')}: not a failure"
    return REASONS.get(text, named.plain(text))


class Footnotes:
    """The clinical policies and sources a page refers to, numbered in order of first
    mention: the page shows a small number where a code used to be written (P-WD2)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def number(self, text: str) -> int:
        if text not in self.texts:
            self.texts.append(text)
        return self.texts.index(text) + 1

    def refs(self, policy_keys: list[str]) -> list[dict[str, Any]]:
        texts = [f"Clinical policy {key}" for key in dict.fromkeys(policy_keys)]
        return [{"number": self.number(text)} for text in texts]

    def source(self, text: str) -> list[dict[str, Any]]:
        return [{"number": self.number(f"Source: {cited(text)}")}] if text else []

    def notes(self) -> list[dict[str, Any]]:
        return [{"text": text, "number": i} for i, text in enumerate(self.texts, start=1)]


_SOURCE_KEY = re.compile(r"\bS\d+\b")


@cache
def _definition_citations() -> dict[str, str]:
    """The reference behind each source key of the TRD definitions ("S17" -> "Sforzini L et
    al. Mol Psychiatry 2022, Table 1"), from the definitions file's provenance."""
    provenance = load_document(DEFINITIONS_FILE).get("provenance") or {}
    found = {}
    for part in str(provenance.get("citation", "")).split(";"):
        key, _, rest = part.strip().partition(" ")
        if _SOURCE_KEY.fullmatch(key):
            found[key] = rest.strip().removeprefix("(").removesuffix(")")
    return found


def cited(text: str) -> str:
    """A source line with each source key followed by the reference it stands for."""
    citations = _definition_citations()
    return _SOURCE_KEY.sub(
        lambda m: f"{m[0]} ({citations[m[0]]})" if m[0] in citations else m[0], text
    )


def profile_label(name: str) -> str:
    profile = load_profiles().get(name)
    return profile.label if profile is not None else name.replace("_", " ")


_PROFILE_KEY = re.compile(r"\[(\w+) profile\]")


def _profile_named(text: str) -> str:
    """The core's "[usual_minimum profile]" as "(under the usual minimum doses profile)"."""
    return _PROFILE_KEY.sub(lambda m: f"(under the {profile_label(m[1])} profile)", text)


def verdict(v: Mapping[str, Any], notes: Footnotes | None = None) -> dict[str, Any]:
    """One profile's judgement of a trial, in words."""
    notes = notes or Footnotes()
    codes = [str(n) for n in v.get("notes", [])]
    return {
        **v,
        "explanation": _profile_named(str(v.get("explanation", ""))),
        "profile_label": profile_label(str(v.get("profile", ""))),
        "reason_words": [words(r) for r in v.get("reasons", [])],
        "note_words": [NOTES.get(n, words(n)) for n in codes],
        "note_refs": notes.refs([NOTE_POLICIES[n] for n in codes if n in NOTE_POLICIES]),
        "outcome_words": words(v.get("outcome")),
    }


def _treatment(
    index: int,
    t: Mapping[str, Any],
    result: Mapping[str, Any],
    names: Mapping[str, str],
    notes: Footnotes,
) -> dict[str, Any]:
    trials = {x["id"]: x for x in result.get("trials", [])}
    courses = {x["id"]: x for x in result.get("courses", [])}
    trial = trials.get(t.get("id"))
    detail = next((str(t[k]) for k in DETAIL_KEYS if t.get(k)), "")
    return {
        "index": index,
        "item": t,
        "kind_label": KIND_LABELS.get(str(t.get("kind")), str(t.get("kind"))),
        "title": named.drug_name(detail) if detail else words(t.get("kind")),
        "name": named.treatment_name(t),
        "partner": names.get(str(t.get("with") or t.get("augments") or ""), ""),
        "doses": t.get("doses") or [],
        "trial": None if trial is None else verdict(trial, notes),
        "others": [verdict(o, notes) for o in (trial or {}).get("other_profiles", [])],
        "course": courses.get(t.get("id")),
        "recorded_outcome": words(t.get("outcome")) if t.get("outcome") else "",
        "course_outcome": words((courses.get(t.get("id")) or {}).get("outcome") or "not recorded"),
    }


def trial_names(doc: Mapping[str, Any] | None) -> dict[str, str]:
    """Each treatment's id and its name in words ("fluoxetine trial (Mar 2019 – Sep 2019)")."""
    return {
        str(t.get("id")): named.treatment_name(t)
        for t in (doc or {}).get("treatments") or []
        if isinstance(t, Mapping)
    }


def episodes(
    doc: Mapping[str, Any], result: Mapping[str, Any], notes: Footnotes | None = None
) -> list[dict[str, Any]]:
    """Episodes by start date, each with its treatments by start date (document order ties)."""
    notes = notes or Footnotes()
    names = trial_names(doc)
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
                "name": named.episode_name(e),
                "treatments": [_treatment(i, t, result, names, notes) for i, t in own],
            }
        )
    return rows


def trd(
    result: Mapping[str, Any],
    doc: Mapping[str, Any] | None = None,
    notes: Footnotes | None = None,
) -> list[dict[str, Any]]:
    names = trial_names(doc)
    notes = notes or Footnotes()
    return [
        {
            **status,
            "code": code,
            "rule": _without_keys(str(status.get("rule", "")))[0],
            "explanation": _without_keys(str(status.get("explanation", "")))[0],
            "policy_refs": notes.refs(
                _without_keys(str(status.get("rule", "")))[1]
                + _without_keys(str(status.get("explanation", "")))[1]
            )
            + notes.source(str(status.get("source", ""))),
            "counted_words": [
                {
                    "treatment": named.drug_name(c.get("treatment")),
                    "class": str(c.get("class") or "").upper(),
                    "trials": [names.get(str(x), str(x)) for x in c.get("trials", [])],
                }
                for c in status.get("counted", [])
            ],
            "not_counted_words": [
                {
                    "trial": names.get(str(n["trial"]), str(n["trial"])),
                    "why": [words(w) for w in n["why"]],
                }
                for n in status.get("not_counted", [])
            ],
        }
        for code, status in (result.get("trd") or {}).items()
    ]


def _headline(model: Mapping[str, Any]) -> str:
    if "stage" in model and not model["stage"]:
        return "no stage"
    if model.get("stage"):
        return f"stage {named.stage_words(model['stage'])}"
    if model.get("score") is not None:
        return f"score {model['score']:g}"
    if model.get("total") is not None:
        band = f" ({named.band_words(model['band'])})" if model.get("band") else ""
        return f"total {model['total']}{band}"
    return "not available"


def staging(result: Mapping[str, Any], notes: Footnotes | None = None) -> list[dict[str, Any]]:
    notes = notes or Footnotes()
    return [
        {
            "key": key,
            "label": named.staging_model_name(key),
            "headline": _headline(model),
            "explanation": _without_keys(str(model.get("explanation", "")))[0],
            "error": model.get("error"),
            "policies": model.get("policies", []),
            "policy_refs": notes.refs(
                [*model.get("policies", []), *_without_keys(str(model.get("explanation", "")))[1]]
            ),
        }
        for key, model in (result.get("staging") or {}).items()
    ]


def _without_keys(text: str) -> tuple[str, list[str]]:
    """A core explanation with any policy key written into it moved out (to a footnote), and
    any code in it named."""
    words_only, keys = named.policy_keys(text)
    return named.codes_as_words(_profile_named(words_only)), keys
