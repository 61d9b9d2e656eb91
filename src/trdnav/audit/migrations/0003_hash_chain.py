"""The audit hash chain (trdnav.audit.chain): place, previous hash and own hash on every event,
the chain head, and events already stored chained in id order. Also adds the TRUNCATE guard
on PostgreSQL. The triggers are dropped while existing rows get their hashes, then re-installed
(SQLite also loses them when it rebuilds the table)."""

from typing import Any

import django.utils.timezone
from django.db import migrations, models


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    from trdnav.audit import guard

    guard.drop_triggers(schema_editor.connection)


def install(apps: Any, schema_editor: Any) -> None:
    from trdnav.audit import guard

    guard.install(schema_editor.connection)


def chain_existing(apps: Any, schema_editor: Any) -> None:
    from trdnav.audit import chain

    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditChainHead")
    db = schema_editor.connection.alias
    seq, prev_hash = 0, chain.GENESIS
    rows = event_model.objects.using(db).order_by("id")
    for row in rows.values("id", *chain.HASHED_FIELDS[1:]).iterator(chunk_size=2000):
        seq += 1
        row["seq"] = seq
        digest = chain.digest(row, prev_hash)
        event_model.objects.using(db).filter(pk=row["id"]).update(
            seq=seq, prev_hash=prev_hash, hash=digest
        )
        prev_hash = digest
    head_model.objects.using(db).update_or_create(
        pk=chain.HEAD_ID, defaults={"seq": seq, "hash": prev_hash}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_guard")]

    operations = [
        migrations.RunPython(drop_triggers, install),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(choices=[('view', 'View'), ('create', 'Create'), ('update', 'Update'), ('delete', 'Delete'), ('export', 'Export'), ('login', 'Log in'), ('logout', 'Log out'), ('login_failed', 'Failed log-in'), ('login_locked', 'Log-in refused (locked)'), ('refused', 'Access refused'), ('token_issued', 'API token issued'), ('token_revoked', 'API token revoked')], max_length=20),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="shown_patient_ids",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(default="0" * 64, max_length=64)),
            ],
            options={"db_table": "audit_chainhead"},
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(install, drop_triggers),
    ]
