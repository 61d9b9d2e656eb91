"""The feedback endpoint: what the clinician did with a card (CDS Hooks 2.0, "Feedback").

Each entry names the card's ``uuid``, the ``outcome`` (``accepted`` with the accepted
suggestions, or ``overridden`` with an optional reason and comment) and when. Entries are
stored for the calling EHR's clinic, all or none (one transaction), once each (the spec allows
the same feedback to be sent again), and the call is audited without the comment's text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_datetime

from trdnav.accounts.models import Clinic
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, record_event
from trdnav.cds.models import CardFeedback, Outcome
from trdnav.core.errors import FieldError, InvalidInput

MAX_ENTRIES = 100
_FIELDS = {"card", "outcome", "acceptedSuggestions", "overrideReason", "outcomeTimestamp"}


def _timestamp(value: Any, path: str, errors: list[FieldError]) -> datetime | None:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        errors.append(FieldError(path, "required: an ISO 8601 date-time with a time zone"))
        return None
    return parsed


def _suggestions(entry: Mapping[str, Any], path: str, errors: list[FieldError]) -> list[str]:
    raw = entry.get("acceptedSuggestions")
    if entry.get("outcome") != "accepted":
        return []
    if not isinstance(raw, list) or not raw:
        errors.append(FieldError(f"{path}.acceptedSuggestions", "required for accepted"))
        return []
    ids = [s.get("id") for s in raw if isinstance(s, Mapping)]
    if len(ids) != len(raw) or not all(isinstance(i, str) and i for i in ids):
        errors.append(FieldError(f"{path}.acceptedSuggestions", 'each must be {"id": "<uuid>"}'))
        return []
    return [str(i) for i in ids]


def _reason(entry: Mapping[str, Any], path: str, errors: list[FieldError]) -> dict[str, str]:
    reason = entry.get("overrideReason")
    if reason is None:
        return {}
    if not isinstance(reason, Mapping):
        errors.append(FieldError(f"{path}.overrideReason", "must be an object"))
        return {}
    coding = reason.get("reason") or {}
    comment = reason.get("userComment", "")
    ok = isinstance(coding, Mapping) and isinstance(comment, str)
    if ok and coding and not (isinstance(coding.get("code"), str) and coding.get("system")):
        ok = False
    if not ok:
        errors.append(
            FieldError(f"{path}.overrideReason", "reason must be a Coding {code, system}; "
                       "userComment a string")
        )  # fmt: skip
        return {}
    return {
        "override_code": str(coding.get("code", ""))[:200],
        "override_system": str(coding.get("system", ""))[:300],
        "override_display": str(coding.get("display", ""))[:300],
        "override_comment": comment[:2000],
    }


def _entry(entry: Any, path: str, errors: list[FieldError]) -> dict[str, Any] | None:
    if not isinstance(entry, Mapping):
        errors.append(FieldError(path, "must be an object"))
        return None
    before = len(errors)
    errors += [FieldError(f"{path}.{k}", "unknown field") for k in sorted(set(entry) - _FIELDS)]
    card = entry.get("card")
    if not isinstance(card, str) or not 0 < len(card) <= 100:
        errors.append(FieldError(f"{path}.card", "required: the card's uuid"))
    if entry.get("outcome") not in Outcome.values:
        errors.append(FieldError(f"{path}.outcome", "must be accepted or overridden"))
    when = _timestamp(entry.get("outcomeTimestamp"), f"{path}.outcomeTimestamp", errors)
    suggestions = _suggestions(entry, path, errors)
    reason = _reason(entry, path, errors)
    if len(errors) > before:
        return None
    return {"card": card, "outcome": entry["outcome"], "outcome_at": when,
            "accepted_suggestions": suggestions, **reason}  # fmt: skip


def parse_feedback(body: Any) -> list[dict[str, Any]]:
    entries = body.get("feedback") if isinstance(body, Mapping) else None
    if not isinstance(entries, list) or not 0 < len(entries) <= MAX_ENTRIES:
        raise InvalidInput.single("feedback", f"required: a list of 1–{MAX_ENTRIES} entries")
    errors: list[FieldError] = []
    parsed = [_entry(e, f"feedback[{n}]", errors) for n, e in enumerate(entries)]
    if errors:
        raise InvalidInput(errors)
    return [p for p in parsed if p is not None]


@transaction.atomic
def store_feedback(
    body: Any, *, clinic: Clinic, issuer: str, service: str, by: Actor, now: datetime
) -> int:
    """Stores the entries (once each); ``InvalidInput`` naming each bad field, storing none."""
    entries = parse_feedback(body)
    stored = 0
    for entry in entries:
        _, created = CardFeedback.objects.get_or_create(
            clinic=clinic, service=service, card=entry["card"], outcome=entry["outcome"],
            outcome_at=entry["outcome_at"],
            defaults={**entry, "issuer": issuer, "received_at": now},
        )  # fmt: skip
        stored += int(created)
    record_event(by=by, action=Action.CREATE, object_type="cds_feedback",
                 summary=f"{service}: {len(entries)} feedback entries, {stored} new")  # fmt: skip
    return stored
