"""Migration operations that only mean something on PostgreSQL.

Trigram indexes serve `icontains` searches there; SQLite (the zero-setup default) has no
equivalent and gets a no-op, so one migration history works on both.
"""

from django.db import migrations


def postgresql_only(forward_sql: list[str], reverse_sql: list[str]):
    def run(sql):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in sql:
                    schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(forward_sql), run(reverse_sql), elidable=False)


def trigram_index(table: str, column: str, name: str):
    """A GIN trigram index on UPPER(column): the expression Django's icontains compares."""
    return postgresql_only(
        [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)',
        ],
        [f"DROP INDEX IF EXISTS {name}"],
    )
