"""``trdnav backup FILE`` and ``trdnav restore FILE`` for SQLite and PostgreSQL.

SQLite uses the online backup API (a consistent copy while the server runs); PostgreSQL uses
``pg_dump -Fc`` and ``pg_restore`` (which must be on PATH). See docs/deployment.md.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Annotated, Any

import typer

from trdnav.cli.output import fail_usage
from trdnav.cli.server import _start_django

EXIT_FAILED = 1
EXIT_USAGE = 2


def _database() -> dict[str, Any]:
    _start_django()
    from django.conf import settings

    return dict(settings.DATABASES["default"])


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        typer.echo(f"{command[0]} is not installed or not on PATH", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    if result.returncode != 0:
        typer.echo(f"{command[0]} failed:\n{result.stderr.strip()}", err=True)
        raise typer.Exit(EXIT_FAILED)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy page by page with SQLite's backup API, then check the copy."""
    with sqlite3.connect(source, timeout=30) as src, sqlite3.connect(target, timeout=30) as dst:
        src.backup(dst)
        (status,) = dst.execute("PRAGMA integrity_check").fetchone()
    src.close()
    dst.close()
    if status != "ok":
        typer.echo(f"the copy failed its integrity check: {status}", err=True)
        raise typer.Exit(EXIT_FAILED)


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (must not exist).")],
) -> None:
    """Write a consistent backup of the database while the server may keep running."""
    if file.exists():
        fail_usage("file", f"{file} already exists; choose a new name")
    if not file.parent.is_dir():
        fail_usage("file", f"the folder {file.parent} does not exist")
    db = _database()
    if str(db["ENGINE"]).endswith("sqlite3"):
        source = Path(str(db["NAME"]))
        if not source.exists():
            fail_usage("database", f"the database {source} does not exist")
        _sqlite_copy(source, file)
    else:
        args, env = _pg_env(db)
        _run(["pg_dump", "--format=custom", "--file", str(file), *args], env)
    typer.echo(f"Backup written to {file}")


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by trdnav backup.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: the database's contents are replaced.")
    ] = False,
) -> None:
    """Replace the database's contents with a backup (stop the server first)."""
    if not file.is_file():
        fail_usage("file", f"{file} is not a file")
    if not yes:
        fail_usage("yes", "restore replaces every row of the database; add --yes to go on")
    db = _database()
    if str(db["ENGINE"]).endswith("sqlite3"):
        try:
            with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as probe:
                (status,) = probe.execute("PRAGMA integrity_check").fetchone()
                rows = probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                tables = {name for (name,) in rows}
            probe.close()
        except sqlite3.DatabaseError as exc:
            fail_usage("file", f"{file} is not a SQLite backup: {exc}")
        if status != "ok":
            fail_usage("file", f"{file} failed its integrity check: {status}")
        if not {"django_migrations", "audit_auditevent"} <= tables:
            # An empty file opens as an empty database: restoring it would erase everything.
            fail_usage("file", f"{file} is not a TRD Navigator backup (no tables of its own)")
        target = Path(str(db["NAME"]))
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(file, target)
    else:
        args, env = _pg_env(db)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(file),
            ],
            env,
        )
    typer.echo(f"Database restored from {file}")


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
