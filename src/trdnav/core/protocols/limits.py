"""Clinic limits: the protocol's parameter values with a clinic's own limits applied (P-C4)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from trdnav.core.protocols.model import Parameter, Protocol, ProtocolError
from trdnav.core.protocols.results import Finding
from trdnav.core.protocols.values import _fmt

CLINIC_LIMITS_KEY = "protocol_limits"
CLINIC_IGNORED_RULE = "clinic_limit_ignored"


@dataclass(frozen=True)
class Limits:
    values: Mapping[str, Any]
    by_clinic: frozenset[str]
    findings: tuple[Finding, ...]


def effective_limits(protocol: Protocol, clinic_settings: Mapping[str, Any]) -> Limits:
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
    return Limits(values, frozenset(by_clinic), tuple(findings))


def _looser(param: Parameter, value: float) -> bool:
    if param.tighter == "lower":
        return bool(value > param.value)
    return bool(value < param.value)
