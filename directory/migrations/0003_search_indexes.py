"""Covering indexes for the public expert search (directory/search.py).

Each search filter is a list of expert ids read from a many-to-many table by the chosen value, and the
experts not approved are a list read by status. With the expert id inside the index these lists are
read from the index alone, not row by row from the table. SQLite's status index already carries the
row id (the expert id), so (status, id) is for PostgreSQL only. Plain SQL: the indexes are not part of
the models' state (the many-to-many tables are Django's own).
"""

from django.db import migrations

INDEXES = [
    ("directory_areas_prefecture_expert", "directory_expertprofile_areas", "prefecture_id, expertprofile_id"),
    ("directory_specialties_expert", "directory_expertprofile_specialties", "specialty_id, expertprofile_id"),
    ("directory_industries_expert", "directory_expertprofile_industries", "industry_id, expertprofile_id"),
    ("directory_qualification_expert", "directory_expertqualification", "qualification_id, expert_id"),
]
POSTGRES_ONLY = [("directory_expertprofile_status_id", "directory_expertprofile", "status, id")]


def _indexes(vendor):
    return INDEXES + (POSTGRES_ONLY if vendor == "postgresql" else [])


def create(apps, schema_editor):
    for name, table, columns in _indexes(schema_editor.connection.vendor):
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({columns})")


def drop(apps, schema_editor):
    for name, _table, _columns in _indexes(schema_editor.connection.vendor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0002_expert_search"),
    ]

    operations = [migrations.RunPython(create, drop)]
