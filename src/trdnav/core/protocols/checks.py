"""Session checks: a protocol's rules (data) applied to one session's values.

``check_session`` validates the values against the protocol's fields (an unknown field or a value
of the wrong type is a ``ProtocolError`` naming the field), then reports, in order:

1. a ``block`` finding ``required_field`` for each required field left empty (never overridable,
   P-C1);
2. the protocol's checks, each with its rule id, level, field, message and source. A message whose
   rule or figures are not verified ends with "(unverified)"; one that uses a limit the clinic
   set says so (P-C4).

``can_sign`` is False exactly when a ``block`` finding exists. Overrides are the app's business.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from trdnav.core.protocols.load import get_protocol
from trdnav.core.protocols.medication import adequate_minimum
from trdnav.core.protocols.model import (
    UNVERIFIED_SUFFIX,
    CheckSpec,
    FieldSpec,
    Finding,
    Parameter,
    Protocol,
    ProtocolError,
    SessionCheck,
    SessionContext,
)

DECIMALS = 2  # shown in messages (the checks themselves compare exact fractions)
CLINIC_LIMITS_KEY = "protocol_limits"
CLINIC_SUFFIX = " (clinic limit)"
REQUIRED_RULE = "required_field"
CLINIC_IGNORED_RULE = "clinic_limit_ignored"


@dataclass(frozen=True)
class _Limits:
    values: Mapping[str, Any]
    by_clinic: frozenset[str]
    findings: tuple[Finding, ...]


def check_session(
    protocol_id: str, values: Mapping[str, Any], context: SessionContext
) -> SessionCheck:
    """Every finding for one session; ``can_sign`` is False when any finding blocks."""
    protocol = get_protocol(protocol_id)
    clean = validate_values(protocol, values)
    limits = effective_limits(protocol, context.clinic_settings)
    findings: list[Finding] = list(limits.findings)
    findings.extend(_missing_required(protocol, clean, context))
    for check in protocol.checks:
        finding = _evaluate(protocol, check, clean, context, limits)
        if finding is not None:
            findings.append(finding)
    return SessionCheck(
        protocol=protocol.id,
        can_sign=not any(f.level == "block" for f in findings),
        findings=tuple(findings),
    )


# --- values -------------------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_values(protocol: Protocol, values: Mapping[str, Any]) -> dict[str, Any]:
    """The session's values, typed; a ProtocolError names the first unusable field."""
    if not isinstance(values, Mapping):
        raise ProtocolError("values", "must be an object of field names and values")
    allowed = [f.name for f in protocol.session_fields]
    clean: dict[str, Any] = {}
    for name, value in values.items():
        spec = protocol.field_spec(str(name))
        if spec is None:
            raise ProtocolError(
                str(name),
                f"is not a field of {protocol.id}; allowed fields: {', '.join(allowed)}",
            )
        clean[spec.name] = None if is_missing(value) else _typed(spec, value)
    return clean


def typed_value(spec: FieldSpec, value: Any) -> Any:
    """One value checked against its field spec (a ProtocolError names the field)."""
    return _typed(spec, value)


