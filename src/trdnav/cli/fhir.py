"""``trdnav fhir questionnaire CODE``, ``trdnav fhir export PATIENT_ID`` and ``trdnav fhir
import FILE --clinic SLUG`` (FHIR R4 JSON).

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
    patient_id: Annotated[int, typer.Argument(help="The patient's id (as in /patients/<id>/).")],
) -> None:
    """Print the patient's record as a FHIR R4 Bundle; the export is audited."""
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
