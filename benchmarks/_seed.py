"""Benchmark data, written fast: a clinic of N patients with weekly scores, in bulk inserts.

Used with Django already set up (in a throw-away test database by ``bench_pages.py``; in the
server's own database, from a child process that set Django up with the server's settings, by
``bench_http.py``). Each score
is computed by the core once per distinct set of answers and copied onto every row that has
those answers, as the app stores it (``Assessment.result`` is ``ScoreResult.to_dict()``).

The rows are varied so that the dashboard has work to do on every patient: every seventh patient
answered the PHQ-9 safety item positively, every fifth is getting worse, every third has not
been measured for longer than the due period.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from typing import Any

from trdnav.accounts.models import Clinic, Membership, Role, User
from trdnav.assessments.models import Assessment
from trdnav.core.instruments import score_instrument
from trdnav.patients.models import Patient

BATCH = 2000
BORN = date(1980, 1, 1)


@cache
def _scored(code: str, items: tuple[int, ...]) -> dict[str, Any]:
    result = score_instrument(code, {"items": list(items)})
    snapshot = result.to_dict()
    return {
        "instrument": code,
        "answers": {"items": list(items)},
        "result": snapshot,
        "valid": result.valid,
        "total": result.total,
        "severity": result.severity or "",
        "safety": None if result.safety is None else result.safety.value,
        "safety_priority": "" if result.safety_priority is None else result.safety_priority.value,
        "knowledge_version": str(snapshot["knowledge_version"]),
    }


def assessment(patient: Patient, code: str, items: tuple[int, ...], day: date) -> Assessment:
    fields = _scored(code, items)
    # Each row gets its own copies of the JSON values (Django may adapt them in place).
    fields = {**fields, "answers": json.loads(json.dumps(fields["answers"]))}
    return Assessment(patient=patient, administered_on=day, source="clinician", **fields)


def clinic_with_clinician(slug: str, username: str, password: str) -> tuple[Clinic, User]:
    clinic = Clinic.objects.create(name=f"Benchmark clinic {slug}", slug=slug)
    user = User.objects.create_user(username=username, password=password)
    Membership.objects.create(user=user, clinic=clinic, role=Role.CLINICIAN)
    return clinic, user


def patients(clinic: Clinic, count: int, prefix: str = "B") -> list[Patient]:
    rows = [
        Patient(
            clinic=clinic,
            record_number=f"{prefix}-{n:06d}",
            given_name=f"Given{n % 97}",
            family_name=f"Family{n:06d}",
            date_of_birth=BORN + timedelta(days=n % 9000),
        )
        for n in range(count)
    ]
    Patient.objects.bulk_create(rows, batch_size=BATCH)
    # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35; read them back to be sure.
    return list(Patient.objects.filter(clinic=clinic).order_by("pk"))


def clinic_scores(people: list[Patient], weeks: int, today: date) -> int:
    """``weeks`` weekly PHQ-9s per patient, ending recently (or long ago for the overdue)."""
    rows: list[Assessment] = []
    written = 0
    for n, patient in enumerate(people):
        end = today - timedelta(days=120 if n % 3 == 0 else 3)
        for week in range(weeks):
            level = (week + n) % 3
            if n % 5 == 0 and week >= weeks - 2:
                level = 3  # worse over the last two weeks
            last = 1 if n % 7 == 0 and week == weeks - 1 else 0  # safety item answered yes
            day = end - timedelta(weeks=weeks - 1 - week)
            rows.append(assessment(patient, "phq9", (level,) * 8 + (last,), day))
        if len(rows) >= BATCH:
            written += _flush(rows)
    return written + _flush(rows)


def weekly_chart(patient: Patient, weeks: int, start: date) -> int:
    """A weekly PHQ-9 and MADRS for ``weeks`` weeks: a slow wave through the severities."""
    rows = []
    for week in range(weeks):
        day = start + timedelta(weeks=week)
        level = (week // 13) % 4
        rows.append(assessment(patient, "phq9", (level,) * 8 + (0,), day))
        rows.append(assessment(patient, "madrs", (level + 1,) * 9 + (0,), day))
    return _flush(rows)


def _flush(rows: list[Assessment]) -> int:
    count = len(rows)
    Assessment.objects.bulk_create(rows, batch_size=BATCH)
    rows.clear()
    return count


def seed_server(options: dict[str, Any]) -> dict[str, Any]:
    """The HTTP benchmark's clinic: a clinician, an API token, ``patients`` patients with
    ``weeks`` weekly PHQ-9s each, and one chart patient with ``chart_weeks`` of PHQ-9 and
    MADRS. Returns the ids and the token."""
    from django.utils import timezone

    from trdnav.accounts.tokens import issue_token
    from trdnav.audit.services import Actor

    today = timezone.localdate()
    clinic, user = clinic_with_clinician("bench", options["username"], options["password"])
    people = patients(clinic, options["patients"])
    clinic_scores(people, options["weeks"], today)
    chart = people[0]
    weekly_chart(chart, options["chart_weeks"], today - timedelta(weeks=options["chart_weeks"]))
    _, raw = issue_token(user=user, name="benchmark", by=Actor(user=user, via="system"))
    cds = people[1] if len(people) > 2 else chart
    return {
        "token": raw,
        "chart_patient": chart.pk,
        "write_patient": people[-1].pk,
        **cds_patient(cds, today),
    }


# The demo persona whose treatment history the CDS Hooks patient is given: three failed
# antidepressant trials, so the service has TRD status, stages and options to compute.
CDS_PERSONA = "dana"


def cds_patient(patient: Patient, today: date) -> dict[str, Any]:
    """The CDS Hooks row's patient: a demo persona's treatment history stored on ``patient``
    (its weekly PHQ-9s are already there), and the prefetch an EHR holding this application's
    FHIR export of that patient sends (``record_number_system``: how its Patient names the
    record number, for the issuer's ``patient_identifier_system``)."""
    from django.utils import timezone

    from trdnav.audit.services import Actor
    from trdnav.clinical.services import update_clinical_profile
    from trdnav.demo.histories import persona_history
    from trdnav.demo.personas import PERSONAS
    from trdnav.interop.base import RECORD_NUMBER
    from trdnav.interop.export import export_patient

    by = Actor(user=None, clinic=patient.clinic, via="system")
    history = persona_history(PERSONAS[CDS_PERSONA], today)
    update_clinical_profile(patient=patient, data={"history": history}, by=by, as_of=today)
    bundle = export_patient(patient.pk, by=by, now=timezone.now())
    return {
        "cds_patient": patient.pk,
        "cds_prefetch": prefetch_from(bundle),
        "record_number_system": RECORD_NUMBER,
    }


def _searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    entries = [{"resource": r} for r in resources]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


def _is_survey(resource: dict[str, Any]) -> bool:
    codes = (c.get("code") for cat in resource.get("category", []) for c in cat.get("coding", []))
    return "survey" in codes


def prefetch_from(bundle: dict[str, Any]) -> dict[str, Any]:
    """The service's prefetch keys (``trdnav.cds.prefetch.TEMPLATES``) answered from a patient
    Bundle, as an EHR holding those resources answers the templates' searches."""
    resources: list[dict[str, Any]] = [e["resource"] for e in bundle["entry"]]

    def of(kind: str) -> list[dict[str, Any]]:
        return [r for r in resources if r["resourceType"] == kind]

    return {
        "patient": of("Patient")[0],
        "conditions": _searchset(of("Condition")),
        "medications": _searchset(of("MedicationStatement")),
        "scores": _searchset([r for r in of("Observation") if _is_survey(r)]),
    }
