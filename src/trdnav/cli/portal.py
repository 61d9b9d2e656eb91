"""``trdnav send-reminders``: e-mail patients whose questionnaires are due (meant for cron).

Idempotent: running it twice on the same day sends nothing the second time.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from trdnav.cli.server import _start_django


def _parse_day(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None


def send_reminders(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Treat this day (YYYY-MM-DD) as today; for testing."),
    ] = None,
) -> None:
    """E-mail a reminder for each questionnaire now due; print how many were sent."""
    day = _parse_day(as_of)
    _start_django()
    from django.utils import timezone

    from trdnav.portal.services.reminders import send_reminders as run

    result = run(as_of=day or timezone.localdate())
    typer.echo(f"Sent {result.reminders} reminder(s) in {result.emails} e-mail(s).")


def register(app: typer.Typer) -> None:
    app.command("send-reminders")(send_reminders)
