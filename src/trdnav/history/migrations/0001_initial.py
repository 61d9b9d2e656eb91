"""The snapshot model moves from the clinical app: state only, the table keeps its name."""

import django.db.models.deletion
import django.utils.timezone
from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def _relabel(apps: Apps, schema_editor: BaseDatabaseSchemaEditor, old: str, new: str) -> None:
    """Keep the content type (and its permissions) of the moved model."""
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not content_type.objects.using(db).filter(app_label=new, model="historysnapshot").exists():
        content_type.objects.using(db).filter(app_label=old, model="historysnapshot").update(
            app_label=new
        )


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _relabel(apps, schema_editor, "clinical", "history")


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _relabel(apps, schema_editor, "history", "clinical")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("clinical", "0003_profile_absent_facts_and_unrecorded_medications"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("patients", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistorySnapshot",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("profile", models.CharField(max_length=40)),
                        ("as_of", models.DateField()),
                        ("knowledge_version", models.CharField(max_length=80)),
                        ("result", models.JSONField()),
                        (
                            "trigger",
                            models.CharField(
                                choices=[
                                    ("history_changed", "the history changed"),
                                    ("knowledge_changed", "the knowledge base changed"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "computed_at",
                            models.DateTimeField(default=django.utils.timezone.now),
                        ),
                        (
                            "computed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "patient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="patients.patient",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "clinical_historysnapshot",
                        "ordering": ("-computed_at", "-id"),
                        "indexes": [
                            models.Index(
                                fields=["patient", "-computed_at"], name="snapshot_patient_at"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