def _typed(spec: FieldSpec, value: Any) -> Any:
    kind = spec.kind
    if kind in ("number", "minutes", "integer"):
        return _number(spec, value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ProtocolError(spec.name, "must be true or false")
        return value
    if kind == "datetime":
        return _datetime(spec, value)
    if not isinstance(value, str):
        raise ProtocolError(spec.name, "must be text")
    if kind == "choice" and value not in spec.choices:
        raise ProtocolError(spec.name, f"must be one of {', '.join(spec.choices)}; got {value!r}")
    return value


def _number(spec: FieldSpec, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProtocolError(spec.name, f"must be a {_kind_word(spec)}")
    number: int | float = value
    if spec.kind == "integer":
        if isinstance(value, float) and not value.is_integer():
            raise ProtocolError(spec.name, "must be a whole number")
        number = int(value)
    if spec.kind == "minutes" and number < 0:
        raise ProtocolError(spec.name, "must be a number of minutes, not negative")
    low, high = spec.min_value, spec.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise ProtocolError(spec.name, f"{_range_words(low, high, spec.unit)}; got {_fmt(number)}")
    return number


def _range_words(low: float | None, high: float | None, unit: str) -> str:
    unit = f" {unit}" if unit else ""
    if low is None:
        return f"must be at most {_fmt(high)}{unit}"
    if high is None:
        return f"must be at least {_fmt(low)}{unit}"
    return f"must be from {_fmt(low)} to {_fmt(high)}{unit}"


def _kind_word(spec: FieldSpec) -> str:
    return {"integer": "whole number", "minutes": "number of minutes"}.get(spec.kind, "number")


def _datetime(spec: FieldSpec, value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ProtocolError(spec.name, "must be a date and time as YYYY-MM-DDTHH:MM")


# --- clinic limits ------------------------------------------------------------------------------


def effective_limits(protocol: Protocol, clinic_settings: Mapping[str, Any]) -> _Limits:
    """The protocol's parameter values with the clinic's limits applied (P-C4).

    A clinic may tighten a ``tighten`` limit and set an ``any`` limit either way; a looser value
    for a ``tighten`` limit is ignored and reported as an ``info`` finding. Naming a parameter
    that does not exist or is fixed is a ProtocolError naming the setting.
    """
    values = {name: p.value for name, p in protocol.parameters.items()}
    raw = (clinic_settings or {}).get(CLINIC_LIMITS_KEY)
    raw = {} if raw is None else raw
    if not isinstance(raw, Mapping):
        raise ProtocolError(CLINIC_LIMITS_KEY, "must be an object of protocol ids")
    mine = raw.get(protocol.id)
    mine = {} if mine is None else mine
    if not isinstance(mine, Mapping):
        raise ProtocolError(f"{CLINIC_LIMITS_KEY}.{protocol.id}", "must be an object of limits")
    by_clinic: set[str] = set()
    findings: list[Finding] = []
    for name, value in mine.items():
        where = f"{CLINIC_LIMITS_KEY}.{protocol.id}.{name}"
        param = protocol.parameters.get(str(name))
        configurable = [p.name for p in protocol.parameters.values() if p.clinic != "fixed"]
        if param is None or param.clinic == "fixed":
            raise ProtocolError(
                where, f"is not a clinic-configurable limit; allowed: {', '.join(configurable)}"
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value <= 0
        ):
            raise ProtocolError(where, "must be a positive number")
        if param.clinic == "tighten" and _looser(param, value):
            findings.append(
                Finding(
                    rule=CLINIC_IGNORED_RULE,
                    level="info",
                    field=name,
                    message=(
                        f"The clinic's {param.label} ({_fmt(value)} {param.unit}) is looser than "
                        f"the protocol's ({_fmt(param.value)} {param.unit}); the protocol's "
                        "value is used (P-C4)."
                    ),
                    source=param.source,
                    status=param.status,
                )
            )
            continue
        values[param.name] = value
        by_clinic.add(param.name)
    return _Limits(values, frozenset(by_clinic), tuple(findings))


def _looser(param: Parameter, value: float) -> bool:
    if param.tighter == "lower":
        return bool(value > param.value)
    return bool(value < param.value)


# --- required fields ----------------------------------------------------------------------------


def _missing_required(
    protocol: Protocol, values: Mapping[str, Any], context: SessionContext
) -> list[Finding]:
    findings = []
    for spec in protocol.session_fields:
        needed = spec.required or context.session_number in spec.required_at_sessions
        if needed and is_missing(values.get(spec.name)):
            findings.append(
                Finding(
                    rule=REQUIRED_RULE,
                    level="block",
                    field=spec.name,
                    message=f"Required before signing: {spec.label}.",
                    source=protocol.source,
                    status=protocol.status,
                    overridable=False,
                )
            )
    return findings


# --- the checks ---------------------------------------------------------------------------------


def _evaluate(
    protocol: Protocol,
    check: CheckSpec,
    values: Mapping[str, Any],
    context: SessionContext,
    limits: _Limits,
) -> Finding | None:
    spec = check.spec
    sessions = spec.get("sessions")
    if sessions is not None and context.session_number not in sessions:
        return None
    if context.session_number < spec.get("from_session", 0):
        return None
    if not all(_condition(c, values, context, limits) for c in spec.get("when", [])):
        return None
    evaluator = _EVALUATORS[check.kind]
    result = evaluator(protocol, check, values, context, limits)
    if result is None:
        return None
    extra, message_key = result
    level = extra.pop("_level", None) or check.level
    if extra.pop("_first", False):
        level = spec.get("level_first", level)
    template = spec.get(message_key, check.message)
    return _finding(protocol, check, values, context, limits, extra, template, level)


def _finding(
    protocol: Protocol,
    check: CheckSpec,
    values: Mapping[str, Any],
    context: SessionContext,
    limits: _Limits,
    extra: Mapping[str, Any],
    template: str,
    level: Any,
) -> Finding:
    used = _params_used(check)
    placeholders: dict[str, str] = {k: _fmt(v) for k, v in limits.values.items()}
    placeholders.update({k: _fmt(v) for k, v in values.items()})
    placeholders.update({k: _fmt(v) for k, v in extra.items()})
    placeholders.setdefault("session_number", _fmt(context.session_number))
    message = template.format_map(_Placeholders(placeholders))
    unverified = check.status == "from_memory" or any(
        protocol.parameters[p].status == "from_memory" for p in used
    )
    if extra.get("_unverified"):
        unverified = True
    if unverified:
        message += UNVERIFIED_SUFFIX
    if used & limits.by_clinic:
        message += CLINIC_SUFFIX
    field = extra.get("_field", check.field)
    return Finding(
        rule=check.rule,
        level=level,
        field=field if field in values else check.field,
        message=message,
        source=check.source,
        status="from_memory" if unverified else check.status,
        overridable=bool(check.spec.get("overridable", True)),
    )


class _Placeholders(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


def _params_used(check: CheckSpec) -> frozenset[str]:
    spec = check.spec
    names = {spec[k] for k in ("param", "tolerance") if k in spec}
    for key in ("any", "all", "when"):
        names.update(c["param"] for c in spec.get(key, []) if "param" in c)
    return frozenset(names)


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(round(value, DECIMALS))
    if isinstance(value, Fraction):
        return _fmt(float(value))
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return str(value)


def _operand(name: str, values: Mapping[str, Any], context: SessionContext) -> Any:
    """A field's value; ``context.X`` reads the context; ``latest.X`` is this session's value or,
    when empty, the most recent earlier session's (e.g. a seizure threshold titrated once)."""
    if name.startswith("context."):
        return getattr(context, name.removeprefix("context."), None)
    if name.startswith("latest."):
        field = name.removeprefix("latest.")
        if not is_missing(values.get(field)):
            return values.get(field)
        earlier = [s.get(field) for s in context.previous_sessions if not is_missing(s.get(field))]
        return earlier[-1] if earlier else None
    return values.get(name)


def _condition(
    condition: Mapping[str, Any],
    values: Mapping[str, Any],
    context: SessionContext,
    limits: _Limits,
) -> bool:
    """One comparison; a missing operand never fires (the required-field rule covers it)."""
    left = _operand(condition["field"], values, context)
    if "minus" in condition:
        other = _operand(condition["minus"], values, context)
        left = None if left is None or other is None else left - other
    if "divide" in condition:
        other = _operand(condition["divide"], values, context)
        left = None if left is None or not other else Fraction(str(left)) / Fraction(str(other))
    if "param" in condition:
        right = limits.values[condition["param"]]
    elif "other" in condition:
        right = _operand(condition["other"], values, context)
    else:
        right = condition.get("value")
    if left is None or right is None:
        return False
    return _compare(condition.get("op", "=="), left, right)


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "in":
        return bool(left in right)
    if op == "not_in":
        return bool(left not in right)
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    a, b = Fraction(str(left)), Fraction(str(right))
    return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]


_Result = tuple[dict[str, Any], str] | None


def _compare_check(
    protocol: Protocol,
    check: CheckSpec,
    values: Mapping[str, Any],
    context: SessionContext,
    limits: _Limits,
) -> _Result:
    spec = check.spec
    if "any" in spec:
        hits = [c for c in spec["any"] if _condition(c, values, context, limits)]
        if not hits:
            return None
        # The field of the first condition that fired (the diastolic when only it is high).
        return {"_field": hits[0]["field"].removeprefix("latest.")}, "message"
    fired = all(_condition(c, values, context, limits) for c in spec.get("all", []))
    return ({}, "message") if fired else None


def _required_when(
    protocol: Protocol,
    check: CheckSpec,
    values: Mapping[str, Any],
    context: SessionContext,
    limits: _Limits,
) -> _Result:
    return ({}, "message") if is_missing(values.get(check.field)) else None


def _weight_dose(
    protocol: Protocol,
    check: CheckSpec,
    values: Mapping[str, Any],
    context: SessionContext,
    limits: _Limits,
) -> _Result:
    """Dose against mg/kg × weight, within ± tolerance % of the expected dose (P-C5)."""
    spec = check.spec
    dose = values.get(check.field)
    if dose is None:
        return None
    weight_field = spec.get("weight_field")
    weight = values.get(weight_field) if weight_field else None
    if weight is None:
        weight = context.weight_kg
    if weight is None or weight <= 0:
        return {}, "message_no_weight"
    per_kg = Fraction(str(limits.values[spec["param"]]))
    tolerance = Fraction(str(limits.values[spec["tolerance"]]))
    expected = per_kg * Fraction(str(weight))
    deviation = abs(Fraction(str(dose)) - expected) * 100 / expected
    if deviation <= tolerance:
        return None
    extra = {
        "expected": round(float(expected), 1),
        "weight": weight,
        "dose": dose,
        "deviation_pct": round(float(deviation), 1),
        "low": round(float(expected * (100 - tolerance) / 100), 1),
        "high": round(float(expected * (100 + tolerance) / 100), 1),
    }
    return extra, "message"


def _device_dose(
    protocol: Protocol,
    check: CheckSpec,
    values: Mapping[str, Any],
    context: SessionContext,
    limits: _Limits,
) -> _Result:
    dose = values.get(check.field)
    devices = values.get(check.spec["devices_field"])
    if dose is None or devices is None:
        return None
    per_device = limits.values[check.spec["param"]]
    expected = devices * per_device
    if Fraction(str(dose)) == Fraction(str(expected)):
        return None
    return {"expected": expected}, "message"


def _sessions_since_measured(field: str, previous: Sequence[Mapping[str, Any]]) -> int | None:
    """Sessions since the field was last recorded, counting this one; None if never recorded."""
    for back, session in enumerate(reversed(previous), start=1):
        if not is_missing(session.get(field)):
            return back
    return None


def _remeasure(
    protocol: Protocol,
    check: CheckSpec,
    values: Mapping[str, Any],
    context: SessionContext,
    limits: _Limits,
) -> _Result:
    """Re-measured every N sessions; the first measurement is due at the first session."""
    spec = protocol.field_spec(check.field)
    required_now = spec is not None and context.session_number in spec.required_at_sessions
    if required_now or not is_missing(values.get(check.field)):
        return None  # recorded, or already a required field this session
    every = int(limits.values[check.spec["param"]])
    since = _sessions_since_measured(check.field, context.previous_sessions)
    if since is None:
        return {"_first": True, "every": every}, "message_first"
    if since >= every:
        return {"every": every, "since": since}, "message"
    return None


def _due_at(
    protocol: Protocol,
    check: CheckSpec,
    values: Mapping[str, Any],
    context: SessionContext,
    limits: _Limits,
) -> _Result:
    due = list(limits.values[check.spec["param"]])
    if check.spec.get("at_last", False):
        due.append(protocol.planned_sessions)
    if context.session_number in due and is_missing(values.get(check.field)):
        return {"due_sessions": sorted(set(due))}, "message"
    return None


def _streak(
    protocol: Protocol,
    check: CheckSpec,
    values: Mapping[str, Any],
    context: SessionContext,
    limits: _Limits,
) -> _Result:
    """The field has had ``value`` in this session and the sessions just before it."""
    target = check.spec["value"]
    count = int(limits.values[check.spec["param"]])
    recent = [*context.previous_sessions][-(count - 1) :] if count > 1 else []
    if values.get(check.field) != target or len(recent) < count - 1:
        return None
    if all(s.get(check.field) == target for s in recent):
        return {"count": count}, "message"
    return None


def _adequate_dose(
    protocol: Protocol,
    check: CheckSpec,
    values: Mapping[str, Any],
    context: SessionContext,
    limits: _Limits,
) -> _Result:
    dose = values.get(check.field)
    drug = values.get(check.spec["drug_field"])
    kind = values.get(check.spec["kind_field"]) or "antidepressant"
    if dose is None or drug is None:
        return None
    minimum = adequate_minimum(str(drug), str(kind))
    if minimum is None:
        return {"drug": drug, "_level": "info"}, "message_unknown"
    if Fraction(str(dose)) >= Fraction(str(minimum.mg_per_day)):
        return None
    return (
        {
            "drug": drug,
            "minimum": minimum.mg_per_day,
            "min_weeks": minimum.min_weeks,
            "_unverified": not minimum.verified,
        },
        "message",
    )


_EVALUATORS = {
    "compare": _compare_check,
    "required_when": _required_when,
    "weight_dose": _weight_dose,
    "device_dose": _device_dose,
    "remeasure": _remeasure,
    "due_at": _due_at,
    "streak": _streak,
    "adequate_dose": _adequate_dose,
}
