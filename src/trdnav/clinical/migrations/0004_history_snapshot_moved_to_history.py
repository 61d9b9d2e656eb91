"""The snapshot model now belongs to the history app (state only: the table stays)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("clinical", "0003_profile_absent_facts_and_unrecorded_medications"),
        ("history", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="HistorySnapshot")],
            database_operations=[],
        ),
    ]
