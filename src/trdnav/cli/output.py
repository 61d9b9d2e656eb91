"""Shared helpers for commands that read JSON and print JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import typer

from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.jsonin import load_json
from trdnav.core.limits import MAX_JSON_BYTES

EXIT_INVALID_INPUT = 2


def print_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))


def fail_with(errors: list[FieldError] | tuple[FieldError, ...], **extra: Any) -> NoReturn:
    """Print the errors as JSON and exit with status 2 (wrong input)."""
    print_json({**extra, "errors": [error.as_dict() for error in errors]})
    raise typer.Exit(EXIT_INVALID_INPUT)


def fail_usage(field: str, message: str) -> NoReturn:
    """Refuse a command's argument, file or environment with exit 2: the error as JSON on
    standard output (like every other command's wrong input), and in words on standard error."""
    typer.echo(message, err=True)
    fail_with([FieldError(field, message)])


@contextmanager
def database_ready() -> Iterator[None]:
    """A database that cannot be reached or has no tables (never migrated) is the operator's
    input to fix: exit 2 with a JSON error naming ``trdnav migrate``, never a traceback. Only
    the error's kind is printed: a database's message can quote stored values."""
    from django.db import DatabaseError

    try:
        yield
    except DatabaseError as exc:
        fail_usage(
            "database",
            f"the database cannot be used ({type(exc).__name__}); check DATABASE_URL and run "
            "trdnav migrate",
        )


def read_json_input(input_file: Path | None, **extra: Any) -> Any:
    """One JSON document from ``--input FILE`` or standard input; bad JSON exits with 2.

    ``extra`` fields are printed with the error (a command's contract fields, e.g. ``total``)."""
    # Read at most one byte over the limit, so that an endless input (/dev/zero) still ends.
    try:
        if input_file:
            with input_file.open("rb") as handle:
                data = handle.read(MAX_JSON_BYTES + 1)
        else:
            data = sys.stdin.buffer.read(MAX_JSON_BYTES + 1)
    except OSError as exc:
        fail_with([FieldError("input", f"cannot read {input_file}: {exc.strerror}")], **extra)
    try:
        return load_json(data, field="input")
    except InvalidInput as exc:
        fail_with(exc.errors, **extra)


def exit_on_invalid(exc: InvalidInput, **extra: Any) -> NoReturn:
    fail_with(exc.errors, **extra)
