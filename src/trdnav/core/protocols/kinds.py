"""The check kinds: one evaluator per ``CheckSpec.kind`` (compare, required-when, weight dose,
device dose, re-measure, due-at, streak, adequate dose), and the conditions they compare.

An evaluator returns None when its check does not fire, else the extra message figures and the
message key (``message``, ``message_first``…) of the finding ``checks.py`` builds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from trdnav.core.protocols.limits import Limits
from trdnav.core.protocols.medication import adequate_minimum
from trdnav.core.protocols.model import CheckSpec, Protocol, SessionContext
from trdnav.core.protocols.values import is_missing


@dataclass(frozen=True)
class Case:
    """One check applied to one session: what every evaluator reads."""

    protocol: Protocol
    check: CheckSpec
    values: Mapping[str, Any]
    context: SessionContext
    limits: Limits

    def value(self, key: str = "") -> Any:
        """The session's value of the check's field, or of the field its spec names at ``key``."""
        return self.values.get(self.check.spec[key] if key else self.check.field)

    def param(self, key: str = "param") -> Any:
        """The (clinic-adjusted) value of the parameter the check's spec names at ``key``."""
        return self.limits.values[self.check.spec[key]]


_Result = tuple[dict[str, Any], str] | None


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
    limits: Limits,
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


def _holds(case: Case, condition: Mapping[str, Any]) -> bool:
    return _condition(condition, case.values, case.context, case.limits)


def _compare_check(case: Case) -> _Result:
    spec = case.check.spec
    if "any" in spec:
        hits = [c for c in spec["any"] if _holds(case, c)]
        if not hits:
            return None
        # The field of the first condition that fired (the diastolic when only it is high).
        return {"_field": hits[0]["field"].removeprefix("latest.")}, "message"
    fired = all(_holds(case, c) for c in spec.get("all", []))
    return ({}, "message") if fired else None


def _required_when(case: Case) -> _Result:
    return ({}, "message") if is_missing(case.value()) else None


def _weight_dose(case: Case) -> _Result:
    """Dose against mg/kg × weight, within ± tolerance % of the expected dose (P-C5)."""
    dose = case.value()
    if dose is None:
        return None
    weight_field = case.check.spec.get("weight_field")
    weight = case.values.get(weight_field) if weight_field else None
    if weight is None:
        weight = case.context.weight_kg
    if weight is None or weight <= 0:
        return {}, "message_no_weight"
    per_kg = Fraction(str(case.param()))
    tolerance = Fraction(str(case.param("tolerance")))
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


def _device_dose(case: Case) -> _Result:
    dose = case.value()
    devices = case.value("devices_field")
    if dose is None or devices is None:
        return None
    expected = devices * case.param()
    if Fraction(str(dose)) == Fraction(str(expected)):
        return None
    return {"expected": expected}, "message"


def _sessions_since_measured(field: str, previous: Sequence[Mapping[str, Any]]) -> int | None:
    """Sessions since the field was last recorded, counting this one; None if never recorded."""
    for back, session in enumerate(reversed(previous), start=1):
        if not is_missing(session.get(field)):
            return back
    return None


def _remeasure(case: Case) -> _Result:
    """Re-measured every N sessions; the first measurement is due at the first session."""
    field = case.check.field
    spec = case.protocol.field_spec(field)
    required_now = spec is not None and case.context.session_number in spec.required_at_sessions
    if required_now or not is_missing(case.value()):
        return None  # recorded, or already a required field this session
    every = int(case.param())
    since = _sessions_since_measured(field, case.context.previous_sessions)
    if since is None:
        return {"_first": True, "every": every}, "message_first"
    if since >= every:
        return {"every": every, "since": since}, "message"
    return None


def _due_at(case: Case) -> _Result:
    due = list(case.param())
    if case.check.spec.get("at_last", False):
        due.append(case.protocol.planned_sessions)
    if case.context.session_number in due and is_missing(case.value()):
        return {"due_sessions": sorted(set(due))}, "message"
    return None


def _streak(case: Case) -> _Result:
    """The field has had ``value`` in this session and the sessions just before it."""
    target = case.check.spec["value"]
    count = int(case.param())
    recent = [*case.context.previous_sessions][-(count - 1) :] if count > 1 else []
    if case.value() != target or len(recent) < count - 1:
        return None
    if all(s.get(case.check.field) == target for s in recent):
        return {"count": count}, "message"
    return None


def _adequate_dose(case: Case) -> _Result:
    dose = case.value()
    drug = case.value("drug_field")
    kind = case.value("kind_field") or "antidepressant"
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


EVALUATORS: Mapping[str, Callable[[Case], _Result]] = {
    "compare": _compare_check,
    "required_when": _required_when,
    "weight_dose": _weight_dose,
    "device_dose": _device_dose,
    "remeasure": _remeasure,
    "due_at": _due_at,
    "streak": _streak,
    "adequate_dose": _adequate_dose,
}
