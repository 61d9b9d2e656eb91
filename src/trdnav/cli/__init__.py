"""The ``trdnav`` command.

Each command group lives in its own module and adds itself to the app through ``register``.
Clinical commands (score, stage, options…) call ``trdnav.core`` directly and never start Django,
so they stay fast and usable without a database.
"""

from __future__ import annotations

import typer

from trdnav.cli import analytics as analytics_cli
from trdnav.cli import audit as audit_cli
from trdnav.cli import backup as backup_cli
from trdnav.cli import (
    clinical_instruments,
    clinical_options,
    clinical_protocols,
    clinical_staging,
    fhir,
    jobs,
    portal,
    server,
)

app = typer.Typer(
    name="trdnav",
    help="TRD Navigator: clinical tools and the web application.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (
    server,
    backup_cli,
    clinical_instruments,
    clinical_staging,
    clinical_options,
    clinical_protocols,
    portal,
    audit_cli,
    analytics_cli,
    fhir,
    jobs,
):
    module.register(app)


def main() -> None:
    app()
