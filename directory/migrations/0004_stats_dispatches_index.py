"""The first visit's order (every approved expert by dispatches completed, then id) as an index, so the
first page is read in order and the scan stops there (directory/search.py, _everyone_by_activity).
Plain SQL like 0003: the index is not part of the models' state."""

from django.db import migrations

NAME = "directory_expertstats_dispatches"


def create(apps, schema_editor):
    schema_editor.execute(f"CREATE INDEX {NAME} ON directory_expertstats (dispatches_completed DESC, expert_id)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0003_search_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
