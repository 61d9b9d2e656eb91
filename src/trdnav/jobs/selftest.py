"""A harmless task: wait a little, then record which worker ran it (``JobOutput`` "ran")."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from trdnav.jobs.context import JobContext

MAX_SLEEP_SECONDS = 5.0


def record_run(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    seconds = min(float(payload.get("sleep", 0.1)), MAX_SLEEP_SECONDS)
    ctx.progress(0, 1, "sleeping")
    time.sleep(seconds)
    ctx.write("ran", ctx.worker, 1)
    ctx.progress(1, 1, "done")
    return {"slept": seconds}
