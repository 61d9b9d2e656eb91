"""Scale-out, shown (docs/deployment.md, "More than one app server"): two app servers, each
its own ``trdnav serve`` process group, behind one proxy, on one PostgreSQL database, with
two job workers. A log-in on one server holds on the other (sessions live in the database),
failed log-ins count across both (the throttle lives in the database), concurrent writes
through the proxy are each stored exactly once, and two workers run each job exactly once.

PostgreSQL only: on SQLite every server would share one file on one machine, which is not
the scale-out this shows (docs/deployment.md). CI's PostgreSQL pass runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.site.live import (
    TRDNAV,
    Client,
    DemoSite,
    Server,
    assessment_count,
    check_writes,
    mixed_load,
    prepare_demo,
    query,
    scratch_database,
)
from tests.site.proxy import PIN, Proxy

pytestmark = [
    pytest.mark.live,
    # Two servers on one SQLite file is not a supported deployment: a SQLite run deselects
    # this module (tests/conftest.py), and CI's PostgreSQL pass runs it.
    pytest.mark.postgresql_only,
]
SECONDS = float(os.environ.get("TRDNAV_LIVE_SECONDS", "8"))
JOBS = 40


@dataclass
class Cluster:
    site: DemoSite
    servers: list[Server]
    proxy: Proxy


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    workdir = tmp_path_factory.mktemp("scale-out")
    with scratch_database(workdir) as url:
        # Forwarded headers count only from the proxy's address, as in production.
        site = prepare_demo(workdir, url, TRDNAV_TRUSTED_PROXIES="127.0.0.1",
                            TRDNAV_REMINDERS_HOUR="off")  # fmt: skip
        servers = [Server(site.env, workers=1, threads=4) for _ in range(2)]
        for server in servers:
            server.start()
        proxy = Proxy([server.base for server in servers])
        proxy.start()
        try:
            yield Cluster(site, servers, proxy)
        finally:
            proxy.stop()
            for server in servers:
                server.stop()


def _pinned(cluster: Cluster, index: int, client: Client) -> Client:
    client.headers[PIN] = str(index)
    return client


def test_a_log_in_on_one_server_is_valid_on_the_other(cluster: Cluster) -> None:
    client = Client(cluster.proxy.base)
    status, _ = _pinned(cluster, 0, client).login("demo-clinician", "demo-clinician-pass")
    assert status == 302 and client.header("X-Upstream") == "0"
    status, _ = _pinned(cluster, 1, client).get("/dashboard/")
    assert (status, client.header("X-Upstream")) == (200, "1")
    _pinned(cluster, 1, client).post_form("/accounts/logout/", {}, page="/dashboard/")
    status, _ = _pinned(cluster, 0, client).get("/dashboard/")
    assert status == 302, "a log-out on one server ends the session on the other"


def test_failed_log_ins_count_across_both_servers(cluster: Cluster) -> None:
    # Five failures (TRDNAV_LOGIN_MAX_FAILURES), alternating servers, lock the username: the
    # right password is then refused on either server.
    for attempt in range(5):
        client = _pinned(cluster, attempt % 2, Client(cluster.proxy.base))
        status, _ = client.login("demo-nurse", "wrong password")
        assert status == 200
    for index in (0, 1):
        client = _pinned(cluster, index, Client(cluster.proxy.base))
        status, page = client.login("demo-nurse", "demo-nurse-pass")
        assert status == 200 and "Too many failed attempts" in page, index
    rows = query(cluster.site.database_url,
                 "SELECT failures_since_start FROM axes_accessattempt WHERE username = %s",
                 ("demo-nurse",))  # fmt: skip
    assert sum(row[0] for row in rows) >= 5


def test_concurrent_writes_through_the_proxy_are_each_stored_once(cluster: Cluster) -> None:
    url = cluster.site.database_url
    before = {patient: assessment_count(url, patient) for patient in cluster.site.patients}
    served = dict(cluster.proxy.served)
    result = mixed_load(cluster.proxy.base, cluster.site, clients=10, seconds=SECONDS)
    assert result.errors == [], result.summary()
    assert check_writes(url, result, before) == []
    assert all(cluster.proxy.served[i] > served.get(i, 0) + 5 for i in (0, 1)), "both served"
    assert all(server.errors_in_log() == [] for server in cluster.servers)


ENQUEUE = """
import django, sys
django.setup()
from datetime import timedelta
from django.utils import timezone
from trdnav.jobs.models import Job
start = timezone.now() + timedelta(seconds=float(sys.argv[2]))
Job.objects.bulk_create(Job(kind="selftest", payload={"sleep": 0.1}, run_after=start)
                        for _ in range(int(sys.argv[1])))
"""


def _workers(cluster: Cluster) -> list[subprocess.Popen[bytes]]:
    env = cluster.site.env
    log = Path(env["TRDNAV_DATA_DIR"]) / "workers.log"
    with log.open("ab") as out:
        return [
            subprocess.Popen(
                [TRDNAV, "worker", "--name", name, "--poll", "0.1"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            for name in ("worker-a", "worker-b")
        ]


def _wait_for_jobs(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = query(url, "SELECT COUNT(*) FROM jobs_job WHERE status IN ('queued', 'running')")
        if left[0][0] == 0:
            return
        time.sleep(0.5)
    raise AssertionError("the workers did not finish the jobs")


def test_two_workers_run_each_job_exactly_once(cluster: Cluster) -> None:
    url, env = cluster.site.database_url, cluster.site.env
    workers = _workers(cluster)
    try:
        # Ready a few seconds from now, when both workers are polling: both then compete.
        subprocess.run([sys.executable, "-c", ENQUEUE, str(JOBS), "4"], env=env, check=True,
                       cwd=env["TRDNAV_DATA_DIR"])  # fmt: skip
        _wait_for_jobs(url)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            assert worker.wait(timeout=60) == 0
    jobs = query(url, "SELECT status, attempts, claimed_by FROM jobs_job WHERE kind = 'selftest'")
    assert len(jobs) == JOBS
    assert {(status, attempts) for status, attempts, _ in jobs} == {("done", 1)}
    runs = query(url, "SELECT job_id, COUNT(*) FROM jobs_joboutput WHERE name = 'ran' "
                      "GROUP BY job_id")  # fmt: skip
    assert len(runs) == JOBS and {count for _, count in runs} == {1}
    assert {claimed for _, _, claimed in jobs} == {"worker-a", "worker-b"}, "both took jobs"
