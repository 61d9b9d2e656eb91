"""``trdnav audit verify``, ``trdnav audit grants`` and ``trdnav prune-logins``.

``audit verify`` walks the audit hash chain (trdnav.audit.chain) and exits 0 when it is
intact, 1 with the first broken link (the event's id) when it is not.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from trdnav.cli.output import database_ready, fail_usage
from trdnav.cli.server import _start_django

audit_app = typer.Typer(
    name="audit", help="Check the audit trail; PostgreSQL grants.", no_args_is_help=True
)


@audit_app.command("verify")
def verify() -> None:
    """Check every audit event's hash chain; exit 1 naming the first broken link."""
    _start_django()
    from trdnav.audit import chain

    with database_ready():
        report = chain.verify()
    result: dict[str, object] = {
        "intact": report.intact,
        "checked": report.checked,
        "head_seq": report.head_seq,
        "head_hash": report.head_hash,
    }
    if report.broken is not None:
        result["broken"] = {
            "event_id": report.broken.event_id,
            "seq": report.broken.seq,
            "reason": report.broken.reason,
        }
        typer.echo(json.dumps(result, indent=2))
        typer.echo(f"audit chain BROKEN at {report.broken.describe()}", err=True)
        raise typer.Exit(1)
    typer.echo(json.dumps(result, indent=2))


@audit_app.command("grants")
def grants(
    role: Annotated[str, typer.Argument(help="The PostgreSQL role the application uses.")],
) -> None:
    """Print the SQL (for the owner role, after each migration) that grants the application
    role what it needs and nothing that could switch the audit guard off."""
    from trdnav.audit.guard import app_role_grants

    try:
        statements = app_role_grants(role)
    except ValueError as error:
        fail_usage("role", str(error))
    for statement in statements:
        typer.echo(statement + ";")


def prune_logins(
    days: Annotated[
        int, typer.Option("--days", min=1, max=36500, help="Keep this many days of records.")
    ] = 30,
) -> None:
    """Delete failed log-in records older than DAYS (they are kept for throttling and review;
    the audit trail itself is never pruned)."""
    _start_django()
    from trdnav.accounts.retention import prune_login_records

    with database_ready():
        removed = prune_login_records(days=days)
    typer.echo(json.dumps({"removed": removed, "kept_days": days}))


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app)
    app.command("prune-logins")(prune_logins)
