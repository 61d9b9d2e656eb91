"""Mixed reads and writes from many clients through the real server; counts every error.

Run: ``.venv/bin/python benchmarks/mixed_load.py --clients 50 --seconds 60`` (see
benchmarks/README.md). It loads the demo clinic into a new database (SQLite in a temporary
folder, or a new PostgreSQL database when DATABASE_URL points at a PostgreSQL server), starts
``trdnav serve``, and runs the clients: clinicians log in, open the dashboard and charts and save
PHQ-9 forms; API clients list and read patients and record assessments with idempotency keys;
patients open the portal. Afterwards it checks that every acknowledged write is stored exactly
once and prints the counts as JSON. Exit status 1 when any request failed or a write is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.site.live import (
    Server,
    assessment_count,
    check_writes,
    mixed_load,
    prepare_demo,
    scratch_database,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trdnav-load-") as folder:
        workdir = Path(folder)
        with scratch_database(workdir) as url:
            site = prepare_demo(workdir, url)
            before = {p: assessment_count(url, p) for p in site.patients}
            server = Server(site.env, workers=args.workers, threads=args.threads)
            server.start()
            try:
                result = mixed_load(server.base, site, clients=args.clients, seconds=args.seconds)
            finally:
                server.stop()
            problems = check_writes(url, result, before)
            report = {
                "database": url.split(":", 1)[0],
                "clients": args.clients,
                "seconds": args.seconds,
                "workers": args.workers,
                "threads": args.threads,
                **result.summary(),
                "rps": round(sum(result.requests.values()) / args.seconds, 1),
                "first_errors": result.errors[:10],
                "write_problems": problems[:10],
                "server_log_errors": server.errors_in_log()[:10],
            }
    print(json.dumps(report, indent=2))
    return 1 if result.errors or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
