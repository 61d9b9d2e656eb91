"""Shapes the core's results for the chart page: option cards, the treatment timeline, TRD status.

Pure presentation: no queries. Human labels are added here, at the edge, never in the core.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from trdnav.core.knowledge.therapies.schema import Entry, Gap, Therapy
from trdnav.core.recommend import OptionResult, Recommendation

TREATMENT_LABEL_KEYS = ("drug", "agent", "protocol", "modality", "laterality")


def _entry(heading: str, entry: Entry) -> dict[str, Any]:
    if isinstance(entry, Gap):
        return {"heading": heading, "text": entry.text, "gap": True}
    return {"heading": heading, "text": entry.text, "gap": False, **entry.cite()}


def what_to_expect(therapy: Therapy) -> list[dict[str, Any]]:
    """Time to effect and the course (sessions, frequency, length), each with its source."""
    parts = [("Time to effect", e) for e in therapy.time_to_effect]
    parts += [("Course", e) for e in therapy.protocol.number_and_frequency]
    parts += [("Session", e) for e in therapy.protocol.session_length]
    return [_entry(heading, entry) for heading, entry in parts]


def option_card(option: OptionResult) -> dict[str, Any]:
    reasons = [reason.to_dict() for reason in option.reasons]
    expect = what_to_expect(option.therapy)
    unverified = any(r.get("status") == "unverified" for r in reasons + expect)
    return {
        **{k: v for k, v in option.to_dict().items() if k not in ("reasons", "score_breakdown")},
        "reasons": reasons,
        "expect": expect,
        "has_unverified": unverified,
    }


def option_cards(recommendation: Recommendation) -> list[dict[str, Any]]:
    """Ranked options first (by rank), then the unranked (contraindicated, not offered…)."""
    ranked = sorted(recommendation.options, key=lambda o: (o.rank is None, o.rank or 0))
    return [option_card(option) for option in ranked]


def _label(treatment: Mapping[str, Any]) -> str:
    kind = str(treatment.get("kind", "")).replace("_", " ")
    detail = next((treatment[k] for k in TREATMENT_LABEL_KEYS if treatment.get(k)), "")
    return f"{kind}: {detail}".replace("_", " ") if detail else kind


def _day(value: Any, fallback: date) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return fallback


def timeline(history: Mapping[str, Any] | None, as_of: date) -> list[dict[str, Any]]:
    """One bar per treatment, placed as a percentage of the span from first start to ``as_of``."""
    treatments = list((history or {}).get("treatments", []))
    if not treatments:
        return []
    starts = [_day(t.get("start"), as_of) for t in treatments]
    first = min(starts)
    span = max((as_of - first).days, 1)
    bars = []
    for treatment, start in sorted(zip(treatments, starts, strict=True), key=lambda p: p[1]):
        end = _day(treatment.get("end"), as_of) if treatment.get("end") else as_of
        left = 100 * (start - first).days / span
        width = max(100 * (end - start).days / span, 0.8)
        bars.append(_bar(treatment, start, end, left, min(width, 100 - left)))
    return bars


def _bar(t: Mapping[str, Any], start: date, end: date, left: float, width: float) -> dict[str, Any]:
    return {
        "id": t.get("id"),
        "label": _label(t),
        "kind": t.get("kind"),
        "start": start.isoformat(),
        "end": None if not t.get("end") else end.isoformat(),
        "outcome": str(t.get("outcome", "")).replace("_", " "),
        "left": round(left, 2),
        "width": round(width, 2),
    }
