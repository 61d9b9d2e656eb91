"""The worker loop behind ``trdnav worker`` (and the demo's in-process worker thread).

Besides running queued jobs, each worker keeps two clocks: once a day, after
``TRDNAV_REMINDERS_HOUR`` (local time), it enqueues that day's questionnaire reminders under a
unique key, so however many workers run, one reminder job exists per day; and every hour it
deletes jobs finished more than ``TRDNAV_JOB_KEEP_HOURS`` ago, with their outputs (an export's
files are patient data and are not kept longer than needed).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection, connections
from django.utils import timezone

from trdnav.jobs.models import FINISHED, Job
from trdnav.jobs.runner import enqueue, requeue_stale, run_next

log = logging.getLogger(__name__)
HOUSEKEEPING_EVERY = timedelta(hours=1)


def default_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 10000}"


def enqueue_daily_reminders(now: datetime) -> Job | None:
    """Today's reminder job, once the configured hour has come (None before, or when off)."""
    hour = settings.TRDNAV_REMINDERS_HOUR
    local = timezone.localtime(now)
    if hour is None or local.hour < hour:
        return None
    day = local.date().isoformat()
    return enqueue("send_reminders", {"as_of": day}, unique_key=f"send_reminders:{day}")


def prune_finished(now: datetime) -> int:
    cutoff = now - timedelta(hours=settings.TRDNAV_JOB_KEEP_HOURS)
    old = Job.objects.filter(status__in=FINISHED, finished_at__lt=cutoff)
    deleted, _ = old.delete()
    return deleted


def _refresh_connections() -> None:
    """Drop a connection the database closed meanwhile, as Django does between requests; not
    inside a transaction of the caller (a test's), which owns that connection."""
    if not connection.in_atomic_block:
        close_old_connections()


@dataclass
class Worker:
    name: str = field(default_factory=default_name)
    poll_seconds: float = 1.0
    stop: threading.Event = field(default_factory=threading.Event)
    _last_housekeeping: datetime | None = None

    def housekeeping(self) -> None:
        now = timezone.now()
        enqueue_daily_reminders(now)
        if self._last_housekeeping and now - self._last_housekeeping < HOUSEKEEPING_EVERY:
            return
        self._last_housekeeping = now
        requeue_stale(now=now)
        prune_finished(now)

    def run(self, *, burst: bool = False) -> int:
        """Run jobs until ``stop`` is set (or, with ``burst``, until the queue is empty);
        returns how many jobs ran."""
        ran = 0
        while not self.stop.is_set():
            _refresh_connections()
            self.housekeeping()
            if run_next(self.name):
                ran += 1
                continue
            if burst:
                break
            self.stop.wait(self.poll_seconds)
        return ran


def start_in_thread(poll_seconds: float = 1.0) -> Worker:
    """A worker in a daemon thread of this process: the demo's one-command set-up."""
    worker = Worker(name=f"{default_name()}:demo", poll_seconds=poll_seconds)

    def loop() -> None:
        try:
            worker.run()
        except Exception:  # the demo's web server must keep serving
            log.exception("the in-process worker stopped")
        finally:
            connections.close_all()  # this thread's own connections

    threading.Thread(target=loop, name="trdnav-worker", daemon=True).start()
    return worker
