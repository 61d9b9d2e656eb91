"""Words for what people read: the one place that turns the product's codes into names.

The core speaks in codes (``thase_rush``, ``already_failed``, ``moderately_severe``,
``fluoxetine-2019``, ``P-B13``); pages and printouts must not (docs/clinical-policies.md, P-WD1).
Every page names things through these functions, or through the template filters of the same
names (``{% load words %}``), so a name is written once. Facts' names and the options' status
words live in ``fact_words`` (the profile form's vocabulary) and are re-exported here.

Presentation only: nothing here changes what a code means.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from trdnav.clinical.fact_words import fact_label, status_words

__all__ = [
    "band_words",
    "codes_as_words",
    "detail_words",
    "drug_name",
    "episode_name",
    "evidence_words",
    "fact_label",
    "month_span",
    "plain",
    "policy_keys",
    "stage_words",
    "staging_model_name",
    "staging_model_short_name",
    "status_words",
    "treatment_name",
]

STAGING_MODEL_NAMES: dict[str, str] = {
    "thase_rush": "Thase–Rush",
    "european": "European staging model",
    "mgh_s": "Massachusetts General Hospital staging (MGH-S)",
    "maudsley": "Maudsley Staging Method",
    "dm_trd": "Dutch Measure for TRD (DM-TRD)",
}

# The short names the chart's stage ladder uses, in the ladder's order.
STAGING_MODEL_SHORT_NAMES: dict[str, str] = {
    "thase_rush": "Thase–Rush",
    "mgh_s": "MGH-S",
    "maudsley": "Maudsley",
    "dm_trd": "DM-TRD",
    "european": "European",
}

# A treatment's detail (TMS protocol, psychotherapy modality, ECT placement) by its usual name.
DETAIL_WORDS: dict[str, str] = {
    "rtms": "rTMS",
    "itbs": "iTBS",
    "deep_tms": "deep TMS",
    "accelerated_itbs": "accelerated iTBS",
    "cbt": "CBT",
    "cbasp": "CBASP",
    "mbct": "MBCT",
    "dbt": "DBT",
    "act": "ACT",
    "ipt": "IPT",
}

# The knowledge base's evidence tiers (therapies schema ``EvidenceTier``) as a reader says them.
EVIDENCE_WORDS: dict[str, str] = {
    "trd_rct_strong": "strong randomised-trial evidence in TRD",
    "trd_rct_some": "some randomised-trial evidence in TRD",
    "trd_limited": "limited evidence in TRD",
    "mdd_only": "evidence in depression generally, not specifically in TRD",
    "investigational": "investigational",
}

# Stage codes that are not already words once the underscores go.
STAGE_WORDS: dict[str, str] = {
    "non_responder": "non-responder",
    "trd": "treatment-resistant depression",
    "ctrd": "chronic treatment-resistant depression",
}

TREATMENT_KIND_WORDS: dict[str, str] = {
    "antidepressant": "trial",
    "augmentation": "augmentation",
    "ect": "ECT course",
    "tms": "TMS course",
    "ketamine": "ketamine course",
    "esketamine": "esketamine course",
    "psychotherapy": "psychotherapy course",
}

# Release forms written after a drug's name in capitals (bupropion_sr -> bupropion SR).
_RELEASE_FORMS = {"sr", "xr", "xl", "er", "ir", "cr", "la"}
POLICY_KEY = re.compile(r"\s*[\(\[]?\b(P-[A-Z]+\d+[a-z]?)\b[\)\]]?")


def plain(code: Any) -> str:
    """A code with its underscores as spaces: the last resort for a code not named here."""
    return str(code or "").replace("_", " ").strip()


def staging_model_name(key: str) -> str:
    return STAGING_MODEL_NAMES.get(key, plain(key))


def staging_model_short_name(key: str) -> str:
    return STAGING_MODEL_SHORT_NAMES.get(key, staging_model_name(key))


def detail_words(code: Any) -> str:
    """A treatment detail by its usual name: "rtms" -> "rTMS", "right_unilateral" -> "right
    unilateral"; a drug's release form in capitals."""
    text = str(code or "")
    return DETAIL_WORDS.get(text.lower(), drug_name(text))


def evidence_words(tier: Any) -> str:
    """An evidence tier (``trd_rct_strong``, or "trd rct strong") in words."""
    code = str(tier or "").strip().replace(" ", "_").lower()
    return EVIDENCE_WORDS.get(code, plain(code))


def stage_words(code: Any) -> str:
    text = str(code or "")
    return STAGE_WORDS.get(text.lower(), plain(text))


def band_words(band: Any) -> str:
    """A severity band (``moderately_severe``) as words ("moderately severe")."""
    return plain(band)


def drug_name(code: Any) -> str:
    words = plain(code).split(" ")
    return " ".join(
        w.upper() if i and w.lower() in _RELEASE_FORMS else w for i, w in enumerate(words)
    )


def _month(value: Any) -> str:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day:%b %Y}"


def month_span(start: Any, end: Any = None) -> str:
    """ "Mar 2019 – Sep 2019"; "Mar 2019 – ongoing" without an end; "" without a start."""
    if not start:
        return ""
    return f"{_month(start)} – {_month(end) if end else 'ongoing'}"


def treatment_name(item: Mapping[str, Any] | None) -> str:
    """A treatment by what it was and when: "fluoxetine trial (Mar 2019 – Sep 2019)"."""
    if not item:
        return "this treatment"
    kind = str(item.get("kind") or "")
    what = item.get("drug") or item.get("agent")
    noun = TREATMENT_KIND_WORDS.get(kind, plain(kind) or "treatment")
    name = f"{drug_name(what)} {noun}" if what else noun
    span = month_span(item.get("start"), item.get("end"))
    return f"{name} ({span})" if span else name


def episode_name(item: Mapping[str, Any] | None) -> str:
    """An episode by its dates: "episode Jan 2024 – ongoing"."""
    if not item:
        return "this episode"
    span = month_span(item.get("start"), item.get("end"))
    return f"episode {span}" if span else "episode (no start date)"


def policy_keys(text: str) -> tuple[str, list[str]]:
    """``text`` without the policy keys written into it, and the keys (for footnotes)."""
    keys = POLICY_KEY.findall(text)
    return POLICY_KEY.sub("", text).strip(), keys


_SNAKE_CODE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def codes_as_words(text: str) -> str:
    """Knowledge-base prose with any code written into it (``bipolar_spectrum``) named:
    a fact by its label (lower case, mid-sentence), anything else with spaces."""

    def name(match: re.Match[str]) -> str:
        code = match[0]
        if code in STAGE_WORDS:
            return STAGE_WORDS[code]
        label = fact_label(code)
        known = label != plain(code).capitalize()
        return label[0].lower() + label[1:] if known else plain(code)

    return _SNAKE_CODE.sub(name, text)
