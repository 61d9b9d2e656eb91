"""``trdnav fhir questionnaire CODE``, ``trdnav fhir export PATIENT_ID`` and ``trdnav fhir
import FILE --clinic SLUG`` (FHIR R4 JSON), and ``trdnav fhir export --clinic SLUG --out DIR``
(FHIR Bulk Data NDJSON, with a progress bar).

``questionnaire`` reads only the knowledge base (no database). ``export`` prints one patient's
Bundle and records the export in the audit log (``via`` = cli), as every read of patient data is.
``import`` stores a Bundle all or nothing (``trdnav.interop.records.importing``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trdnav.cli.output import (
    database_ready,
    exit_on_invalid,
    fail_usage,
    print_json,
    read_json_input,
)
from trdnav.cli.progress import progress_bar
from trdnav.cli.server import _start_django
from trdnav.core.errors import InvalidInput

fhir_app = typer.Typer(
    name="fhir",
    help="FHIR R4: Questionnaires, patient export and Bundle import.",
    no_args_is_help=True,
)


@fhir_app.command("questionnaire")
def questionnaire(
    code: Annotated[
        str, typer.Argument(help="Instrument code, e.g. phq9 (see trdnav instruments).")
    ],
) -> None:
    """Print the instrument's SDC Questionnaire (FHIR R4 JSON)."""
    from trdnav.interop.questionnaire import build_questionnaire

    try:
        print_json(build_questionnaire(code))
    except InvalidInput as exc:
        exit_on_invalid(exc)


@fhir_app.command("export")
def export(
    patient_id: Annotated[
        int | None, typer.Argument(help="The patient's id (as in /patients/<id>/).")
    ] = None,
    clinic: Annotated[
        str | None, typer.Option(help="Export the whole clinic (its slug) as NDJSON files.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Directory for the clinic's <Type>.ndjson files.")
    ] = None,
    types: Annotated[
        str | None, typer.Option("--type", help="Resource types, comma-separated (_type).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only what changed since this instant (_since).")
    ] = None,
) -> None:
    """Print one patient's record as a FHIR R4 Bundle, or (with --clinic and --out) write a
    clinic's records as FHIR Bulk Data NDJSON files; every export is audited."""
    if clinic is None:
        if patient_id is None:
            fail_usage("patient_id", "give a patient id, or --clinic SLUG --out DIR")
        _export_patient(patient_id)
        return
    if patient_id is not None:
        fail_usage("patient_id", "give either a patient id or --clinic, not both")
    if out is None:
        fail_usage("out", "--clinic needs --out DIR for the NDJSON files")
    _export_clinic(clinic, out, types, since)


def _export_patient(patient_id: int) -> None:
    _start_django()
    from django.db import transaction
    from django.utils import timezone

    from trdnav.audit.services import Actor
    from trdnav.interop.export import export_patient

    try:
        with database_ready(), transaction.atomic():
            bundle = export_patient(patient_id, by=Actor(user=None, via="cli"), now=timezone.now())
    except InvalidInput as exc:
        exit_on_invalid(exc)
    print_json(bundle)


def _export_clinic(slug: str, out: Path, types: str | None, since: str | None) -> None:
    _start_django()
    from django.utils import timezone

    from trdnav.accounts.models import Clinic
    from trdnav.audit.services import Actor
    from trdnav.interop.bulk import DirectorySink, export_clinic, parse_since, parse_types

    try:
        chosen, after = parse_types(types), parse_since(since)
    except InvalidInput as exc:
        exit_on_invalid(exc)
    if out.exists() and (not out.is_dir() or any(out.glob("*.ndjson"))):
        fail_usage("out", f"{out} must be a new or empty directory (no .ndjson files in it)")
    with database_ready():
        found = Clinic.objects.filter(slug=slug).first()
        if found is None:
            fail_usage("clinic", f"no clinic with slug {slug!r}")
        out.mkdir(parents=True, exist_ok=True)
        sink = DirectorySink(out)
        with progress_bar("Exporting") as bar:
            summary = export_clinic(found, types=chosen, since=after, now=timezone.now(),
                                    by=Actor(user=None, clinic=found, via="cli"), sink=sink,
                                    progress=bar)  # fmt: skip
    print_json(
        {
            "clinic": slug,
            "patients": summary.patients,
            "output": [
                {"type": kind, "file": str(sink.files[kind]), "count": summary.counts[kind]}
                for kind in sink.files
            ],
        }
    )


@fhir_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A FHIR R4 Bundle (JSON file; - for stdin).")],
    clinic: Annotated[str, typer.Option(help="The clinic's slug: where the records go.")],
) -> None:
    """Store a Bundle's records in a clinic, all or nothing; audited (via cli).

    Prints what was stored, found unchanged (a re-import) and skipped (computed by the
    application); on any problem exits 2 listing each entry's problem, and nothing is stored."""
    _start_django()
    from django.utils import timezone

    from trdnav.accounts.models import Clinic
    from trdnav.audit.services import Actor
    from trdnav.interop.records.importing import ImportFailed, import_bundle

    bundle = read_json_input(None if str(file) == "-" else file)  # bounded: /dev/zero ends
    try:
        with database_ready():
            found = Clinic.objects.filter(slug=clinic).first()
            if found is None:
                fail_usage("clinic", "no clinic with this slug")
            by = Actor(user=None, clinic=found, via="cli")
            report = import_bundle(bundle, clinic=found, by=by)
    except ImportFailed as failed:
        exit_on_invalid(InvalidInput(failed.errors), detail="nothing was stored")
    print_json({"imported_at": timezone.now().isoformat(), **report.as_dict()})


def register(app: typer.Typer) -> None:
    app.add_typer(fhir_app)
