"""Chart page cost for five years of weekly scores against a one-score baseline, same run.

Run: ``.venv/bin/python benchmarks/chart_page.py [--repeats N]`` (see benchmarks/README.md).
It creates a throw-away test database, builds two patients in one clinic — one with a single
PHQ-9, one with five years of weekly PHQ-9 and MADRS totals — renders each chart page
``--repeats`` times through Django's test client and prints the median render time, the query
count and the ratios. Nothing here asserts a time: it reports what it measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trdnav.site.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from trdnav.accounts.models import Clinic, Membership, Role, User  # noqa: E402
from trdnav.assessments.models import Assessment  # noqa: E402
from trdnav.core.instruments import score_instrument  # noqa: E402
from trdnav.patients.models import Patient  # noqa: E402

WEEKS = 5 * 52
START = date(2020, 1, 6)


def _assessment(patient: Patient, code: str, answers: dict[str, object], day: date) -> Assessment:
    result = score_instrument(code, answers)
    snapshot = result.to_dict()
    return Assessment(
        patient=patient,
        instrument=code,
        answers=answers,
        result=snapshot,
        valid=result.valid,
        total=result.total,
        severity=result.severity or "",
        safety=None if result.safety is None else result.safety.value,
        safety_priority="" if result.safety_priority is None else result.safety_priority.value,
        knowledge_version=str(snapshot["knowledge_version"]),
        administered_on=day,
        source="clinician",
    )


def _weekly(patient: Patient) -> list[Assessment]:
    rows = []
    for week in range(WEEKS):
        day = START + timedelta(weeks=week)
        level = (week // 13) % 4  # a slow wave between remission and moderate severity
        rows.append(_assessment(patient, "phq9", {"items": [level] * 8 + [0]}, day))
        rows.append(_assessment(patient, "madrs", {"items": [level + 1] * 9 + [0]}, day))
    return rows


def build() -> tuple[User, Patient, Patient]:
    clinic = Clinic.objects.create(name="Bench Clinic", slug="bench")
    user = User.objects.create_user(username="bench-clinician", password="x" * 16)
    Membership.objects.create(user=user, clinic=clinic, role=Role.CLINICIAN)
    born = date(1980, 1, 1)
    small = Patient.objects.create(clinic=clinic, record_number="B-1", given_name="One",
                                   family_name="Score", date_of_birth=born)  # fmt: skip
    large = Patient.objects.create(clinic=clinic, record_number="B-2", given_name="Five",
                                   family_name="Years", date_of_birth=born)  # fmt: skip
    Assessment.objects.bulk_create([_assessment(small, "phq9", {"items": [1] * 9}, START)])
    Assessment.objects.bulk_create(_weekly(large), batch_size=500)
    return user, small, large


def _timed(client: Client, url: str) -> float:
    began = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200
    return time.perf_counter() - began


def measure(client: Client, patients: list[Patient], repeats: int) -> list[tuple[float, int, int]]:
    """Per patient: median seconds, queries and bytes of the chart page. Renders alternate
    between the patients so that warm-up and machine noise fall on both alike."""
    urls = [f"/patients/{patient.pk}/" for patient in patients]
    for url in urls:
        client.get(url)  # warm caches (templates, knowledge base)
    times: list[list[float]] = [[] for _ in urls]
    for _ in range(repeats):
        for index, url in enumerate(urls):
            times[index].append(_timed(client, url))
    results = []
    for index, url in enumerate(urls):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        results.append((statistics.median(times[index]), len(queries), len(response.content)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        user, small, large = build()
        client = Client()
        client.force_login(user)
        base, big = measure(client, [small, large], args.repeats)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"chart page, median of {args.repeats} renders ({connection.vendor})")
    _line("baseline: 1 score", base)
    _line(f"large: {2 * WEEKS} scores", big)
    print(f"  ratio: time ×{big[0] / base[0]:.2f}, queries {big[1] - base[1]:+d}")


def _line(name: str, measured: tuple[float, int, int]) -> None:
    seconds, queries, size = measured
    print(f"  {name:<22} {seconds * 1000:8.1f} ms {queries:3d} queries {size:8d} bytes")


if __name__ == "__main__":
    main()
