"""What /healthz reports: the application's and the database's status."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection

import trdnav


def database_status() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The exception class names the failure without echoing connection strings.
        return {"status": "unavailable", "vendor": connection.vendor, "error": type(exc).__name__}
    return {"status": "ok", "vendor": connection.vendor}


def health_report() -> tuple[dict[str, Any], bool]:
    """The report and whether everything is healthy."""
    database = database_status()
    healthy = database["status"] == "ok"
    report = {
        "status": "ok" if healthy else "degraded",
        "application": {"status": "ok", "version": trdnav.__version__},
        "database": database,
    }
    return report, healthy
