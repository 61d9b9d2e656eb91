"""Shared helpers for commands that read JSON and print JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer

from trdnav.core.errors import FieldError, InvalidInput

EXIT_INVALID_INPUT = 2


def print_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))


def fail_with(errors: list[FieldError] | tuple[FieldError, ...], **extra: Any) -> NoReturn:
    """Print the errors as JSON and exit with status 2 (wrong input)."""
    print_json({**extra, "errors": [error.as_dict() for error in errors]})
    raise typer.Exit(EXIT_INVALID_INPUT)


def read_json_input(input_file: Path | None, **extra: Any) -> Any:
    """One JSON document from ``--input FILE`` or standard input; bad JSON exits with 2.

    ``extra`` fields are printed with the error (a command's contract fields, e.g. ``total``)."""
    try:
        text = input_file.read_text(encoding="utf-8") if input_file else sys.stdin.read()
    except OSError as exc:
        fail_with([FieldError("input", f"cannot read {input_file}: {exc.strerror}")], **extra)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} at line {exc.lineno}"
        fail_with([FieldError("input", message)], **extra)


def exit_on_invalid(exc: InvalidInput, **extra: Any) -> NoReturn:
    fail_with(exc.errors, **extra)
