"""C-SSRS screen triage and skip-logic checks (Part A7; policies P-A7 and P-A8).

Highest tier wins. A risk answer is never lost: a yes given where the skip logic says the
question should not have been asked is kept, with a warning and a clinician-review flag (P-A7).
Only answers that carry no risk information (a no where no question was due) are ignored, with a
warning. Warnings name questions by number only: the item wording is licensed and not stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from trdnav.core.instruments.loader import load_definition
from trdnav.core.knowledge import fields

CODE = "cssrs_screen"
TIERS = ("none", "low", "moderate", "high")
SINCE_LAST_CONTACT = "since_last_contact"

Answers = Mapping[str, bool | None]


@dataclass(frozen=True)
class TriageRules:
    high_if_yes: tuple[str, ...]
    moderate_if_yes: tuple[str, ...]
    low_if_yes: tuple[str, ...]
    behaviour: str
    behaviour_recent: str
    recent_tier: str
    past_tier: str
    always_asked: tuple[str, ...]
    gate: str
    gated: tuple[str, ...]


@dataclass
class Triage:
    tiers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    review_required: bool = False
    missing: list[str] = field(default_factory=list)

    def risk(self) -> str | None:
        """The highest tier seen; "none" only when nothing is missing."""
        if self.tiers:
            return max(self.tiers, key=TIERS.index)
        return None if self.missing else "none"

    def keep(self, tier: str, warning: str) -> None:
        self.tiers.append(tier)
        self.warnings.append(warning)
        self.review_required = True


@cache
def rules() -> TriageRules:
    algorithm = load_definition(CODE).algorithm
    where = "instruments/cssrs_screen.toml [algorithm]"
    triage = fields.table(algorithm, "triage", where)
    skip = fields.table(algorithm, "skip_logic", where)
    return TriageRules(
        high_if_yes=fields.texts(triage, "high_if_yes", where),
        moderate_if_yes=fields.texts(triage, "moderate_if_yes", where),
        low_if_yes=fields.texts(triage, "low_if_yes", where),
        behaviour=fields.text(triage, "behaviour", where),
        behaviour_recent=fields.text(triage, "behaviour_recent", where),
        recent_tier=fields.text(triage, "behaviour_recent_tier", where),
        past_tier=fields.text(triage, "behaviour_past_tier", where),
        always_asked=fields.texts(skip, "always_asked", where),
        gate=fields.text(skip, "gate", where),
        gated=fields.texts(skip, "gated", where),
    )


def triage(answers: Answers, version: str) -> Triage:
    result = Triage()
    r = rules()
    for tier, keys in (
        ("high", r.high_if_yes),
        ("moderate", r.moderate_if_yes),
        ("low", r.low_if_yes),
    ):
        result.tiers.extend(tier for key in keys if answers.get(key) is True)
    _behaviour(answers, version, result)
    _skip_logic(answers, result)
    _missing(answers, result)
    return result


def _behaviour(answers: Answers, version: str, result: Triage) -> None:
    r = rules()
    ever, recent = answers.get(r.behaviour), answers.get(r.behaviour_recent)
    if version == SINCE_LAST_CONTACT:
        if ever is True:
            result.keep(
                r.recent_tier,
                f"{r.behaviour} = yes in the since-last-contact version, which has "
                "no 3-month follow-up: triaged as recent behaviour (high) (P-A7)",
            )
        return
    if ever is True and recent is None:
        result.keep(
            r.recent_tier,
            f"{r.behaviour} = yes without its 3-month follow-up: treated as within "
            "the past 3 months (high); skip logic not followed (P-A7)",
        )
    elif ever is True:
        result.tiers.append(r.recent_tier if recent else r.past_tier)
    elif recent is True:
        result.keep(
            r.recent_tier,
            f"{r.behaviour_recent} = yes although {r.behaviour} is not yes: "
            "the risk answer is kept (high); skip logic not followed (P-A7)",
        )
    elif recent is False and ever is False:
        result.warnings.append(
            f"{r.behaviour_recent} answered although {r.behaviour} = no: "
            "ignored, it carries no risk information (P-A7)"
        )


def _skip_logic(answers: Answers, result: Triage) -> None:
    r = rules()
    if answers.get(r.gate) is not False:
        return
    for key in r.gated:
        if answers.get(key) is True:
            # The tier was already counted above; here the violation is flagged for review.
            result.warnings.append(
                f"{key} = yes after {r.gate} = no: skip logic not followed; "
                "the risk answer is kept (P-A7)"
            )
            result.review_required = True
        elif answers.get(key) is False:
            result.warnings.append(
                f"{key} = no after {r.gate} = no: ignored, it carries no risk information (P-A7)"
            )


def _missing(answers: Answers, result: Triage) -> None:
    r = rules()
    due = list(r.always_asked) + (list(r.gated) if answers.get(r.gate) is True else [])
    result.missing.extend(key for key in due if answers.get(key) is None)
    if result.missing and result.tiers:
        result.warnings.append(f"incomplete: risk is at least {result.risk()}")
