"""Denormalised totals: the two operations every counter needs, for any model whose queryset
declares `live_counts()` (counter name → the expression that counts it from the rows).

A counter is written with `F()` in the transaction of its cause (`counter_add`), so it is
exact under concurrency; what a bulk change (a suspension, a block, a cascade) touched is
set from the rows (`counters_set`), and `counters_repair` finds and fixes any drift left by
a change that bypassed both (an admin edit, a raw UPDATE), a batch of rows at a time.
"""

from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Greatest

REPAIR_BATCH_SIZE = 5000


def counter_add(model, pk, **deltas) -> None:
    """`UPDATE ... SET name = name + delta` for one row; zero deltas are left out. A total
    never goes below zero: one that drifted low (see `counters_repair`) must not turn an
    unlike into a failed CHECK constraint, a 500."""
    changes = {
        name: F(name) + delta if delta > 0 else Greatest(F(name) + delta, Value(0))
        for name, delta in deltas.items()
        if delta
    }
    if changes and pk is not None:
        model.objects.filter(pk=pk).update(**changes)


def counter_add_to_many(model, name: str, deltas: dict) -> None:
    """One counter of many rows, each by its own (positive) amount, in one UPDATE: a batch
    of new rows costs one statement whatever the number of rows it touches."""
    deltas = {pk: delta for pk, delta in deltas.items() if pk is not None and delta}
    if not deltas:
        return
    by_row = Case(*(When(pk=pk, then=Value(delta)) for pk, delta in deltas.items()), default=0)
    model.objects.filter(pk__in=sorted(deltas)).update(**{name: F(name) + by_row})


def counters_set(model, ids) -> None:
    """Set every counter of the rows `ids` from the rows that it counts."""
    ids = sorted({pk for pk in ids if pk is not None})
    if ids:
        model.objects.filter(pk__in=ids).update(**model.objects.live_counts())


def counters_repair(model, *, batch_size: int = REPAIR_BATCH_SIZE) -> int:
    """Compare every row's counters with the rows they count and fix the ones that differ,
    `batch_size` rows per transaction (by primary key). Returns how many rows were wrong."""
    live = model.objects.live_counts()
    differs = reduce(or_, (~Q(**{name: F(f"live_{name}")}) for name in live))
    repaired, last = 0, 0
    while True:
        ids = list(
            model.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return repaired
        last = ids[-1]
        with transaction.atomic():
            wrong = list(
                model.objects.filter(pk__in=ids)
                .annotate(**{f"live_{name}": expression for name, expression in live.items()})
                .filter(differs)
                .values_list("pk", flat=True)
            )
            counters_set(model, wrong)
        repaired += len(wrong)
