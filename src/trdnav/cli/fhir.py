"""``trdnav fhir questionnaire CODE`` and ``trdnav fhir export PATIENT_ID`` (FHIR R4 JSON).

``questionnaire`` reads only the knowledge base (no database). ``export`` prints one patient's
Bundle and records the export in the audit log (``via`` = cli), as every read of patient data is.
"""

from __future__ import annotations

from typing import Annotated

import typer

from trdnav.cli.output import database_ready, exit_on_invalid, print_json
from trdnav.cli.server import _start_django
from trdnav.core.errors import InvalidInput

fhir_app = typer.Typer(
    name="fhir", help="FHIR R4: Questionnaires and patient export.", no_args_is_help=True
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


def register(app: typer.Typer) -> None:
    app.add_typer(fhir_app)
