"""Database pieces the ORM does not offer as such, shared by both apps."""

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

# The largest primary key (a signed 64-bit `BigAutoField`); an id filter or field bounded by it
# never reaches the database with a value SQLite would overflow on (a 500).
MAX_ID = 2**63 - 1


def count_subquery(queryset, field):
    """A correlated COUNT(*) as a scalar subquery.

    Counting through joins on the outer query multiplies rows when two counts are taken at
    once; a subquery per count stays correct and uses the foreign-key index.
    """
    return Coalesce(
        Subquery(
            queryset.order_by().values(field).annotate(n=Count("*")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def active_count(model, field: str, *, by: str):
    """A `count_subquery` of the `model` rows whose `field` is the outer row, made by an
    active account (`by`): what a suspended account did leaves a total until it returns."""
    return count_subquery(
        model.objects.filter(**{field: OuterRef("pk"), f"{by}__is_active": True}), field
    )


def insert_or_nothing(model, *, unique: tuple[str, ...], **values) -> bool:
    """Insert one row unless it would collide on the unique constraint over `unique`; True when
    this call inserted it.

    `INSERT ... ON CONFLICT (...) DO NOTHING`, whose row count says which happened, on
    PostgreSQL and on every SQLite Django 5.2 supports. `bulk_create(ignore_conflicts=True)`
    sends the same statement but does not say whether a row was inserted, and
    `get_or_create` needs a read, a savepoint and a retry loop against a concurrent delete.
    Here the constraint settles concurrent duplicates (the loser waits for the winner's
    commit, then does nothing) and a row deleted concurrently is simply inserted again.
    Values are prepared as `Model.save()` prepares them (defaults, `auto_now_add`, database
    conversions).

    Foreign keys are checked when the transaction ends (Django declares them DEFERRABLE
    INITIALLY DEFERRED). Called outside a transaction, the statement is its own, so a
    referenced row deleted meanwhile raises IntegrityError here; inside `atomic()` it would
    only surface at the outer commit.
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
        f"ON CONFLICT ({conflict}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def pair_lock(first_id: int, second_id: int) -> None:
    """Serialise, until the transaction ends, every write between two accounts, whichever
    way round (follow, follow request, block; like, comment and repost across them).

    A transaction-scoped advisory lock on PostgreSQL: no row is locked, so nothing else
    (reads, an account's deletion, other pairs) waits for it. Take it before the
    transaction's first write, so that every holder takes it before its row locks. Ids past
    31 bits share keys, which only makes two unrelated pairs wait for each other. SQLite
    needs nothing: its write transactions start IMMEDIATE and run one at a time. Call it
    inside `atomic()`.
    """
    if connection.vendor != "postgresql":
        return
    low, high = sorted((first_id, second_id))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [low % 2**31, high % 2**31])
