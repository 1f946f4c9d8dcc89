"""A write the ORM cannot say, shared by the services of both apps."""

from django.db import connection


def insert_or_nothing(model, *, unique: tuple[str, ...], **values) -> bool:
    """Insert one row unless it would collide on the unique constraint over `unique`; True when
    this call inserted it.

    `INSERT ... ON CONFLICT (...) DO NOTHING RETURNING pk`, on PostgreSQL and SQLite alike.
    `bulk_create(ignore_conflicts=True)` sends the same statement but does not say whether a
    row was inserted, and `get_or_create` needs a read, a savepoint and a retry loop against
    a concurrent delete. Here the constraint settles concurrent duplicates (the loser waits
    for the winner's commit, then does nothing) and a row deleted concurrently is simply
    inserted again. Values are prepared as `Model.save()` prepares them (defaults,
    `auto_now_add`, database conversions).
    """
    meta, quote = model._meta, connection.ops.quote_name
    row = model(**values)
    fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
    params = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
    columns = ", ".join(quote(field.column) for field in fields)
    conflict = ", ".join(quote(meta.get_field(name).column) for name in unique)
    placeholders = ", ".join(["%s"] * len(fields))
    # Identifiers from the model's metadata, quoted; every value is a bound parameter.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None
