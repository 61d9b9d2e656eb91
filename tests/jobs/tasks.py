"""Tasks only the tests register (``monkeypatch.setitem(TASKS, …)``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trdnav.jobs.context import JobContext
from trdnav.jobs.models import Job


def boom(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    ctx.write("partial", "half-written", 1)
    raise RuntimeError("the task broke")


def cancelled_midway(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Writes a part, is cancelled (as a DELETE from elsewhere would), reports progress."""
    ctx.write("part", "x", 1)
    Job.objects.filter(pk=ctx.job_id).update(cancel_requested=True)
    for done in range(1, 4):
        ctx.progress(done, 3, "steps")
    return {"finished": True}


def counts_to_ten(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    for done in range(1, 11):
        ctx.progress(done, 10, "steps")
    return {"counted": 10}
