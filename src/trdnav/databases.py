"""Which database a query goes to: everything to ``default`` (the primary), except the
analytics reads, which go to the read replica when ``DATABASE_READ_URL`` configures one.

This module sits outside every app layer (and imports none), so that any app may ask.
Analytics code asks ``analytics_db_alias()`` and reads with ``.using(alias)``; models of the
``analytics`` app are routed there by ``AnalyticsReplicaRouter`` as well. A replica lags the
primary by a moment; analytics of a whole cohort tolerate that, clinical pages do not, which
is why nothing else reads from it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

# The alias of the read replica in DATABASES (trdnav.site.config.replica_databases adds it).
REPLICA = "replica"

ANALYTICS_APPS = frozenset({"analytics"})


def analytics_db_alias() -> str:
    """``replica`` when one is configured, else ``default``."""
    return REPLICA if REPLICA in settings.DATABASES else "default"


class AnalyticsReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if model._meta.app_label in ANALYTICS_APPS:
            return analytics_db_alias()
        return "default"

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # one database, copied: rows from either side may relate

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"  # the replica follows the primary's schema by replication
