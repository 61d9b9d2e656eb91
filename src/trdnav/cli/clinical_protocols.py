"""``trdnav protocols``, ``session-check`` and ``course-outcome``: treatment-course protocols.

Like the other clinical commands these call ``trdnav.core`` directly (no database). A session
that cannot be signed is still a successful check (exit 0); unreadable or invalid input exits 2
with a JSON error naming the field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from trdnav.cli.output import exit_on_invalid, print_json, read_json_input
from trdnav.core.errors import InvalidInput
from trdnav.core.protocols import (
    check_session,
    course_outcome,
    get_protocol,
    load_protocols,
    protocols_version,
    rems_rule_in_force,
    source_register,
)
from trdnav.core.protocols.parse import parse_course_input, parse_session_input

InputFile = Annotated[
    Path | None,
    typer.Option("--input", "-i", help="JSON file to read (default: standard input)."),
]
protocols_app = typer.Typer(
    help="Treatment-course protocols (JSON).", no_args_is_help=False, invoke_without_command=True
)


@protocols_app.callback()
def protocols(ctx: typer.Context) -> None:
    """List the protocols: id, name, modality, therapies, sessions and instrument."""
    if ctx.invoked_subcommand is not None:
        return
    print_json(
        {
            "version": protocols_version(),
            "protocols": [
                {
                    "id": p.id,
                    "name": p.name,
                    "modality": p.modality,
                    "therapy_ids": list(p.therapy_ids),
                    "planned_sessions": p.planned_sessions,
                    "sessions_per_week": p.sessions_per_week,
                    "primary_instrument": p.primary_instrument,
                    "status": p.status,
                }
                for p in load_protocols().values()
            ],
        }
    )


def _citations(payload: dict[str, Any]) -> dict[str, str]:
    keys: set[str] = {payload["source"]}
    for section in ("parameters", "checks", "measures", "checkpoints", "phases"):
        keys.update(item["source"] for item in payload[section])
    register = source_register()
    return {
        part: register[part] for key in sorted(keys) for part in key.split("+") if part in register
    }


@protocols_app.command("show")
def show(
    protocol_id: Annotated[
        str, typer.Argument(metavar="ID", help="Protocol id (trdnav protocols).")
    ],
) -> None:
    """One protocol: fields, parameters and checks with their sources and statuses. Figures
    not checked against a stored source are marked ``"unverified": true``."""
    try:
        protocol = get_protocol(protocol_id)
    except InvalidInput as exc:
        exit_on_invalid(exc)
    payload = protocol.to_dict()
    payload["unverified"] = sorted(
        {p["name"] for p in payload["parameters"] if p["unverified"]}
        | {c["rule"] for c in payload["checks"] if c["unverified"]}
        | {c["rule"] for c in payload["checkpoints"] if c["unverified"]}
        | {f"phase:{p['name']}" for p in payload["phases"] if p["unverified"]}
    )
    if protocol.rems:
        today = datetime.now(UTC).astimezone().date()
        rule = rems_rule_in_force(today)
        payload["rems_rule"] = None if rule is None else rule.to_dict()
    payload["sources"] = _citations(payload)
    print_json(payload)


def session_check(
    protocol_id: Annotated[str, typer.Argument(metavar="PROTOCOL", help="Protocol id.")],
    input_file: InputFile = None,
) -> None:
    """Check one session's values: {"values": {...}, "context": {"session_number": 1, ...}}.

    Prints {"protocol", "can_sign", "findings": [{"rule", "level", "field", "message",
    "source"}]}; exit 0 when checked (even when it cannot be signed), 2 for unusable input."""
    raw = read_json_input(input_file)
    try:
        parsed = parse_session_input(raw)
        print_json(check_session(protocol_id, parsed.values, parsed.context).to_dict())
    except InvalidInput as exc:
        exit_on_invalid(exc)


def course_outcome_command(input_file: InputFile = None) -> None:
    """A course's outcome and checkpoint alerts from {"protocol", "baseline", "scores":
    [{"on", "score"}], "start", "sessions_done", "as_of"} (as_of defaults to today)."""
    raw = read_json_input(input_file)
    try:
        today = datetime.now(UTC).astimezone().date()
        course = parse_course_input(raw, as_of=today)
        result = course_outcome(
            course.protocol,
            instrument=course.instrument,
            baseline=course.baseline,
            scores=course.scores,
            start=course.start,
            sessions_done=course.sessions_done,
            as_of=course.as_of,
        )
        print_json(result.to_dict())
    except InvalidInput as exc:
        exit_on_invalid(exc)


def register(app: typer.Typer) -> None:
    """Add the ``protocols`` group, ``session-check`` and ``course-outcome`` to ``app``."""
    app.add_typer(protocols_app, name="protocols")
    app.command("session-check")(session_check)
    app.command("course-outcome")(course_outcome_command)
