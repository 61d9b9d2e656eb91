"""The cards of the ``patient-view`` service (CDS Hooks 2.0, "Card Attributes").

Every card has a ``uuid`` (feedback names it), a one-sentence ``summary`` under 140
characters, an ``indicator`` (``critical`` for a positive suicidality item, ``warning`` for an
urgent condition, ``info`` otherwise), a ``source`` (label and absolute URL), a Markdown
``detail`` and absolute ``links``. The words and the decisions are the core's: a card shows
what the engine concluded and never adds a rule of its own; the options are the engine's
ranked ones, which never include a contraindicated option (policy P-O2).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from trdnav.core.errors import FieldError
from trdnav.core.instruments.registry import get_instrument
from trdnav.core.recommend import OptionResult, Recommendation
from trdnav.interop.observation import ScoreRecord

SUMMARY_LIMIT = 139  # the spec: "<140-character summary"
TOP_OPTIONS = 3
SOURCE_LABEL = "TRD Navigator"
Card = dict[str, Any]


@dataclass(frozen=True)
class Links:
    """Absolute addresses: the site's base, and the matched patient's page if any."""

    base: str
    patient_page: str | None

    def absolute(self, path: str) -> str:
        return self.base + path

    def source(self) -> dict[str, str]:
        return {"label": SOURCE_LABEL, "url": self.absolute(reverse("guide:index"))}

    def app(self) -> list[dict[str, str]]:
        if self.patient_page is None:
            return []
        label = "Open the patient in TRD Navigator"
        return [{"label": label, "url": self.patient_page, "type": "absolute"}]

    def treatment(self, therapy_id: str, name: str) -> dict[str, str]:
        url = self.absolute(reverse("guide:treatment", args=[therapy_id]))
        return {"label": f"About {name}", "url": url, "type": "absolute"}


def summary(text: str) -> str:
    """One line under 140 characters (cut at a word, with an ellipsis)."""
    line = " ".join(text.split())
    if len(line) <= SUMMARY_LIMIT:
        return line
    return line[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def card(
    text: str, indicator: str, detail: str, links: Links, extra: Iterable[dict[str, str]] = ()
) -> Card:
    out: Card = {
        "uuid": str(uuid.uuid4()),
        "summary": summary(text),
        "indicator": indicator,
        "detail": detail,
        "source": links.source(),
    }
    chosen = [*extra, *links.app()]
    if chosen:
        out["links"] = chosen
    return out


def _md(text: object) -> str:
    """Plain text inside Markdown: characters that would format are escaped."""
    out = str(text)
    for char in "\\`*_[]<>#|":
        out = out.replace(char, "\\" + char)
    return out


def safety_cards(scores: Sequence[ScoreRecord], links: Links) -> list[Card]:
    cards = []
    for score in scores:
        if score.safety != "positive":
            continue
        name = get_instrument(score.instrument).definition.abbreviation
        when = score.effective.isoformat() if score.effective else "date not recorded"
        detail = (
            f"The latest **{_md(name)}** ({when}) has a positive answer on its suicidality "
            "item. Assess suicide risk today and follow the clinic's safety procedure."
        )
        if score.safety_priority == "high":
            detail += "\n\nThe form marks this answer as **high priority**."
        text = f"Positive suicidality item on the latest {name} ({when}): assess risk today"
        cards.append(card(text, "critical", detail, links))
    return cards


def urgent_cards(recommendation: Recommendation, links: Links) -> list[Card]:
    return [
        card(f"Urgent: {reason.text}", "warning", _md(reason.text), links)
        for reason in recommendation.urgent_conditions
    ]


def _trd_line(trd: Mapping[str, Any]) -> str:
    met = "met" if trd.get("met") else "not met"
    return f"- **{_md(trd.get('label', ''))}**: {met}. {_md(trd.get('explanation', ''))}"


def _stage_line(model: str, stage: Mapping[str, Any]) -> str:
    return f"- **{_md(model)}**: {_md(stage.get('explanation', ''))}"


def _basis(history: Mapping[str, Any]) -> list[str]:
    lines = ["", "**Basis** (counted failed trials, common definition):"]
    common = (history.get("trd") or {}).get("common") or {}
    for counted in common.get("counted", []):
        trials = ", ".join(counted.get("trials", []))
        lines.append(
            f"- {_md(counted.get('treatment'))} ({_md(counted.get('class'))}): {_md(trials)}"
        )
    for skipped in common.get("not_counted", []):
        why = ", ".join(skipped.get("why", []))
        lines.append(f"- not counted: {_md(skipped.get('trial'))} ({_md(why)})")
    return lines


def _stage_summary(staging: Mapping[str, Any]) -> str:
    parts = []
    thase = staging.get("thase_rush") or {}
    if thase.get("stage"):
        parts.append(f"Thase–Rush stage {thase['stage']}")
    maudsley = staging.get("maudsley") or {}
    if maudsley.get("total") is not None:
        parts.append(f"Maudsley {maudsley['total']} ({maudsley.get('band')})")
    return ", ".join(parts)


def status_card(recommendation: Recommendation, skipped: Mapping[str, int], links: Links) -> Card:
    data = recommendation.to_dict()
    history = data["history"]
    trd = data["trd_status"]
    failed = trd.get("failed_antidepressants")
    verdict = "met" if trd.get("met") else "not met"
    text = f"TRD criteria {verdict} ({failed} failed adequate antidepressant trials)"
    stages = _stage_summary(history.get("staging") or {})
    text += f"; {stages}" if stages else ""
    lines = ["**TRD status** (current episode):"]
    lines += [_trd_line(t) for t in (history.get("trd") or {}).values()]
    lines += ["", "**Stage**:"]
    lines += [_stage_line(m, s) for m, s in (history.get("staging") or {}).items()]
    lines += _basis(history)
    lines += _footer(data, skipped)
    return card(text, "info", "\n".join(lines), links)


# Why: the core reads courses only as entries of the treatment history (with their outcome),
# which have no FHIR form; the session Procedures carry no outcome, so they are not read
# (policy P-CDS2).
COURSES_NOT_READ = (
    "ECT, TMS, ketamine, esketamine and psychotherapy courses are not in the FHIR data read "
    "here, so TRD status and stages leave them out; session Procedures are not read, as they "
    "carry no course outcome."
)


def _footer(data: Mapping[str, Any], skipped: Mapping[str, int]) -> list[str]:
    lines = ["", f"Knowledge base {_md(data['knowledge_version'])}, as of {data['as_of']}."]
    ignored = {k: n for k, n in skipped.items() if n}
    if ignored:
        counts = ", ".join(f"{n} {k}" for k, n in ignored.items())
        lines.append(f"Not read (not in TRD Navigator's FHIR profile): {_md(counts)}.")
    lines.append(COURSES_NOT_READ)
    return lines


def no_history_card(skipped: Mapping[str, int], links: Links) -> Card:
    detail = (
        "The EHR holds no depressive episode recorded in TRD Navigator's FHIR profile, so TRD "
        "status, stage and already-failed options are unknown. Record the treatment history "
        "in TRD Navigator (or import its FHIR export into the EHR)."
    )
    ignored = sum(skipped.values())
    if ignored:
        detail += f"\n\n{ignored} resources were not in that profile and were not read."
    text = "No treatment history from TRD Navigator: TRD status and stage unknown"
    return card(text, "info", detail, links)


def invalid_history_card(errors: Sequence[FieldError], links: Links) -> Card:
    lines = ["The treatment history in the EHR cannot be assessed:", ""]
    lines += [f"- `{_md(e.field)}`: {_md(e.message)}" for e in errors[:10]]
    text = "Treatment history in the EHR cannot be assessed: see details"
    return card(text, "warning", "\n".join(lines), links)


def _option_detail(option: OptionResult) -> str:
    lines = [f"Status: **{option.status.value.replace('_', ' ')}**, rank {option.rank}.", ""]
    for reason in option.reasons:
        cite = f" — {_md(reason.fact.citation)}" if reason.fact is not None else ""
        lines.append(f"- {_md(reason.text)}{cite}")
    return "\n".join(lines)


def option_cards(recommendation: Recommendation, links: Links) -> list[Card]:
    """The engine's top-ranked options; ranking leaves out contraindicated ones (P-O2)."""
    cards = []
    for option in recommendation.ranked()[:TOP_OPTIONS]:
        name = option.therapy.name
        text = f"Option {option.rank} to consider: {name} ({option.status.value.replace('_', ' ')})"
        evidence = [links.treatment(option.id, name)]
        cards.append(card(text, "info", _option_detail(option), links, evidence))
    return cards
