"""Shapes a course for its pages: the session list (planned, draft, signed), findings in words
with their source and status, the REMS state, vitals trends and small inline SVG sparklines.

Pure presentation over rows already loaded: no queries, no clock (``now`` is passed in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from trdnav.core.protocols import Protocol, rems_state, source_register

# Appended by the core to the message of a finding whose rule or figure is not verified.
UNVERIFIED_SUFFIX = " (unverified)"
LEVEL_WORDS = {"block": "blocks signing", "warn": "warning", "info": "note"}
LEVEL_ORDER = ("block", "warn", "info")
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 160, 36, 4
STATE_WORDS = {"planned": "planned", "draft": "draft, not signed", "signed": "signed"}
NOT_OVERRIDABLE = frozenset({"required_field"})
OUTCOME_WORDS = {
    "response": "Response",
    "partial_response": "Partial response",
    "remission": "Remission",
    "none": "No response",
    "too_early": "Too early to judge",
}


def outcome_words(outcome: Mapping[str, Any] | None) -> str:
    code = str((outcome or {}).get("outcome") or "")
    return OUTCOME_WORDS.get(code, code.replace("_", " "))


def _status_of(protocol: Protocol | None, rule: str) -> str:
    if protocol is None:
        return "verified"
    check = next((c for c in protocol.checks if c.rule == rule), None)
    return check.status if check is not None else "verified"


def citation(source: str) -> str:
    """A source key (``a+b`` for several) as the full citations of the source register."""
    register = source_register()
    keys = [key for key in str(source).split("+") if key]
    return "; ".join(register.get(key, key) for key in keys)


def findings(
    data: Mapping[str, Any] | None,
    protocol: Protocol | None,
    overridden: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """A stored ``SessionCheck.to_dict()``'s findings, most serious first, each marked
    unverified when its rule's figure is from memory, with its field's label, and marked
    overridden when a signed override names its rule."""
    found = list((data or {}).get("findings", []))
    lifted = set(overridden)
    rows = []
    for item in found:
        rule = str(item.get("rule", ""))
        message = str(item.get("message", ""))
        status = _status_of(protocol, rule)
        unverified = status == "from_memory" or message.endswith(UNVERIFIED_SUFFIX)
        level = str(item.get("level", "info"))
        spec = protocol.field_spec(str(item.get("field", ""))) if protocol else None
        rows.append(
            {
                **item,
                "field_label": spec.label if spec is not None else item.get("field", ""),
                "overridden": level == "block" and rule in lifted,
                "message": message.removesuffix(UNVERIFIED_SUFFIX),
                "citation": citation(str(item.get("source", ""))),
                "level_words": "overridden"
                if rule in lifted and level == "block"
                else LEVEL_WORDS.get(level, level),
                "unverified": unverified,
                "status": status,
                "overridable": rule not in NOT_OVERRIDABLE,
            }
        )
    rank = {level: at for at, level in enumerate(LEVEL_ORDER)}
    return sorted(rows, key=lambda row: rank.get(str(row.get("level")), len(LEVEL_ORDER)))


def flagged(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Field name → the most serious level (block, warn) of the findings that name it; an
    overridden block still shows, as what it was."""
    found: dict[str, str] = {}
    for row in rows:  # most serious first (``findings`` sorts them)
        level = str(row.get("level"))
        if level in ("block", "warn"):
            found.setdefault(str(row.get("field", "")), level)
    return found


def blocks(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [row for row in rows if row.get("level") == "block"]


def override_rules(rows: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(rule, message) of each block an override can lift, each rule once."""
    seen: dict[str, str] = {}
    for row in blocks(rows):
        if row.get("overridable"):
            seen.setdefault(str(row["rule"]), str(row["message"]))
    return list(seen.items())


def session_rows(plan: Mapping[str, Any], stored: Sequence[Any]) -> list[dict[str, Any]]:
    """One row per planned session (and any session documented beyond the plan)."""
    by_number = {s.number: s for s in stored}
    rows: dict[int, dict[str, Any]] = {}
    for item in plan.get("sessions", []):
        number = int(item["number"])
        rows[number] = {"number": number, "on": _day(item.get("on")), "phase": item.get("phase")}
    for number, session in by_number.items():
        rows.setdefault(number, {"number": number, "on": session.scheduled_on, "phase": ""})
    for number, row in rows.items():
        session = by_number.get(number)
        row["session"] = session
        row["state"] = session.state if session is not None else "planned"
        row["state_words"] = STATE_WORDS.get(row["state"], row["state"])
    return [rows[n] for n in sorted(rows)]


def next_session(rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    return next((row for row in rows if row["state"] != "signed"), None)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def rems_row(report: Any, now: datetime) -> dict[str, Any]:
    state = rems_state(report.due_at, report.submitted_at, now)
    return {"report": report, "state": state, "session": report.session}


def numeric_specs(protocol: Protocol) -> list[Any]:
    return [f for f in protocol.session_fields if f.kind in ("number", "integer", "minutes")]


def sparkline(values: Sequence[float | None]) -> str:
    """SVG polyline points for the recorded values (gaps skipped), scaled to the box."""
    known = [(at, v) for at, v in enumerate(values) if isinstance(v, int | float)]
    if len(known) < 2:
        return ""
    low, high = min(v for _, v in known), max(v for _, v in known)
    span = (high - low) or 1.0
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)
    inner = SPARK_HEIGHT - 2 * SPARK_PAD
    return " ".join(
        f"{SPARK_PAD + at * step:.1f},{SPARK_PAD + inner - (v - low) / span * inner:.1f}"
        for at, v in known
    )


def vitals(protocol: Protocol, sessions: Sequence[Any]) -> list[dict[str, Any]]:
    """One row per numeric field recorded in at least one session: values by session."""
    rows = []
    for spec in numeric_specs(protocol):
        values = [_number(s.values.get(spec.name)) for s in sessions]
        if all(v is None for v in values):
            continue
        rows.append(
            {"spec": spec, "values": values, "points": sparkline(values), "label": spec.label}
        )
    return rows


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def value_rows(protocol: Protocol, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A session's recorded values in the protocol's field order, in words."""
    rows = []
    for spec in protocol.session_fields:
        if spec.name in values:
            rows.append({"spec": spec, "text": in_words(values[spec.name])})
    return rows


def in_words(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "not recorded"
    return str(value).replace("_", " ") if isinstance(value, str) else str(value)


def changes(protocol: Protocol | None, amendment: Any) -> list[dict[str, Any]]:
    """An amendment's changes, field by field: label, before, after."""
    labels = {f.name: f.label for f in protocol.session_fields} if protocol else {}
    previous = amendment.previous_values or {}
    new = amendment.new_values or {}
    names = list(dict.fromkeys([*previous, *new]))
    return [
        {
            "label": labels.get(name, name),
            "before": in_words(previous.get(name)),
            "after": in_words(new.get(name)),
        }
        for name in names
    ]
