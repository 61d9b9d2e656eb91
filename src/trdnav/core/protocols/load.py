"""Loads the protocol data files (``data/*.toml``) and checks their schema.

Each file is one protocol. Every parameter, check, measure and checkpoint names a ``source`` (a
key in ``data/_sources.toml`` or in the therapy source register) and a ``status``. A broken file
is a ``KnowledgeBaseError`` at load, never a wrong check at the bedside.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.knowledge import load_document
from trdnav.core.protocols.model import (
    FIELD_KINDS,
    LEVELS,
    MODALITIES,
    STATUSES,
    CheckpointSpec,
    CheckSpec,
    FieldSpec,
    Level,
    MeasureSpec,
    Parameter,
    Phase,
    Protocol,
    ProtocolError,
    Status,
)

DATA_DIR = Path(__file__).parent / "data"
DAILY_FROM = 5  # sessions a week from which a phase runs on consecutive weekdays
# Sessions a week -> days of the week (from the phase's first day) they fall on (P-C7).
WEEKLY_PATTERNS: dict[int, tuple[int, ...]] = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
}
SOURCES_FILE = "_sources.toml"
REMS_FILE = "rems.toml"
THERAPY_SOURCES = "therapies/_sources.toml"
CHECK_KINDS = (
    "compare",
    "required_when",
    "weight_dose",
    "device_dose",
    "remeasure",
    "due_at",
    "adequate_dose",
    "streak",
)
CONDITIONS = ("no_early_improvement", "no_response", "no_remission", "no_reliable_improvement")
_CONTEXT = {"context.weight_kg", "context.age_years", "context.session_number"}


def _fail(where: str, message: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(f"protocols/{where}: {message}")


def read_toml(name: str) -> dict[str, Any]:
    try:
        with (DATA_DIR / name).open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise _fail(name, "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise _fail(name, f"invalid TOML: {exc}") from None


@cache
def source_register() -> Mapping[str, str]:
    """Every resolvable source key -> its full citation (protocol register, then therapies)."""
    register: dict[str, str] = {}
    therapy = load_document(THERAPY_SOURCES).get("sources", {})
    for key, raw in therapy.items():
        register[key] = str(raw["citation"])
    for key, raw in read_toml(SOURCES_FILE).get("sources", {}).items():
        if not isinstance(raw, Mapping) or not str(raw.get("citation", "")).strip():
            raise _fail(SOURCES_FILE, f"[sources.{key}] needs a citation")
        register[key] = str(raw["citation"])
    return register


def _text(raw: Mapping[str, Any], key: str, where: str, *, default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise _fail(where, f"{key} must be non-empty text")
    return value


def _status(raw: Mapping[str, Any], where: str) -> Status:
    value = raw.get("status")
    if value not in STATUSES:
        raise _fail(where, f"status must be one of {', '.join(STATUSES)}; got {value!r}")
    return cast(Status, value)


def _level(raw: Mapping[str, Any], where: str) -> Level:
    value = raw.get("level")
    if value not in LEVELS:
        raise _fail(where, f"level must be one of {', '.join(LEVELS)}; got {value!r}")
    return cast(Level, value)


def _source(raw: Mapping[str, Any], where: str) -> str:
    key = _text(raw, "source", where)
    for part in key.split("+"):
        if part.strip() not in source_register():
            raise _fail(where, f"source {part.strip()!r} is not in a source register")
    return key


def _int(raw: Mapping[str, Any], key: str, where: str, default: int | None = None) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, f"{key} must be an integer")
    return value


def _optional_int(raw: Mapping[str, Any], key: str, where: str) -> int | None:
    return _int(raw, key, where) if key in raw else None


def _optional_number(raw: Mapping[str, Any], key: str, where: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(where, f"{key} must be a number")
    return float(value)


def _field(raw: Mapping[str, Any], where: str) -> FieldSpec:
    kind = _text(raw, "kind", where)
    if kind not in FIELD_KINDS:
        raise _fail(where, f"kind must be one of {', '.join(FIELD_KINDS)}")
    choices = tuple(str(c) for c in raw.get("choices", []))
    if kind == "choice" and not choices:
        raise _fail(where, "a choice field needs choices")
    return FieldSpec(
        name=_text(raw, "name", where),
        label=_text(raw, "label", where),
        kind=kind,
        unit=_text(raw, "unit", where, default=""),
        required=bool(raw.get("required", False)),
        choices=choices,
        help=_text(raw, "help", where, default=""),
        min_value=_optional_number(raw, "min", where),
        max_value=_optional_number(raw, "max", where),
        required_at_sessions=tuple(int(n) for n in raw.get("required_at_sessions", [])),
    )


def _parameter(name: str, raw: Mapping[str, Any], where: str) -> Parameter:
    if "value" not in raw:
        raise _fail(where, "value is missing")
    clinic = raw.get("clinic", "fixed")
    if clinic not in ("fixed", "tighten", "any"):
        raise _fail(where, "clinic must be fixed, tighten or any")
    tighter = raw.get("tighter")
    if clinic != "fixed" and tighter not in ("lower", "higher"):
        raise _fail(where, "a clinic-configurable limit needs tighter = lower or higher")
    return Parameter(
        name=name,
        value=raw["value"],
        unit=_text(raw, "unit", where, default=""),
        label=_text(raw, "label", where),
        source=_source(raw, where),
        status=_status(raw, where),
        clinic=clinic,
        tighter=tighter,
        policy=raw.get("policy"),
    )


def _check(raw: Mapping[str, Any], where: str, fields: set[str], params: set[str]) -> CheckSpec:
    kind = _text(raw, "kind", where)
    if kind not in CHECK_KINDS:
        raise _fail(where, f"kind must be one of {', '.join(CHECK_KINDS)}")
    field_name = _text(raw, "field", where)
    if field_name not in fields:
        raise _fail(where, f"field {field_name!r} is not a session field")
    _check_references(raw, where, fields, params)
    return CheckSpec(
        rule=_text(raw, "rule", where),
        kind=kind,
        level=_level(raw, where),
        field=field_name,
        message=_text(raw, "message", where),
        source=_source(raw, where),
        status=_status(raw, where),
        spec=dict(raw),
        policy=raw.get("policy"),
    )


def _conditions(raw: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for key in ("any", "all", "when"):
        found.extend(raw.get(key, []))
    return found


def _check_references(
    raw: Mapping[str, Any], where: str, fields: set[str], params: set[str]
) -> None:
    """Every field and parameter a check names exists (``context.*`` names the context)."""
    for condition in _conditions(raw):
        for key in ("field", "minus", "other", "divide"):
            name = condition.get(key)
            if name is not None and name.removeprefix("latest.") not in fields | _CONTEXT:
                raise _fail(where, f"condition names unknown field {name!r}")
        param = condition.get("param")
        if param is not None and param not in params:
            raise _fail(where, f"condition names unknown parameter {param!r}")
    for key in ("param", "tolerance", "devices_field", "weight_field", "drug_field", "kind_field"):
        name = raw.get(key)
        if name is None:
            continue
        known = params if key in ("param", "tolerance") else fields
        if name not in known:
            raise _fail(where, f"{key} names unknown {name!r}")


def _measure(raw: Mapping[str, Any], where: str) -> MeasureSpec:
    when = _text(raw, "when", where)
    if when not in ("baseline", "during", "end"):
        raise _fail(where, "when must be baseline, during or end")
    every = _optional_int(raw, "every_sessions", where)
    if when == "during" and (every is None or every < 1):
        raise _fail(where, "a during measure needs a positive every_sessions")
    return MeasureSpec(
        instrument=_text(raw, "instrument", where),
        when=cast(Any, when),
        every_sessions=every,
        source=_source(raw, where),
        status=_status(raw, where),
    )


def _checkpoint(raw: Mapping[str, Any], where: str) -> CheckpointSpec:
    condition = _text(raw, "condition", where)
    if condition not in CONDITIONS:
        raise _fail(where, f"condition must be one of {', '.join(CONDITIONS)}")
    after_sessions = _optional_int(raw, "after_sessions", where)
    after_days = _optional_int(raw, "after_days", where)
    if after_sessions is None and after_days is None:
        raise _fail(where, "a checkpoint needs after_sessions or after_days")
    return CheckpointSpec(
        rule=_text(raw, "rule", where),
        level=_level(raw, where),
        after_sessions=after_sessions,
        after_days=after_days,
        condition=cast(Any, condition),
        message=_text(raw, "message", where),
        source=_source(raw, where),
        status=_status(raw, where),
        policy=raw.get("policy"),
    )


def _phase(raw: Mapping[str, Any], where: str) -> Phase:
    per_week = raw.get("per_week")
    if isinstance(per_week, bool) or not isinstance(per_week, int | float) or per_week <= 0:
        raise _fail(where, "per_week must be a positive number")
    if not (per_week >= DAILY_FROM or per_week < 1 or per_week in WEEKLY_PATTERNS):
        raise _fail(where, "per_week between one and five a week must be a whole number")
    return Phase(
        name=_text(raw, "name", where),
        sessions=_int(raw, "sessions", where),
        per_week=float(per_week),
        per_day=_int(raw, "per_day", where, default=1),
        source=_source(raw, where),
        status=_status(raw, where),
    )


def parse_protocol(document: Mapping[str, Any], name: str) -> Protocol:
    """One protocol from its parsed TOML document (``name`` is the file, for messages)."""
    head = document.get("protocol")
    if not isinstance(head, Mapping):
        raise _fail(name, "missing [protocol] table")
    where = f"{name} [protocol]"
    modality = _text(head, "modality", where)
    if modality not in MODALITIES:
        raise _fail(where, f"modality must be one of {', '.join(MODALITIES)}")
    fields = tuple(
        _field(raw, f"{name} fields[{i}]") for i, raw in enumerate(document.get("fields", []))
    )
    field_names = {f.name for f in fields}
    if len(field_names) != len(fields):
        raise _fail(name, "field names must be unique")
    parameters = {
        key: _parameter(key, raw, f"{name} [parameters.{key}]")
        for key, raw in document.get("parameters", {}).items()
    }
    checks = tuple(
        _check(raw, f"{name} checks[{i}]", field_names, set(parameters))
        for i, raw in enumerate(document.get("checks", []))
    )
    phases = tuple(
        _phase(raw, f"{name} phases[{i}]") for i, raw in enumerate(document.get("phases", []))
    )
    planned = _int(head, "planned_sessions", where)
    if phases and sum(p.sessions for p in phases) != planned:
        raise _fail(where, "planned_sessions must equal the sum of the phases' sessions")
    per_week = head.get("sessions_per_week")
    if isinstance(per_week, bool) or not isinstance(per_week, int | float):
        raise _fail(where, "sessions_per_week must be a number")
    protocol = Protocol(
        id=_text(head, "id", where),
        name=_text(head, "name", where),
        modality=modality,
        therapy_ids=tuple(str(t) for t in head.get("therapy_ids", [])),
        session_fields=fields,
        primary_instrument=_text(head, "primary_instrument", where),
        planned_sessions=planned,
        sessions_per_week=float(per_week),
        summary=_text(head, "summary", where, default=""),
        source=_source(head, where),
        status=_status(head, where),
        phases=phases,
        parameters=parameters,
        checks=checks,
        measures=tuple(
            _measure(raw, f"{name} measures[{i}]")
            for i, raw in enumerate(document.get("measures", []))
        ),
        checkpoints=tuple(
            _checkpoint(raw, f"{name} checkpoints[{i}]")
            for i, raw in enumerate(document.get("checkpoints", []))
        ),
        early_improvement=bool(head.get("early_improvement", False)),
        outcome_after_sessions=_optional_int(head, "outcome_after_sessions", where),
        rems=bool(head.get("rems", False)),
    )
    if not protocol.therapy_ids:
        raise _fail(where, "therapy_ids must name at least one therapy")
    return protocol


def protocol_files() -> tuple[Path, ...]:
    return tuple(
        path for path in sorted(DATA_DIR.glob("*.toml")) if not path.name.startswith(("_", "rems"))
    )


@cache
def load_protocols() -> Mapping[str, Protocol]:
    """Every protocol, by id (cached; the data is read once per process)."""
    protocols: dict[str, Protocol] = {}
    for path in protocol_files():
        protocol = parse_protocol(read_toml(path.name), path.name)
        if protocol.id != path.stem:
            raise _fail(path.name, f"protocol id {protocol.id!r} must match the file name")
        protocols[protocol.id] = protocol
    return MappingProxyType(protocols)  # cached: callers must not change it


def get_protocol(protocol_id: str) -> Protocol:
    """The protocol with this id, or a ProtocolError naming the id and the known ids."""
    found = load_protocols().get(protocol_id)
    if found is None:
        known = ", ".join(sorted(load_protocols()))
        raise ProtocolError("protocol", f"unknown protocol {protocol_id!r}; known: {known}")
    return found


def protocols_for_therapy(therapy_id: str) -> tuple[Protocol, ...]:
    """The protocols that deliver this knowledge-base therapy (empty when none does)."""
    return tuple(p for p in load_protocols().values() if therapy_id in p.therapy_ids)


@cache
def protocols_version() -> str:
    """A short content hash of the protocol data, to store with a course or a session."""
    digest = hashlib.sha256()
    for path in sorted(DATA_DIR.glob("*.toml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"pr-{digest.hexdigest()[:12]}"
