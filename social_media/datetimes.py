"""Timestamps from clients, limited to those that have a UTC equivalent.

`9999-12-31T23:59:59-14:00` parses, but in UTC it falls in the year 10000, past the last
instant a `datetime` can hold (and `0001-01-01T00:00:00+14:00` before the first). Django
converts every timestamp to UTC before a query: on SQLite that conversion raised
OverflowError (a 500), while PostgreSQL accepted it. Checked at the edge, such a value is a
400 on every database.
"""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

BEYOND_UTC = "Out of range: in UTC this time falls before the year 1 or after the year 9999."


def within_utc_range(value: datetime) -> bool:
    """Whether `value` converts to UTC; a naive one is read in the current time zone, as
    Django reads it."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True


def validate_within_utc_range(value: datetime | None) -> None:
    """A form or filter field validator: `validators=[validate_within_utc_range]`."""
    if value is not None and not within_utc_range(value):
        raise ValidationError(BEYOND_UTC, code="beyond_utc")
