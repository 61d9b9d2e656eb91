"""The audit hash chain: every event carries a SHA-256 hash of itself and of the event before it.

Definition (version 1; docs/access-control.md repeats it):

- Events form one chain, ordered by ``seq`` (1, 2, 3, … with no gaps). ``seq`` is unique in the
  database, so two events can never claim the same place (no fork can be stored).
- ``prev_hash`` of event *n* is ``hash`` of event *n − 1*; for event 1 it is 64 zeros
  (``GENESIS``).
- ``hash = SHA-256(canonical(event))`` written as 64 lower-case hex digits, where
  ``canonical(event)`` is the UTF-8 encoding of the JSON object below, keys sorted, separators
  ``","`` and ``":"``, non-ASCII characters escaped (``json.dumps(..., sort_keys=True,
  separators=(",", ":"), ensure_ascii=True)``)::

      {"v": 1, "seq": int, "at": "YYYY-MM-DDTHH:MM:SS.ffffff+00:00" (UTC),
       "actor_id": int|null, "actor_username": str, "clinic_id": int|null,
       "patient_id": int|null, "action": str, "object_type": str, "object_id": str,
       "ip_address": str|null (Python's compressed form of the address), "user_agent": str,
       "via": str, "summary": str, "shown_patient_ids": str ("3,5,8" or ""),
       "prev_hash": str}

  The row's database ``id`` is not part of the hash: it only names the row in reports.

Appends are serialised by the one-row table ``audit_chainhead`` (the chain's head: last
``seq`` and ``hash``). An append first *updates* that row, which takes a row lock held to the
end of the transaction on PostgreSQL and the database write lock on SQLite; only then does it
read the head, so two transactions can never extend the same head. The head is also what
``verify`` compares the last event with, so removing events from the end is detected too.

What the chain proves: any change to a stored event, and any event removed or inserted out of
place, breaks it from that event on. What it cannot prove on its own: that whoever holds the
database credentials did not rebuild the whole chain or append well-formed events. Record the
head that ``trdnav audit verify`` prints somewhere outside the database to anchor it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, router, transaction
from django.utils import timezone

if TYPE_CHECKING:
    from trdnav.audit.models import AuditEvent

VERSION = 1
GENESIS = "0" * 64
HEAD_ID = 1

#: The event fields that enter the hash, besides ``v`` and ``prev_hash``.
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "clinic_id",
    "patient_id",
    "action",
    "object_type",
    "object_id",
    "ip_address",
    "user_agent",
    "via",
    "summary",
    "shown_patient_ids",
)


def _at(value: datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(str(value).split("/")[0]).compressed
    except ValueError:
        return str(value)


def canonical(row: dict[str, Any], prev_hash: str) -> bytes:
    """The bytes that are hashed for one event (see the module docstring)."""
    document: dict[str, Any] = {
        "v": VERSION,
        "seq": int(row["seq"]),
        "at": _at(row["at"]),
        "actor_id": row["actor_id"],
        "actor_username": row["actor_username"] or "",
        "clinic_id": row["clinic_id"],
        "patient_id": row["patient_id"],
        "action": row["action"],
        "object_type": row["object_type"] or "",
        "object_id": "" if row["object_id"] is None else str(row["object_id"]),
        "ip_address": _ip(row["ip_address"]),
        "user_agent": row["user_agent"] or "",
        "via": row["via"] or "",
        "summary": row["summary"] or "",
        "shown_patient_ids": row.get("shown_patient_ids") or "",
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def digest(row: dict[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(canonical(row, prev_hash)).hexdigest()


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


_LOCK_AND_READ = "UPDATE audit_chainhead SET seq = seq WHERE id = %s RETURNING seq, hash"


def _lock_head(using: str) -> tuple[int, str]:
    """Take the chain lock and return the head (last seq, last hash). Must run in a transaction.

    One statement: the UPDATE is what locks (a row lock on PostgreSQL held to the end of the
    transaction, the write lock on SQLite), and RETURNING reads the head under that lock."""
    from django.db import connections

    from trdnav.audit.models import AuditChainHead, AuditEvent

    while True:
        with connections[using].cursor() as cursor:
            cursor.execute(_LOCK_AND_READ, [HEAD_ID])
            row = cursor.fetchone()
        if row is not None:
            return int(row[0]), str(row[1])
        # No head yet (a new database): start it from the last event, if any.
        last = (
            AuditEvent.objects.using(using)
            .filter(seq__isnull=False)
            .order_by("-seq")
            .values("seq", "hash")
            .first()
        )
        seq, last_hash = (int(last["seq"] or 0), str(last["hash"])) if last else (0, GENESIS)
        try:
            with transaction.atomic(using=using):
                AuditChainHead.objects.using(using).create(pk=HEAD_ID, seq=seq, hash=last_hash)
        except IntegrityError:
            pass  # another transaction created it first: lock that one


def ensure_head(using: str = "default") -> None:
    """Create the head when it is missing (a new or just-emptied database); see apps.py."""
    from trdnav.audit.models import AuditChainHead

    if not AuditChainHead.objects.using(using).filter(pk=HEAD_ID).exists():
        with transaction.atomic(using=using):
            _lock_head(using)


def append(events: Sequence[AuditEvent], *, insert: Any) -> None:
    """Give ``events`` their place in the chain and store them with ``insert(events)``, all
    under the chain lock, in one transaction."""
    from trdnav.audit.models import AuditChainHead, AuditEvent

    if not events:
        return
    using = router.db_for_write(AuditEvent)
    # Inside a request's transaction no savepoint is needed: a failure aborts it all anyway.
    in_transaction = transaction.get_connection(using).in_atomic_block
    with transaction.atomic(using=using, savepoint=not in_transaction):
        seq, prev_hash = _lock_head(using)
        for event in events:
            if event.at is None:
                event.at = timezone.now()
            seq += 1
            event.seq = seq
            event.prev_hash = prev_hash
            event.hash = digest(_fields(event), prev_hash)
            prev_hash = event.hash
        insert(events)
        AuditChainHead.objects.using(using).filter(pk=HEAD_ID).update(seq=seq, hash=prev_hash)


@dataclass(frozen=True)
class Break:
    """The first place where the chain does not hold."""

    event_id: int | None
    seq: int | None
    reason: str

    def describe(self) -> str:
        where = f"event id {self.event_id} (seq {self.seq})" if self.event_id else "chain head"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Report:
    checked: int
    head_seq: int
    head_hash: str
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _rows(using: str) -> Iterator[dict[str, Any]]:
    from trdnav.audit.models import AuditEvent

    rows = AuditEvent.objects.using(using).order_by("seq", "id")
    yield from rows.values("id", "hash", "prev_hash", *HASHED_FIELDS).iterator(chunk_size=2000)


def check(rows: Iterable[dict[str, Any]]) -> tuple[int, int, str, Break | None]:
    """Walk events in ``seq`` order; return (checked, last seq, last hash, first break)."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    for row in rows:
        checked += 1
        row_id, seq = row["id"], row["seq"]
        if seq is None:
            return checked, expected_seq - 1, prev_hash, Break(row_id, None, "no chain position")
        if seq != expected_seq:
            reason = f"expected seq {expected_seq}: an event is missing or out of place"
            return checked, expected_seq - 1, prev_hash, Break(row_id, seq, reason)
        if row["prev_hash"] != prev_hash:
            reason = "prev_hash does not match the hash of the event before it"
            return checked, seq - 1, prev_hash, Break(row_id, seq, reason)
        if digest(row, prev_hash) != row["hash"]:
            reason = "content does not match its hash (the event was changed)"
            return checked, seq - 1, prev_hash, Break(row_id, seq, reason)
        prev_hash, expected_seq = row["hash"], seq + 1
    return checked, expected_seq - 1, prev_hash, None


def verify(using: str = "default") -> Report:
    """Check every event and the head. The first break found is reported."""
    # NULL seq sorts differently per database; check those rows first so one is never skipped.
    from trdnav.audit.models import AuditChainHead, AuditEvent

    unplaced = AuditEvent.objects.using(using).filter(seq__isnull=True).order_by("id").first()
    if unplaced is not None:
        return Report(0, 0, GENESIS, Break(unplaced.pk, None, "no chain position"))
    checked, last_seq, last_hash, broken = check(_rows(using))
    if broken is not None:
        return Report(checked, last_seq, last_hash, broken)
    head = AuditChainHead.objects.using(using).filter(pk=HEAD_ID).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (last_seq, last_hash):
        reason = (
            f"the head says seq {head_seq} but the last stored event is seq {last_seq}: "
            "events were removed from the end or the head was changed"
        )
        return Report(checked, last_seq, last_hash, Break(None, head_seq, reason))
    return Report(checked, last_seq, last_hash, None)
