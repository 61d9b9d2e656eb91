"""Session checks: a protocol's rules (data) applied to one session's values.

``check_session`` validates the values against the protocol's fields (an unknown field or a value
of the wrong type is a ``ProtocolError`` naming the field), then reports, in order:

1. a ``block`` finding ``required_field`` for each required field left empty (never overridable,
   P-C1);
2. the protocol's checks, each with its rule id, level, field, message and source. A message whose
   rule or figures are not verified ends with "(unverified)"; one that uses a limit the clinic
   set says so (P-C4).

``can_sign`` is False exactly when a ``block`` finding exists. Overrides are the app's business.
The check kinds live in ``kinds.py``, clinic limits in ``limits.py``, value typing in ``values.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.core.protocols.kinds import EVALUATORS, Case, _condition
from trdnav.core.protocols.limits import Limits, effective_limits
from trdnav.core.protocols.load import get_protocol
from trdnav.core.protocols.model import (
    UNVERIFIED_SUFFIX,
    CheckSpec,
    Protocol,
    SessionContext,
)
from trdnav.core.protocols.results import Finding, SessionCheck
from trdnav.core.protocols.values import _fmt, is_missing, validate_values

CLINIC_SUFFIX = " (clinic limit)"
REQUIRED_RULE = "required_field"


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
    limits: Limits,
) -> Finding | None:
    spec = check.spec
    sessions = spec.get("sessions")
    if sessions is not None and context.session_number not in sessions:
        return None
    if context.session_number < spec.get("from_session", 0):
        return None
    if not all(_condition(c, values, context, limits) for c in spec.get("when", [])):
        return None
    case = Case(protocol, check, values, context, limits)
    result = EVALUATORS[check.kind](case)
    if result is None:
        return None
    extra, message_key = result
    level = extra.pop("_level", None) or check.level
    if extra.pop("_first", False):
        level = spec.get("level_first", level)
    template = spec.get(message_key, check.message)
    return _finding(case, extra, template, level)


def _finding(case: Case, extra: Mapping[str, Any], template: str, level: Any) -> Finding:
    check, values, limits = case.check, case.values, case.limits
    used = _params_used(check)
    placeholders: dict[str, str] = {k: _fmt(v) for k, v in limits.values.items()}
    placeholders.update({k: _fmt(v) for k, v in values.items()})
    placeholders.update({k: _fmt(v) for k, v in extra.items()})
    placeholders.setdefault("session_number", _fmt(case.context.session_number))
    message = template.format_map(_Placeholders(placeholders))
    unverified = check.status == "from_memory" or any(
        case.protocol.parameters[p].status == "from_memory" for p in used
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
