"""Which database the analytics queries read (docs/analytics.md, "Read replica").

With ``DATABASE_REPLICA_URL`` set, the settings define a second alias, ``analytics``, and every
analytics query runs there, off the primary. Replication lag makes the numbers a little older;
for counts over months that is acceptable, and the page says when the numbers were read.
"""

from __future__ import annotations

from django.conf import settings

ANALYTICS_ALIAS = "analytics"


def analytics_db_alias() -> str:
    """``analytics`` when a replica is configured, else ``default``."""
    return ANALYTICS_ALIAS if ANALYTICS_ALIAS in settings.DATABASES else "default"
