"""The who's-who search on PostgreSQL: pg_trgm for name suggestions and a full-text index on officers.

Nothing here on SQLite, where the search is a plain match. The index is on exactly the expression
directory.selectors.search.OFFICER_DOCUMENT_SQL searches, so change both together. Officers change rarely and are
searched often, so changes go straight into the index (fastupdate off) rather than into a pending list that
every search would read until the next vacuum.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "directory_officer_search_idx"
CREATE_INDEX = f"""
    CREATE INDEX IF NOT EXISTS {INDEX} ON directory_officer
    USING gin (to_tsvector('simple', full_name || ' ' || job_title)) WITH (fastupdate = off)
"""
DROP_INDEX = f"DROP INDEX IF EXISTS {INDEX}"


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_add_verification_reminders")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(_on_postgresql(CREATE_INDEX), _on_postgresql(DROP_INDEX)),
    ]
