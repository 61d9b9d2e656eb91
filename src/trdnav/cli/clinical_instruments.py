"""``trdnav score``, ``trdnav outcome`` and ``trdnav instruments``: the instrument library.

Exit status 0 for a scored or incomplete form; 2 for wrong input (out of range, wrong count,
wrong type, unknown instrument), with ``errors`` naming each field and what is allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trdnav.cli.output import (
    EXIT_INVALID_INPUT,
    exit_on_invalid,
    fail_with,
    print_json,
    read_json_input,
)
from trdnav.core.errors import FieldError, InvalidInput, NotAvailable
from trdnav.core.instruments import (
    INSTRUMENT_CODES,
    Instrument,
    UnknownInstrument,
    get_instrument,
    list_instruments,
)
from trdnav.core.instruments.export import full_definition, summary
from trdnav.core.measurement import classify_outcome

CODES_HELP = "Instrument code: " + ", ".join(INSTRUMENT_CODES) + "."

instruments_app = typer.Typer(
    help="List the rating instruments, or show one definition.", no_args_is_help=False
)


def _unscored(code: str) -> dict[str, object]:
    """The contract fields of a form that could not be scored at all (exit 2)."""
    return {"instrument": code, "valid": False, "total": None, "severity": None, "safety": None}


def _instrument_or_exit(code: str) -> Instrument:
    try:
        return get_instrument(code)
    except UnknownInstrument as exc:
        exit_on_invalid(exc, **_unscored(code))


def score(
    instrument: Annotated[str, typer.Argument(help=CODES_HELP)],
    input_file: Annotated[
        Path | None,
        typer.Option("--input", help="JSON file with the answers (default: standard input)."),
    ] = None,
) -> None:
    """Score one completed form read as a JSON object and print the result as JSON.

    Answers: {"items": [int or null, ...]}, {"score": int} for CGI/PGI, or
    {"q1": bool, ..., "q6": bool, "q6_past_3_months": bool or null} for the C-SSRS screen.
    """
    found = _instrument_or_exit(instrument)
    # Unreadable input says no more about the safety item than an empty form: for instruments
    # with one that is "unknown", never "negative" (P-A2).
    unread = _unscored(instrument) | {"safety": found.score({}).to_dict()["safety"]}
    result = found.score(read_json_input(input_file, **unread))
    print_json(result.to_dict())
    if result.rejected:
        raise typer.Exit(EXIT_INVALID_INPUT)


def outcome(
    instrument: Annotated[str, typer.Argument(help=CODES_HELP)],
    baseline: Annotated[int, typer.Option("--baseline", help="Baseline total.")],
    current: Annotated[int, typer.Option("--current", help="Current total.")],
    days: Annotated[
        int | None,
        typer.Option("--days", help="Days since baseline (early improvement: up to day 14)."),
    ] = None,
    remission_rule: Annotated[
        str | None,
        typer.Option(
            "--remission-rule", help="A named remission rule (default: the instrument's)."
        ),
    ] = None,
) -> None:
    """Percent reduction, response, partial response and remission between two totals."""
    _instrument_or_exit(instrument)
    try:
        result = classify_outcome(
            instrument, baseline, current, days_since_baseline=days, remission_rule=remission_rule
        )
    except InvalidInput as exc:
        exit_on_invalid(exc, instrument=instrument)
    except NotAvailable as exc:
        fail_with([FieldError("instrument", str(exc))], instrument=instrument)
    print_json(result.to_dict())


@instruments_app.callback(invoke_without_command=True)
def instruments(ctx: typer.Context) -> None:
    """List every instrument (code, name, respondent, item count, status)."""
    if ctx.invoked_subcommand is None:
        print_json([summary(instrument) for instrument in list_instruments()])


@instruments_app.command("show")
def show(code: Annotated[str, typer.Argument(help=CODES_HELP)]) -> None:
    """Print one instrument's full definition, with the status and source of each part."""
    print_json(full_definition(_instrument_or_exit(code)))


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(score)
    app.command()(outcome)
    app.add_typer(instruments_app, name="instruments")
