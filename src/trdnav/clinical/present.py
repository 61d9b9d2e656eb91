"""Shapes the core's results for the chart page: option cards, their triage, warnings.

Pure presentation: no queries. Human labels are added here, at the edge, never in the core.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from trdnav.clinical.fact_words import (
    SEVERITY_ORDER,
    WARNING_KIND_WORDS,
    fact_label,
    severity_words,
    status_words,
    where_to_record,
)
from trdnav.clinical.words import (
    TREATMENT_KIND_WORDS,
    codes_as_words,
    detail_words,
    evidence_words,
    policy_keys,
)
from trdnav.core.knowledge.clinician_groups import ClinicianGroups
from trdnav.core.knowledge.therapies import TherapyKnowledge
from trdnav.core.knowledge.therapies.schema import Entry, Gap, Therapy
from trdnav.core.recommend import OptionResult, Recommendation


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


def _unknown_items(unknowns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An option's unknowns, one line per fact (with the rules waiting on it)."""
    by_fact: dict[str, list[str]] = {}
    for item in unknowns:
        by_fact.setdefault(str(item.get("fact")), []).append(str(item.get("rule", "")))
    return [
        {"fact": fact, "label": fact_label(fact), "rules": rules} for fact, rules in by_fact.items()
    ]


def _in_words(reason: dict[str, Any], unknowns: list[dict[str, Any]]) -> dict[str, Any]:
    """An ``unknown`` reason names fact codes ("Not yet checked: bipolar_spectrum — …"); the
    chart names them in words. Any other reason, or an unexpected text, is left as it is."""
    head, dash, rest = str(reason.get("text", "")).partition(" — ")
    facts = [str(u.get("fact")) for u in unknowns if u.get("rule") == reason.get("rule")]
    if reason.get("kind") != "unknown" or not head.startswith("Not yet checked") or not dash:
        return reason
    if not facts:
        return reason
    words = ", ".join(fact_label(fact) for fact in dict.fromkeys(facts))
    return {**reason, "text": f"Not yet checked: {words} — {rest}"}


# The engine's reason texts name an evidence tier and a failed treatment by their codes
# ("Evidence (trd rct strong): …", "ect (laterality right_unilateral; trial ect)").
_EVIDENCE_TIER = re.compile(r"^Evidence \(([a-z ]+)\): ")
_FAILED_ITEM = re.compile(
    r"\b(antidepressant|augmentation|ect|tms|ketamine|esketamine|psychotherapy)"
    r" \((?:([^;()]*); )?trial [^()]*\)"
)
_NAMED_FIELDS = ("drug", "agent", "protocol", "modality", "laterality")


def _failed_item_words(match: re.Match[str]) -> str:
    """A failed treatment by its name ("phenelzine trial", "right unilateral ECT course"),
    without the history's entry ids."""
    kind, described = match[1], match[2] or ""
    fields = dict(part.partition(" ")[::2] for part in described.split(", ") if part)
    detail = next((fields[k] for k in _NAMED_FIELDS if fields.get(k)), "")
    noun = TREATMENT_KIND_WORDS.get(kind, kind)
    return f"{detail_words(detail)} {noun}" if detail else noun


def reason_words(text: Any) -> tuple[str, list[str]]:
    """An engine reason in words, and the policy keys written into it (for footnotes)."""
    said = _EVIDENCE_TIER.sub(lambda m: f"Evidence, {evidence_words(m[1])}: ", str(text or ""))
    said = _FAILED_ITEM.sub(_failed_item_words, said)
    words_only, keys = policy_keys(said)
    return codes_as_words(words_only), keys


def worded(item: Mapping[str, Any]) -> dict[str, Any]:
    text, keys = reason_words(item.get("text"))
    return {**item, "text": text, "policies": keys}


def _interaction(item: dict[str, Any]) -> dict[str, Any]:
    return {**worded(item), "severity_words": severity_words(item.get("severity"))}


