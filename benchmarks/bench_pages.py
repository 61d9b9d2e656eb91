"""Dashboard and chart page: server time and query count at three sizes each.

Run: ``.venv/bin/python benchmarks/bench_pages.py [--smoke] [--out DIR] [--repeats N]
[--profile]`` (``DATABASE_URL=postgresql://...`` for PostgreSQL). In a throw-away test
database it builds, with bulk inserts:

- three clinics of 50, 500 and 5,000 patients, each patient with 8 weekly PHQ-9s (some with a
  positive safety item, some worsening, some overdue, so every row of the dashboard has work);
- three patients with one, two and a half, and five years of weekly PHQ-9 and MADRS totals
  (104, 260 and 520 assessments).

It renders each page through Django's test client (the whole middleware stack, the session
save and the audit row included; no network), alternating between the sizes so machine noise
falls on all alike, and prints the median time, the number of queries and the page size. The
query count must not grow with the rows; the target is under 50 ms. ``--profile`` prints a
cProfile of the largest of each page (what the time is spent on).
"""

from __future__ import annotations

import cProfile
import logging
import os
import pstats
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trdnav.site.test_settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django

django.setup()

import _seed  # noqa: E402
from _harness import parse_options, print_table, write_report  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

TARGET_MS = 50.0
logging.getLogger("axes").setLevel(logging.WARNING)  # one log-in line per client otherwise
PASSWORD = "benchmark-password-1"  # noqa: S105 (a throw-away test database)


@dataclass(frozen=True)
class Case:
    page: str
    size: str  # what grows, in words
    rows: int  # assessments behind the page
    url: str
    client: Client


def build_dashboards(sizes: tuple[int, ...], weeks: int) -> list[Case]:
    today = timezone.localdate()
    cases = []
    for size in sizes:
        clinic, user = _seed.clinic_with_clinician(f"dash-{size}", f"dash-{size}", PASSWORD)
        people = _seed.patients(clinic, size, prefix=f"D{size}")
        written = _seed.clinic_scores(people, weeks, today)
        client = Client()
        client.force_login(user)
        cases.append(Case("dashboard", f"{size:,} patients", written, "/dashboard/", client))
    return cases


def build_charts(weeks: tuple[int, ...]) -> list[Case]:
    clinic, user = _seed.clinic_with_clinician("chart", "chart", PASSWORD)
    people = _seed.patients(clinic, len(weeks), prefix="C")
    client = Client()
    client.force_login(user)
    start = timezone.localdate() - timedelta(weeks=max(weeks) + 1)
    cases = []
    for patient, count in zip(people, weeks, strict=True):
        written = _seed.weekly_chart(patient, count, start)
        years = f"{count / 52:g} years" if count >= 52 else f"{count} weeks"
        url = f"/patients/{patient.pk}/"
        cases.append(Case("chart", f"{years} weekly", written, url, client))
    return cases


def _get(case: Case) -> tuple[float, int]:
    began = time.perf_counter()
    response = case.client.get(case.url)
    elapsed = time.perf_counter() - began
    assert response.status_code == 200, (case.url, response.status_code)
    return elapsed, len(response.content)


def measure(cases: list[Case], repeats: int) -> list[dict[str, Any]]:
    for case in cases:
        _get(case)  # warm caches (templates, knowledge base)
    times: list[list[float]] = [[] for _ in cases]
    for _ in range(repeats):
        for index, case in enumerate(cases):
            times[index].append(_get(case)[0])
    rows = []
    for index, case in enumerate(cases):
        with CaptureQueriesContext(connection) as queries:
            _, size = _get(case)
        median_ms = statistics.median(times[index]) * 1000
        rows.append(
            {
                "page": case.page,
                "size": case.size,
                "assessments": case.rows,
                "median_ms": round(median_ms, 1),
                "min_ms": round(min(times[index]) * 1000, 1),
                "queries": len(queries),
                "bytes": size,
                "under_target": median_ms < TARGET_MS,
            }
        )
    return rows


def profile(case: Case, top: int = 25) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    _get(case)
    profiler.disable()
    stats = pstats.Stats(profiler)
    # The project's own functions and the template engine by time including callees (the
    # middleware wrappers around the view would fill the list otherwise), then every function
    # by time of its own.
    print(f"\ncProfile of one {case.page} render, {case.size}: cumulative, trdnav and templates")
    ours = r"trdnav/(?!site/|web/|audit/refusals)|template/"
    stats.sort_stats("cumulative").print_stats(ours, top)
    print(f"cProfile of one {case.page} render, {case.size}: own time")
    stats.sort_stats("tottime").print_stats(top)


def profile_api_post(chart: Case) -> None:
    """One API assessment POST (the write the HTTP benchmark drives), for what bounds it."""
    from trdnav.accounts.models import User
    from trdnav.accounts.tokens import issue_token
    from trdnav.audit.services import Actor

    user = User.objects.get(username="chart")
    _, raw = issue_token(user=user, name="profile", by=Actor(user=user, via="system"))
    patient = chart.url.strip("/").split("/")[-1]
    body = {"instrument": "phq9", "answers": {"items": [1, 1, 1, 0, 1, 1, 0, 1, 0]}}
    body["administered_on"] = str(timezone.localdate())
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/patients/{patient}/assessments"
    api.post(url, body, content_type="application/json")  # warm
    profiler = cProfile.Profile()
    profiler.enable()
    response = api.post(url, body, content_type="application/json")
    profiler.disable()
    assert response.status_code == 201, response.content
    stats = pstats.Stats(profiler)
    print("\ncProfile of one API assessment POST: cumulative, trdnav")
    stats.sort_stats("cumulative").print_stats(r"trdnav/(?!site/|web/|audit/refusals)", 25)


def main() -> int:
    options = parse_options(
        __doc__.splitlines()[0],
        repeats={"type": int, "default": None, "help": "renders per page (default 10)"},
        profile={"action": "store_true", "help": "cProfile the largest of each page"},
    )
    smoke = options.smoke
    repeats = options.repeats or (2 if smoke else 10)
    setup_test_environment()
    if connection.vendor == "postgresql":
        # A database of its own, apart from any test run's ``test_<name>`` on the same server.
        connection.settings_dict["TEST"]["NAME"] = f"bench_pages_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        began = time.perf_counter()
        dashboards = build_dashboards((3, 6, 12) if smoke else (50, 500, 5000), 2 if smoke else 8)
        charts = build_charts((2, 4, 8) if smoke else (52, 130, 260))
        built = time.perf_counter() - began
        print(f"built the data in {built:.1f} s ({connection.vendor})")
        rows = measure(dashboards, repeats) + measure(charts, repeats)
        if options.profile:
            profile(dashboards[-1])
            profile(charts[-1])
            profile_api_post(charts[-1])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    constant = {
        page: len({row["queries"] for row in rows if row["page"] == page}) == 1
        for page in ("dashboard", "chart")
    }
    title = f"pages, median of {repeats} renders ({connection.vendor}; target < {TARGET_MS:g} ms)"
    columns = ["page", "size", "assessments", "median_ms", "min_ms", "queries", "bytes"]
    print_table(title, columns, rows)
    print(f"query count constant in the rows: {constant}")
    write_report(
        options.out,
        "pages",
        smoke=smoke,
        rows=rows,
        database=connection.vendor,
        repeats=repeats,
        build_seconds=round(built, 1),
        queries_constant=constant,
        target={"median_ms_below": TARGET_MS, "met": all(r["under_target"] for r in rows)},
    )
    return 0 if all(constant.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
