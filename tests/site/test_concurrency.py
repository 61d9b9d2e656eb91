"""Many people at once through the real server (``trdnav serve``), on the database that
DATABASE_URL names (SQLite by default, PostgreSQL in CI): 20 clients log in, open dashboards,
charts and the portal, save PHQ-9 forms, and read and write through the API for a bounded time.
Not one request may fail, every acknowledged write must be stored exactly once, and the audit
trail those concurrent requests appended to must still verify as one unbroken hash chain."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.site.live import (
    KINDS,
    Server,
    assessment_count,
    check_writes,
    mixed_load,
    prepare_demo,
    query,
    run_trdnav,
    scratch_database,
)

pytestmark = pytest.mark.live

CLIENTS = 20
SECONDS = float(os.environ.get("TRDNAV_LIVE_SECONDS", "12"))


def test_twenty_clients_of_mixed_reads_and_writes_get_no_error_and_every_write_is_stored_once(
    tmp_path: Path,
) -> None:
    with scratch_database(tmp_path) as url:
        site = prepare_demo(tmp_path, url)
        before = {patient: assessment_count(url, patient) for patient in site.patients}
        server = Server(site.env, workers=2, threads=4)
        server.start()
        try:
            result = mixed_load(
                server.base, site, clients=CLIENTS, seconds=SECONDS, every_kind_within=60
            )
        finally:
            server.stop()
        summary = result.summary()
        assert result.errors == [], summary
        assert server.errors_in_log() == []
        # Every kind of request ran, writes included, so the check below is not empty.
        assert set(result.requests) >= KINDS, summary
        assert check_writes(url, result, before) == []
        # Concurrent appends (reads, writes, log-ins, refusals) kept one unbroken chain.
        report = json.loads(run_trdnav(site.env, "audit", "verify"))
        events = query(url, "SELECT COUNT(*) FROM audit_auditevent")[0][0]
        assert report["intact"] is True and report["checked"] == events, report
        assert events > result.requests.get("chart", 0), "reads were audited"
