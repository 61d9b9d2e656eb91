"""``trdnav stage`` and ``trdnav adequacy``: TRD status, staging and trial adequacy.

The command line may read the clock (``--as-of`` defaults to today); the core never does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from trdnav.cli.output import exit_on_invalid, fail_with, print_json, read_json_input
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.history import assess_history, judge_single_trial, parse_history
from trdnav.core.staging import MODELS, score_model

InputFile = Annotated[
    Path | None,
    typer.Option("--input", "-i", help="JSON file to read (default: standard input)."),
]


def _as_of(value: str | None) -> date:
    if value is None:
        return date.today()  # noqa: DTZ011 - a calendar date in the clinic's local time
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail_with([FieldError("as_of", f"must be a date as YYYY-MM-DD; got {value!r}")])


def _history_result(raw: Any, as_of: date, profile: str | None) -> dict[str, Any]:
    history = parse_history(raw)
    return assess_history(history, as_of=as_of, profile=profile).to_dict()


def stage(
    input_file: InputFile = None,
    model: str | None = typer.Option(
        None, help=f"Score one model from its parameters: {', '.join(MODELS)}."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="Assessment date (default today)."),
    profile: str | None = typer.Option(
        None, help="Adequacy profile: usual_minimum (default) or conservative_atrq."
    ),
) -> None:
    """TRD status and staging from a treatment history, or one model from its parameters."""
    raw = read_json_input(input_file)
    try:
        if model is not None:
            print_json(score_model(model, raw))
        else:
            print_json(_history_result(raw, _as_of(as_of), profile))
    except InvalidInput as exc:
        exit_on_invalid(exc)


def adequacy(
    input_file: InputFile = None,
) -> None:
    """Judge one antidepressant trial (drug, daily_dose_mg, weeks_at_or_above_min_dose, …)."""
    raw = read_json_input(input_file)
    try:
        print_json(judge_single_trial(raw).to_dict())
    except InvalidInput as exc:
        exit_on_invalid(exc)


def register(app: typer.Typer) -> None:
    """Add ``stage`` and ``adequacy`` to ``app``."""
    app.command()(stage)
    app.command()(adequacy)
