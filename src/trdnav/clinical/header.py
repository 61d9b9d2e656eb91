"""The chart header that answers "what now?" (issue 13, item 2; policy P-CH4), and the summary
an edit is compared by to say what changed (policy P-CH5).

Pure: built from what the chart page already loaded (the options engine's history summary,
the score series, the courses). Words, not codes: every name comes from the shared
vocabulary (``trdnav.clinical.words``), so the chart says what every other page says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from trdnav.clinical.lifechart import treatment_label
from trdnav.clinical.words import (
    STAGING_MODEL_SHORT_NAMES,
    band_words,
    codes_as_words,
    plain,
    policy_keys,
    stage_words,
)

# The staging models in the order of the ladder, with the names clinicians use.
STAGE_MODELS = tuple(STAGING_MODEL_SHORT_NAMES.items())
NOT_AVAILABLE = "not available"
OPEN_COURSE = ("planned", "active")


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def stage_value(model: str, data: Mapping[str, Any] | None) -> str:
    """One model's result in a few words: "II", "2", "7 (moderate)", "non-responder"."""
    if not data or data.get("error"):
        return NOT_AVAILABLE
    if model == "mgh_s":
        score = data.get("score")
        return NOT_AVAILABLE if score is None else _number(score)
    if model in ("maudsley", "dm_trd"):
        total = data.get("total")
        if total is None:
            return NOT_AVAILABLE
        band = data.get("band")
        return f"{_number(total)} ({band_words(band)})" if band else _number(total)
    stage = data.get("stage")
    if stage is None:
        return NOT_AVAILABLE
    return stage_words(stage)


def stage_ladder(staging: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """Every model, in ladder order, with its value in words."""
    found = staging or {}
    return [
        {"model": key, "name": name, "value": stage_value(key, found.get(key))}
        for key, name in STAGE_MODELS
    ]


def trd_status(history: Mapping[str, Any] | None) -> dict[str, Any]:
    """Met / not met / not established, with the count of adequate failed trials, said once."""
    if not history or history.get("trd_met") is None:
        return {"state": "unknown", "words": "not established", "failed": None}
    met = bool(history["trd_met"])
    failed = history.get("failed_antidepressants")
    return {"state": "met" if met else "not_met", "words": "met" if met else "not met",
            "failed": failed}  # fmt: skip


def latest_scores(
    series: Sequence[Mapping[str, Any]], latest: Iterable[Any]
) -> list[dict[str, Any]]:
    """Each instrument's latest valid total with its change since the baseline (the first
    valid total) and the severity band of its newest assessment, in words."""
    bands = {str(a.instrument): band_words(a.severity) for a in latest if a.total is not None}
    rows = []
    for s in series:
        (first_day, first), (last_day, last) = s["points"][0], s["points"][-1]
        rows.append(
            {
                "label": s["label"],
                "total": last,
                "on": last_day,
                "baseline": first,
                "baseline_on": first_day,
                "change": last - first,
                "single": len(s["points"]) == 1,
                "band": bands.get(str(s["code"]), ""),
            }
        )
    return rows


def current_treatment(history: Mapping[str, Any] | None, courses: Iterable[Any]) -> list[str]:
    """What the patient is on now: open courses first, then history trials with no end."""
    now = [
        f"{c.protocol_name} (course, {c.get_status_display().lower()} from {c.start_date:%Y-%m-%d})"
        for c in courses
        if str(c.status) in OPEN_COURSE
    ]
    for t in (history or {}).get("treatments", []) or []:
        if t.get("start") and not t.get("end"):
            now.append(f"{treatment_label(t)} from {t['start']}")
    return now


def summary_of(history: Mapping[str, Any] | None) -> dict[str, Any]:
    """What an edit is compared by: TRD status, the failed-trial count and every stage."""
    status = trd_status(history)
    ladder = stage_ladder((history or {}).get("staging"))
    return {
        "trd": status["words"],
        "failed": status["failed"],
        "stages": {row["name"]: row["value"] for row in ladder},
    }


def describe_change(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """What changed, in plain words: "TRD status: now met (2 failed adequate trials);
    Thase–Rush I → II", or "No change to TRD status or stages"."""
    parts = []
    if before.get("trd") != after.get("trd"):
        count = after.get("failed")
        counted = (
            f" ({count} failed adequate trial{'s' if count != 1 else ''})"
            if count is not None
            else ""
        )
        parts.append(f"TRD status: now {after.get('trd')}{counted}")
    elif before.get("failed") != after.get("failed") and after.get("failed") is not None:
        parts.append(f"failed adequate trials: {before.get('failed') or 0} → {after.get('failed')}")
    old, new = before.get("stages", {}), after.get("stages", {})
    for name, value in new.items():
        if old.get(name) != value:
            parts.append(f"{name} {old.get(name, NOT_AVAILABLE)} → {value}")
    if not parts:
        return "No change to TRD status or stages."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def definitions(history: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Each TRD definition once: its name, met or not, and the explanation without the name
    repeated at its start (D7)."""
    rows = []
    for key, d in ((history or {}).get("trd") or {}).items():
        name = str(d.get("label") or plain(key))
        text = str(d.get("explanation") or "")
        if text.startswith(name):
            text = text[len(name) :].lstrip(" :—-")
        met = d.get("met")
        status = "met" if met else ("not met" if met is not None else "not established")
        if text.startswith(status):
            text = text[len(status) :].lstrip(" :—-")
        words_only, keys = explained(text.strip("() "))
        rows.append({"name": name, "met": status, "text": words_only, "policies": keys})
    return rows


def explained(text: Any) -> tuple[str, list[str]]:
    """A core explanation in words: any code in it named, any policy key written into it
    taken out (the page shows it as a footnote)."""
    words_only, keys = policy_keys(str(text or ""))
    return codes_as_words(words_only), keys


def stage_details(staging: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Each stage with its explanation in words (and the policy keys it cites), for the
    collapsed detail under the header."""
    found = staging or {}
    rows = []
    for row in stage_ladder(found):
        text, keys = explained((found.get(row["model"]) or {}).get("explanation", ""))
        rows.append({**row, "explanation": text, "policies": keys})
    return rows
