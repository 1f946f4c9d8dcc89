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


def database_settings(**settings: str):
    """`ALTER DATABASE <the current one> SET name = value` for each setting: the defaults of
    every later session, so they hold through PgBouncer in transaction mode too (no `SET`
    per session, no startup options). Needs the database's owner; another role gets a
    warning and the server's defaults (docs/scaling.md says what to run instead)."""

    # `%%`: the schema editor passes the statement through the driver's parameter syntax.
    def statement(assignments: str) -> str:
        return (
            "DO $$ BEGIN "
            f"EXECUTE format('ALTER DATABASE %%I {assignments}', current_database()); "
            "EXCEPTION WHEN insufficient_privilege THEN "
            "RAISE WARNING 'not the database owner: run ALTER DATABASE ... %%', "
            f"'{assignments}'; END $$"
        )

    return postgresql_only(
        [statement(f"SET {name} = {value}") for name, value in settings.items()],
        [statement(f"RESET {name}") for name in settings],
    )
