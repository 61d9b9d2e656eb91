"""The audit hash chain: intact chains verify, and any change made around the guards is named."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, close_old_connections, connection
from typer.testing import CliRunner

from trdnav.accounts.models import User
from trdnav.audit import chain, guard
from trdnav.audit.models import Action, AuditChainHead, AuditEvent
from trdnav.audit.services import Actor, record_event
from trdnav.cli import app

runner = CliRunner()


def _events(user: User | None, count: int) -> list[AuditEvent]:
    return [
        record_event(
            by=Actor(user=user, ip_address="2001:db8::1" if n % 2 else "10.0.0.1"),
            action=Action.VIEW,
            object_type="patient",
            object_id=n,
            patient_id=n,
            summary=f"event {n}",
        )
        for n in range(count)
    ]


def _raw(sql: str, params: list[Any]) -> None:
    """Change audit rows as someone with table rights would: triggers dropped first (the test's
    transaction rolls all of it back)."""
    guard.drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_event_carries_the_hash_of_the_one_before(clinician: User) -> None:
    first, second, third = _events(clinician, 3)
    for event in (first, second, third):
        event.refresh_from_db()
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert first.prev_hash == chain.GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (3, third.hash)


def test_the_hash_is_sha256_of_the_documented_canonical_form(clinician: User) -> None:
    (event,) = _events(clinician, 1)
    event.refresh_from_db()
    document = json.loads(
        chain.canonical({f: getattr(event, f) for f in chain.HASHED_FIELDS}, event.prev_hash)
    )
    assert document["v"] == 1 and document["seq"] == 1
    assert document["actor_username"] == "dr-north" and document["object_id"] == "0"
    assert document["at"].endswith("+00:00")
    import hashlib

    expected = hashlib.sha256(
        json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    assert event.hash == expected


def test_an_intact_chain_verifies(clinician: User) -> None:
    _events(clinician, 5)
    report = chain.verify()
    assert report.intact and report.checked == 5 and report.head_seq == 5


def test_an_empty_trail_verifies(db: None) -> None:
    assert chain.verify().intact


def test_a_row_changed_with_raw_sql_is_named_as_the_first_broken_link(clinician: User) -> None:
    events = _events(clinician, 5)
    _raw("UPDATE audit_auditevent SET summary = 'nothing to see' WHERE id = %s", [events[2].pk])
    report = chain.verify()
    assert report.broken is not None
    assert (report.broken.event_id, report.broken.seq) == (events[2].pk, 3)
    assert "changed" in report.broken.reason


def test_a_back_dated_row_is_named(clinician: User) -> None:
    events = _events(clinician, 3)
    _raw("UPDATE audit_auditevent SET at = '2020-01-01 00:00:00' WHERE id = %s", [events[1].pk])
    broken = chain.verify().broken
    assert broken is not None and broken.event_id == events[1].pk


def test_a_row_deleted_from_the_middle_is_named_by_the_row_after_the_gap(clinician: User) -> None:
    events = _events(clinician, 5)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    broken = chain.verify().broken
    assert broken is not None
    assert (broken.event_id, broken.seq) == (events[2].pk, 3)
    assert "missing" in broken.reason


def test_rows_deleted_from_the_end_are_caught_by_the_head(clinician: User) -> None:
    events = _events(clinician, 4)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[3].pk])
    broken = chain.verify().broken
    assert broken is not None and broken.event_id is None
    assert "head" in broken.reason


def test_a_rehashed_row_still_breaks_the_link_to_the_next_one(clinician: User) -> None:
    events = _events(clinician, 3)
    row = AuditEvent.objects.filter(pk=events[1].pk).values(*chain.HASHED_FIELDS, "prev_hash")
    forged = dict(row.get(), summary="forged")
    new_hash = chain.digest(forged, forged["prev_hash"])
    _raw(
        "UPDATE audit_auditevent SET summary = 'forged', hash = %s WHERE id = %s",
        [new_hash, events[1].pk],
    )
    broken = chain.verify().broken
    assert broken is not None and broken.event_id == events[2].pk
    assert "prev_hash" in broken.reason


def test_bulk_created_events_are_chained_in_order(clinician: User) -> None:
    AuditEvent.objects.bulk_create(
        [AuditEvent(action=Action.CREATE, object_type="x", object_id=n) for n in range(4)]
    )
    _events(clinician, 1)
    report = chain.verify()
    assert report.intact and report.head_seq == 5
    seqs = list(AuditEvent.objects.order_by("id").values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4, 5]


def test_audit_verify_exits_0_for_an_intact_chain(clinician: User) -> None:
    _events(clinician, 2)
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["intact"] is True


def test_audit_verify_exits_1_and_names_the_tampered_row(clinician: User) -> None:
    events = _events(clinician, 3)
    _raw("UPDATE audit_auditevent SET actor_username = 'someone' WHERE id = %s", [events[0].pk])
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["intact"] is False and out["broken"]["event_id"] == events[0].pk
    assert f"event id {events[0].pk}" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_from_many_threads_never_fork_the_chain() -> None:
    threads, per_thread = 8, 10
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                for attempt in range(200):
                    try:
                        record_event(by=Actor(user=None), action=Action.VIEW, object_id=f"{n}-{i}")
                        break
                    except OperationalError:
                        # SQLite's shared in-memory test database reports a busy table at
                        # once instead of waiting; a fork would be an IntegrityError instead.
                        time.sleep(0.005 * (attempt % 10 + 1))
                else:
                    raise AssertionError("could not append")
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    report = chain.verify()
    assert report.intact, report.broken
    assert report.checked == threads * per_thread == AuditEvent.objects.count()
    assert report.head_seq == threads * per_thread


def test_two_events_can_never_share_a_place_in_the_chain(clinician: User) -> None:
    from django.db import IntegrityError, transaction

    (event,) = _events(clinician, 1)
    with (
        pytest.raises(IntegrityError, match=r"(?i)unique"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO audit_auditevent (at, actor_username, action, object_type, object_id,"
            " user_agent, via, summary, shown_patient_ids, seq, prev_hash, hash)"
            " VALUES (%s, '', 'view', '', '', '', '', '', '', %s, '', '')",
            [event.at, event.seq],
        )
