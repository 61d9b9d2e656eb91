"""The esketamine REMS monitoring-form rule: data with an effective date (``data/rems.toml``).

``rems_rule_in_force`` picks the rule with the latest ``effective_from`` not after the session
date; a clinic can switch REMS off (a setting outside the US, or an inpatient setting, which
does not file the form) and may shorten the deadline but not lengthen it (P-C6). The clock is
always passed in: the core never reads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput, KnowledgeBaseError
from trdnav.core.protocols.load import REMS_FILE, _field, _source, _status, read_toml
from trdnav.core.protocols.model import ProtocolError, RemsRule
from trdnav.core.protocols.results import RemsState
from trdnav.core.protocols.values import is_missing, typed_value

REMS_ENABLED_KEY = "rems_enabled"
REMS_DEADLINE_KEY = "rems_deadline_days"


@cache
def load_rems_rules() -> tuple[RemsRule, ...]:
    """Every REMS rule version, oldest first."""
    document = read_toml(REMS_FILE)
    rules = []
    for i, raw in enumerate(document.get("rules", [])):
        where = f"{REMS_FILE} rules[{i}]"
        effective = raw.get("effective_from")
        if not isinstance(effective, date):
            raise KnowledgeBaseError(f"protocols/{where}: effective_from must be a TOML date")
        days = raw.get("deadline_days")
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise KnowledgeBaseError(f"protocols/{where}: deadline_days must be a positive integer")
        rules.append(
            RemsRule(
                id=str(raw["id"]),
                effective_from=effective,
                deadline_days=days,
                calendar_days=bool(raw.get("calendar_days", True)),
                form_fields=tuple(
                    _field(f, f"{where} form_fields[{j}]")
                    for j, f in enumerate(raw.get("form_fields", []))
                ),
                source=_source(raw, where),
                status=_status(raw, where),
                description=str(raw.get("description", "")),
            )
        )
    return tuple(sorted(rules, key=lambda r: r.effective_from))


def rems_rule_in_force(
    on: date,
    clinic_settings: Mapping[str, Any] | None = None,
    *,
    rules: Sequence[RemsRule] | None = None,
) -> RemsRule | None:
    """The rule in force on ``on`` (None before the first rule or when the clinic has REMS off).

    ``rules`` replaces the data file (tests; a clinic's own copy of a newer rule)."""
    settings = clinic_settings or {}
    if settings.get(REMS_ENABLED_KEY, True) is False:
        return None
    candidates = [
        r for r in (load_rems_rules() if rules is None else rules) if r.effective_from <= on
    ]
    if not candidates:
        return None
    rule = max(candidates, key=lambda r: r.effective_from)
    days = settings.get(REMS_DEADLINE_KEY)
    if days is None:
        return rule
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ProtocolError(REMS_DEADLINE_KEY, "must be a positive whole number of days")
    if days >= rule.deadline_days:
        return rule  # a clinic may shorten the deadline, never lengthen it (P-C6)
    return RemsRule(
        id=rule.id,
        effective_from=rule.effective_from,
        deadline_days=days,
        calendar_days=rule.calendar_days,
        form_fields=rule.form_fields,
        source=rule.source,
        status=rule.status,
        description=rule.description,
    )


def rems_deadline(session_end: datetime, rule: RemsRule) -> datetime:
    """When the monitoring form is due: ``deadline_days`` calendar days after the session ended,
    at the same clock time (P-C6)."""
    return session_end + timedelta(days=rule.deadline_days)


def rems_state(due: datetime, submitted_at: datetime | None, now: datetime) -> RemsState:
    """``submitted`` once sent (late or not), else ``overdue`` after ``due``, else ``due``."""
    if submitted_at is not None:
        return RemsState.SUBMITTED
    return RemsState.OVERDUE if now > due else RemsState.DUE


# Session fields that answer a monitoring-form question directly (the form's name first).
PREFILL_FROM_SESSION = {
    "dose_mg": "dose_mg",
    "lot_number": "lot_number",
    "ready_to_leave_minutes": "ready_to_leave_minutes",
    "sedation": "sedation_observed",
    "dissociation": "dissociation_observed",
    "respiratory_depression": "respiratory_depression_observed",
}


def rems_prefill(session_values: Mapping[str, Any], rule: RemsRule) -> dict[str, Any]:
    """The form's answers that the session record already holds (the rest are asked)."""
    names = {f.name for f in rule.form_fields}
    return {
        form: session_values[session]
        for form, session in PREFILL_FROM_SESSION.items()
        if form in names and not is_missing(session_values.get(session))
    }


def validate_rems_form(rule: RemsRule, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The form's answers, typed; an ``InvalidInput`` names every unknown, mistyped or missing
    field (a form is stored complete or not at all)."""
    if not isinstance(fields, Mapping):
        raise ProtocolError("fields", "must be an object of form fields")
    specs = {f.name: f for f in rule.form_fields}
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        spec = specs.get(str(name))
        if spec is None:
            allowed = ", ".join(specs)
            errors.append(FieldError(str(name), f"is not a form field; allowed: {allowed}"))
            continue
        if is_missing(value):
            continue
        try:
            clean[spec.name] = typed_value(spec, value)
        except InvalidInput as exc:
            errors.extend(exc.errors)
    errors.extend(
        FieldError(spec.name, "is required")
        for spec in rule.form_fields
        if spec.required and spec.name not in clean and spec.name not in {e.field for e in errors}
    )
    if errors:
        raise InvalidInput(errors)
    return clean