def option_card(option: OptionResult) -> dict[str, Any]:
    data = option.to_dict()
    unknowns = list(data.get("unknowns", []))
    reasons = [worded(_in_words(reason.to_dict(), unknowns)) for reason in option.reasons]
    expect = [worded(e) for e in what_to_expect(option.therapy)]
    interactions = [_interaction(i) for i in data.get("interactions", [])]
    unverified = any(r.get("status") == "unverified" for r in reasons + expect + interactions)
    hidden = ("reasons", "score_breakdown", "unknowns", "interactions")
    return {
        **{k: v for k, v in data.items() if k not in hidden},
        "status_words": status_words(option.status.value),
        "reasons": reasons,
        "expect": expect,
        "unknowns": _unknown_items(unknowns),
        "interactions": interactions,
        "has_unverified": unverified,
    }


def option_cards(recommendation: Recommendation) -> list[dict[str, Any]]:
    """Ranked options first (by rank), then the unranked (contraindicated, not offered…)."""
    ranked = sorted(recommendation.options, key=lambda o: (o.rank is None, o.rank or 0))
    return [option_card(option) for option in ranked]


def _severity_rank(severity: Any) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def top_warnings(data: list[Any]) -> list[dict[str, Any]]:
    """The recommendation's top-level warnings: interactions in the current list first, then
    by severity (most serious first), each with its kind and severity in words."""
    found = [w if isinstance(w, Mapping) else {"kind": "history", "text": str(w)} for w in data]

    def order(pair: tuple[int, Mapping[str, Any]]) -> tuple[bool, int, int]:
        at, warning = pair
        return warning.get("kind") != "interaction", _severity_rank(warning.get("severity")), at

    ordered = sorted(enumerate(found), key=order)
    return [
        {
            **worded(w),
            "kind_words": WARNING_KIND_WORDS.get(str(w.get("kind")), str(w.get("kind", ""))),
            "severity_words": severity_words(w.get("severity")),
        }
        for _, w in ordered
    ]


def to_check(
    data: list[Mapping[str, Any]], names: Mapping[str, str], knowledge: TherapyKnowledge
) -> list[dict[str, Any]]:
    """The "To check before deciding" panel: each unknown in words, what it means, where to
    record it, and the options (by name) that wait on it."""
    vocabulary = knowledge.vocabulary
    rows = []
    for item in data:
        code = str(item.get("fact"))
        entry = vocabulary.facts.get(code) or vocabulary.groups.get(code)
        rows.append(
            {
                "fact": code,
                "label": fact_label(code),
                "meaning": entry.meaning if entry is not None else "",
                "where": where_to_record(code),
                "options": [names.get(o, o) for o in item.get("options", [])],
                "rules": list(item.get("rules", [])),
            }
        )
    return rows


TOP_OPTIONS = 5
# Statuses that may be offered now: the only ones the top five and the kind groups hold.
OPEN_STATUSES = ("suitable", "caution")
CONTRAINDICATION_KINDS = ("absolute_contraindication",)


def _contraindication_reasons(card: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = [r for r in card["reasons"] if r.get("kind") in CONTRAINDICATION_KINDS]
    return found or [r for r in card["reasons"] if r.get("kind") != "favour"][:1]


def triage(
    cards: list[dict[str, Any]], groups: ClinicianGroups, knowledge: TherapyKnowledge
) -> dict[str, Any]:
    """The options as a busy clinician reads them (issue 13, item 2; policy P-CH3): the top
    five open options (suitable or caution, in the engine's rank order) with their reasons;
    the rest, never a contraindicated one, grouped by kind (the knowledge base's clinician
    groups); the contraindicated ones apart, each with its reason. Presentation only: the
    engine's statuses and ranks are shown as they are."""
    open_cards = [c for c in cards if c["status"] in OPEN_STATUSES]
    top = open_cards[:TOP_OPTIONS]
    shown = {c["id"] for c in top}
    contraindicated = [
        {**c, "why_not": _contraindication_reasons(c)}
        for c in cards
        if c["status"] == "contraindicated"
    ]
    members: dict[str, list[dict[str, Any]]] = {g.id: [] for g in groups.groups}
    for card in cards:
        if card["id"] in shown or card["status"] == "contraindicated":
            continue
        members[groups.group_of(knowledge.therapy(card["id"]))].append(card)
    return {
        "top": top,
        "groups": [
            {"id": g.id, "title": g.title, "options": members[g.id]}
            for g in groups.groups
            if members[g.id]
        ],
        "contraindicated": contraindicated,
        "any_unverified": any(c["has_unverified"] for c in cards),
    }
