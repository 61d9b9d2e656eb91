"""The portal's background task: the day's questionnaire reminders (``send_reminders`` job,
enqueued daily by the worker; ``trdnav send-reminders`` from cron does the same)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import timezone

from trdnav.jobs.context import JobContext
from trdnav.portal.services.reminders import send_reminders


def send_due_reminders(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    raw = payload.get("as_of")
    as_of = date.fromisoformat(str(raw)) if raw else timezone.localdate()
    run = send_reminders(as_of=as_of, progress=ctx.progress)
    return {"as_of": as_of.isoformat(), "reminders": run.reminders, "emails": run.emails}
