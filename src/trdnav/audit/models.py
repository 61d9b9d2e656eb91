"""The audit trail. Rows are only ever inserted: the model, its queryset, the admin and (where
the database allows) a trigger all refuse updates and deletes. Every row is chained to the one
before it by a SHA-256 hash (trdnav.audit.chain), so a change made around the guards shows."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from trdnav.audit import chain


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AppendOnlyError("audit events are append-only; they cannot be changed or deleted")


class Action(models.TextChoices):
    VIEW = "view", "View"
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    EXPORT = "export", "Export"
    LOGIN = "login", "Log in"
    LOGOUT = "logout", "Log out"
    LOGIN_FAILED = "login_failed", "Failed log-in"
    LOGIN_LOCKED = "login_locked", "Log-in refused (locked)"
    REFUSED = "refused", "Access refused"
    TOKEN_ISSUED = "token_issued", "API token issued"
    TOKEN_REVOKED = "token_revoked", "API token revoked"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    update = _refuse
    delete = _refuse
    bulk_update = _refuse

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        """Appends ``objs`` to the hash chain, in order, under the chain lock."""
        events = list(objs)
        super_bulk = super().bulk_create
        chain.append(events, insert=lambda rows: super_bulk(rows, *args, **kwargs))
        return events


class AuditEvent(models.Model):
    """Who did what to which record, when and from where.

    Actor, clinic and patient are references without database constraints, and the events
    themselves never cascade: deleting a user or a patient must not rewrite history.
    ``summary`` is a short description without patient data (no names, no answers).
    """

    # Set before the insert (not auto_now_add) because the hash covers it.
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    clinic = models.ForeignKey(
        "accounts.Clinic",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    via = models.CharField(max_length=10, blank=True, help_text="page, api or system")
    summary = models.CharField(max_length=200, blank=True)
    # For list and search events: the ids of the patients shown, comma-separated.
    shown_patient_ids = models.TextField(blank=True)
    # The hash chain (trdnav.audit.chain): place in the chain, previous event's hash, own hash.
    seq = models.BigIntegerField(null=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=["clinic", "at"]),)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        parent_save = super().save
        chain.append([self], insert=lambda rows: parent_save(*args, **kwargs))

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()


class AuditChainHead(models.Model):
    """One row: the last ``seq`` and ``hash`` of the chain. Updating it is the chain's lock."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=chain.GENESIS)

    class Meta:
        db_table = "audit_chainhead"

    def __str__(self) -> str:
        return f"audit chain head {self.seq} {self.hash[:12]}"
