"""Database-level guard for the audit table: triggers that refuse UPDATE and DELETE.

The model already refuses both; the triggers also stop raw SQL and bulk paths. Deletes are
refused while the one-row table ``audit_guard`` says ``enforced = 1``. Only the test database
relaxes it, because Django empties every table between transactional tests (PostgreSQL does so
with TRUNCATE, which row triggers do not see; SQLite with DELETE, which they do).

SQLite drops a table's triggers when a migration rebuilds that table: a migration that alters
``AuditEvent`` must run ``install`` again (tests/audit catches a missing trigger).

Triggers alone stop mistakes, not a determined database user: whoever may UPDATE
``audit_guard``, TRUNCATE the table or ALTER it (owner) can switch them off. On PostgreSQL the
application therefore connects as a role that owns nothing and holds only the privileges in
``app_role_grants`` (SELECT and INSERT on the audit table, SELECT on the guard); migrations run
as a separate owner role (docs/access-control.md, "Database roles"). SQLite has no roles: there
the hash chain (trdnav.audit.chain) is what shows tampering.
"""

from __future__ import annotations

from typing import Any

_SQLITE = [
    "CREATE TABLE IF NOT EXISTS audit_guard (enforced INTEGER NOT NULL)",
    "INSERT INTO audit_guard (enforced) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM audit_guard)",
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
        WHEN (SELECT enforced FROM audit_guard) = 1
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]

_POSTGRESQL = [
    "CREATE TABLE IF NOT EXISTS audit_guard (enforced INTEGER NOT NULL)",
    "INSERT INTO audit_guard (enforced) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM audit_guard)",
    """CREATE OR REPLACE FUNCTION audit_event_refuse() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM audit_guard WHERE enforced = 1) THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'audit events are append-only';
        END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_event_refuse()""",
    # Row triggers do not see TRUNCATE; a statement trigger does.
    """CREATE OR REPLACE FUNCTION audit_event_refuse_truncate() RETURNS trigger AS $$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM audit_guard WHERE enforced = 1) THEN
            RETURN NULL;
          END IF;
          RAISE EXCEPTION 'audit events are append-only';
        END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_truncate()""",
]

#: Dropped (and re-created by ``install``) around a migration that rewrites audit rows.
_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_event_no_update",
        "DROP TRIGGER IF EXISTS audit_event_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    ],
}

_UNINSTALL = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_event_no_update",
        "DROP TRIGGER IF EXISTS audit_event_no_delete",
        "DROP TABLE IF EXISTS audit_guard",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
        "DROP FUNCTION IF EXISTS audit_event_refuse()",
        "DROP FUNCTION IF EXISTS audit_event_refuse_truncate()",
        "DROP TABLE IF EXISTS audit_guard",
    ],
}


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: Any) -> None:
    """Create the triggers on databases that support them (others rely on the model guard)."""
    statements = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}.get(connection.vendor)
    if statements:
        _run(connection, statements)


def uninstall(connection: Any) -> None:
    _run(connection, _UNINSTALL.get(connection.vendor, []))


def set_delete_guard(connection: Any, *, enforced: bool) -> None:
    """Arm or relax the delete guard (relaxed only in the test database; see module doc)."""
    if connection.vendor in _UNINSTALL:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_guard SET enforced = %s", [int(enforced)])


def drop_triggers(connection: Any) -> None:
    """Remove the triggers but keep ``audit_guard`` (a migration re-installs them after)."""
    _run(connection, _TRIGGERS.get(connection.vendor, []))


def _quote(role: str) -> str:
    if not role or not all(c.isalnum() or c == "_" for c in role):
        raise ValueError("a role name is letters, digits and underscores")
    return '"' + role + '"'


def app_role_grants(role: str, *, schema: str = "public") -> list[str]:
    """PostgreSQL statements, run by the owner role after every migration, that give the
    application role what it needs and nothing that could silence the audit guard: no UPDATE,
    DELETE or TRUNCATE on ``audit_auditevent``, only SELECT on ``audit_guard``, no ownership."""
    name, ns = _quote(role), _quote(schema)
    return [
        f"GRANT USAGE ON SCHEMA {ns} TO {name}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {ns} TO {name}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {ns} TO {name}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_auditevent FROM {name}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_guard FROM {name}",
        f"REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_chainhead FROM {name}",
    ]
