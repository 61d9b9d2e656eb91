from contextlib import suppress
from typing import Any

from django.apps import AppConfig
from django.db import DatabaseError, transaction
from django.db.models.signals import post_migrate


def _ensure_chain_head(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After migrate (and after Django's flush, which also sends post_migrate), make sure the
    audit chain has its head row, so the first append costs no extra statements."""
    from trdnav.audit.chain import ensure_head

    # Without the audit tables (migrated backwards) there is nothing to do.
    with suppress(DatabaseError), transaction.atomic(using=using):
        ensure_head(using)


class AuditConfig(AppConfig):
    name = "trdnav.audit"
    label = "audit"

    def ready(self) -> None:
        post_migrate.connect(_ensure_chain_head, sender=self)
