"""Database triggers that refuse UPDATE and DELETE on audit events (see trdnav.audit.guard)."""

from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from trdnav.audit import guard

    guard.install(schema_editor.connection)


def uninstall(apps: Any, schema_editor: Any) -> None:
    from trdnav.audit import guard

    guard.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
