"""On PostgreSQL the application's role cannot silence the audit guard (docs/access-control.md,
"Database roles"). The test creates a role with exactly the grants ``trdnav audit grants``
prints, connects as it, and tries every bypass the security probe found."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from django.db import connection

from trdnav.audit import guard
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, record_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql_only]


@pytest.fixture
def app_role() -> Iterator[tuple[str, str]]:
    assert connection.vendor == "postgresql", "database roles exist on PostgreSQL only"
    name = f"trdnav_app_{secrets.token_hex(4)}"
    password = secrets.token_hex(16)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} LOGIN PASSWORD %s", [password])
        for statement in guard.app_role_grants(name):
            cursor.execute(statement)
        cursor.execute("UPDATE audit_guard SET enforced = 1")
    try:
        yield name, password
    finally:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_guard SET enforced = 0")
            cursor.execute(f"DROP OWNED BY {name}")
            cursor.execute(f"DROP ROLE {name}")


def _as_role(role: tuple[str, str]):  # type: ignore[no-untyped-def]
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role[0],
        password=role[1],
        autocommit=True,
    )


BYPASSES = [
    "UPDATE audit_auditevent SET summary = 'x'",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_event_append_only ON audit_auditevent",
    "UPDATE audit_guard SET enforced = 0",
    "DELETE FROM audit_guard",
    "DROP TABLE audit_auditevent",
]


@pytest.mark.parametrize("statement", BYPASSES)
def test_the_application_role_cannot_switch_off_or_bypass_the_audit_guard(
    app_role: tuple[str, str], statement: str
) -> None:
    import psycopg

    record_event(by=Actor(user=None), action=Action.VIEW, object_type="probe")
    with _as_role(app_role) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
        count = conn.execute("SELECT count(*) FROM audit_auditevent").fetchone()
        enforced = conn.execute("SELECT enforced FROM audit_guard").fetchone()
    assert count == (1,) and enforced == (1,)


def test_the_application_role_can_still_read_and_append_audit_events(
    app_role: tuple[str, str],
) -> None:
    from trdnav.audit import chain

    record_event(by=Actor(user=None), action=Action.VIEW, object_type="probe")
    with _as_role(app_role) as conn:
        conn.execute("UPDATE audit_chainhead SET seq = seq WHERE id = 1")  # the chain lock it needs
        rows = conn.execute("SELECT count(*) FROM audit_auditevent").fetchone()
        conn.execute(
            "INSERT INTO audit_auditevent (at, actor_username, action, object_type, object_id,"
            " user_agent, via, summary, shown_patient_ids, seq, prev_hash, hash)"
            " VALUES (now(), '', 'view', 'forged', '', '', '', '', '', 99, '', '')"
        )
    assert rows == (1,)
    # An append that does not follow the chain is caught afterwards.
    assert chain.verify().broken is not None


def test_a_superuser_truncate_is_refused_while_the_guard_is_armed(
    app_role: tuple[str, str],
) -> None:
    from django.db import DatabaseError, transaction

    record_event(by=Actor(user=None), action=Action.VIEW, object_type="probe")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditevent")
