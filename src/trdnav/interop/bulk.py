"""FHIR Bulk Data export of a clinic: every patient's resources as NDJSON, one file (in parts
of ``PART_SIZE`` resources) per resource type (docs/interop.md, "Bulk export").

Used by the ``$export`` operation (as the ``fhir_export`` job, ``run_export_job``) and by
``trdnav fhir export --clinic``; both write through a ``Sink``: rows of the job's output in the
database (so any app server can hand the files out), or files in a directory.

Audit: one ``export`` event per patient whose data went into the export (every disclosure of
a record is audited), and one for the export as a whole with the number of patients.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from trdnav.accounts.models import Clinic
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient, record_event
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.interop.base import Resource
from trdnav.interop.export import clinical_resources, patient_record
from trdnav.interop.patient import build_patient
from trdnav.patients.models import Patient

# In the order a reader loads them: the Patient before what refers to it.
RESOURCE_TYPES = (
    "Patient",
    "Condition",
    "MedicationStatement",
    "QuestionnaireResponse",
    "Observation",
    "Provenance",
)
OUTPUT_FORMATS = ("application/fhir+ndjson", "application/ndjson", "ndjson")
PART_SIZE = 1000
Progress = Callable[[int, int, str], None]


class Sink(Protocol):
    def write(self, resource_type: str, body: str, count: int) -> None: ...


def parse_types(raw: str | None) -> tuple[str, ...]:
    """``_type``: comma-separated resource types (all when absent)."""
    if raw is None or not raw.strip():
        return RESOURCE_TYPES
    asked = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [name for name in asked if name not in RESOURCE_TYPES]
    if unknown:
        raise InvalidInput.single(
            "_type",
            f"{', '.join(unknown)} cannot be exported; use any of {', '.join(RESOURCE_TYPES)}",
        )
    return tuple(name for name in RESOURCE_TYPES if name in asked)


def parse_since(raw: str | None) -> datetime | None:
    """``_since``: a FHIR instant (date, time and time zone), e.g. 2026-01-31T08:00:00Z."""
    if raw is None or not raw.strip():
        return None
    try:
        when = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise InvalidInput.single(
            "_since", "must be an instant with a time zone, e.g. 2026-01-31T08:00:00Z"
        )
    return when


def parse_output_format(raw: str | None) -> str:
    value = (raw or OUTPUT_FORMATS[0]).strip()
    if value not in OUTPUT_FORMATS:
        raise InvalidInput.single("_outputFormat", f"use one of {', '.join(OUTPUT_FORMATS)}")
    return value


@dataclass
class Batches:
    """NDJSON lines per resource type, handed to the sink ``PART_SIZE`` at a time."""

    sink: Sink
    lines: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, resource: Resource) -> None:
        kind = str(resource["resourceType"])
        self.lines.setdefault(kind, []).append(json.dumps(resource, separators=(",", ":")))
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if len(self.lines[kind]) >= PART_SIZE:
            self._flush(kind)

    def _flush(self, kind: str) -> None:
        lines = self.lines.pop(kind, [])
        if lines:
            self.sink.write(kind, "\n".join(lines) + "\n", len(lines))

    def close(self) -> None:
        for kind in [k for k in RESOURCE_TYPES if k in self.lines]:
            self._flush(kind)


def _patient_resources(
    patient: Patient, *, types: Iterable[str], since: datetime | None, now: datetime
) -> list[Resource]:
    wanted = set(types)
    found = [
        r for r in clinical_resources(patient, now=now, since=since) if r["resourceType"] in wanted
    ]
    changed = since is None or patient.updated_at >= since
    if "Patient" in wanted and (changed or found):  # what refers to a patient brings it along
        found.insert(0, build_patient(patient_record(patient)))
    return found


@dataclass(frozen=True)
class ExportSummary:
    patients: int
    counts: Mapping[str, int]


def export_clinic(
    clinic: Clinic,
    *,
    types: Iterable[str] = RESOURCE_TYPES,
    since: datetime | None,
    now: datetime,
    by: Actor,
    sink: Sink,
    progress: Progress | None = None,
    export_id: str = "",
) -> ExportSummary:
    types = tuple(types)
    actor = Actor(user=by.user, clinic=clinic, ip_address=by.ip_address, via=by.via)
    patients = Patient.objects.filter(clinic=clinic).order_by("pk")
    total = patients.count()
    batches = Batches(sink)
    exported = 0
    for done, patient in enumerate(patients.iterator(chunk_size=200), start=1):
        resources = _patient_resources(patient, types=types, since=since, now=now)
        if resources:
            for resource in resources:
                batches.add(resource)
            audit_patient(actor, patient, Action.EXPORT, "fhir_bulk_export", patient,
                          summary=f"bulk export of {len(resources)} resources")  # fmt: skip
            exported += 1
        if progress is not None:
            progress(done, total, "patients")
    batches.close()
    record_event(
        by=actor, action=Action.EXPORT, object_type="fhir_bulk_export", object_id=export_id,
        summary=f"bulk export of {exported} patients ({', '.join(types)})",
    )  # fmt: skip
    return ExportSummary(patients=exported, counts=dict(batches.counts))


@dataclass
class DirectorySink:
    """``<dir>/<Type>.ndjson``, one file per resource type (``trdnav fhir export --clinic``)."""

    directory: Path
    files: dict[str, Path] = field(default_factory=dict)

    def write(self, resource_type: str, body: str, count: int) -> None:
        path = self.directory / f"{resource_type}.ndjson"
        with path.open("a", encoding="utf-8") as out:
            out.write(body)
        self.files[resource_type] = path


def run_export_job(payload: Mapping[str, Any], ctx: Any) -> dict[str, Any]:
    """The ``fhir_export`` job: the clinic's export into the job's outputs."""
    from trdnav.accounts.models import User

    clinic = Clinic.objects.get(pk=payload["clinic_id"])
    user = User.objects.filter(pk=ctx.requested_by_id).first()

    class JobSink:
        def write(self, resource_type: str, body: str, count: int) -> None:
            ctx.write(resource_type, body, count)

    summary = export_clinic(
        clinic,
        types=parse_types(",".join(payload.get("types") or RESOURCE_TYPES)),
        since=parse_since(payload.get("since")),
        now=datetime.fromisoformat(str(payload["transaction_time"])),
        by=Actor(user=user, clinic=clinic, via="fhir-bulk"),
        sink=JobSink(),
        progress=ctx.progress,
        export_id=str(ctx.job_id),
    )
    return {"patients": summary.patients, "counts": dict(summary.counts)}


def check_request(params: Mapping[str, str | None]) -> list[FieldError]:
    """Every problem with a kick-off's parameters, each naming its parameter."""
    problems: list[FieldError] = []
    for name, parse in (
        ("_type", parse_types),
        ("_since", parse_since),
        ("_outputFormat", parse_output_format),
    ):
        try:
            parse(params.get(name))
        except InvalidInput as exc:
            problems += exc.errors
    return problems
