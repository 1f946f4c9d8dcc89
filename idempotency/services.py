"""Claiming an idempotency key, storing the answer it replays, and forgetting old keys.

Each function is its own transaction (or one statement): the claim must be committed before
the view runs, so that a concurrent request with the same key sees it and waits for nothing.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from idempotency.models import IdempotencyKey

# A claim races at most with requests of the same user and key; past this many rounds of
# "taken, but gone when read" something keeps deleting it, and the caller answers 409.
CLAIM_ATTEMPTS = 3
EXPIRED_DELETE_BATCH_SIZE = 1000


def idempotency_key_claim(
    *, user, key: str, method: str, path: str, fingerprint: str
) -> tuple[IdempotencyKey | None, bool]:
    """`(row, True)` when this request holds the key now and runs; `(row, False)` with the
    row of the request that holds it (in flight or done); `(None, False)` if no round won."""
    for _ in range(CLAIM_ATTEMPTS):
        try:
            # The unique constraint decides between simultaneous claims; the savepoint (or
            # transaction) keeps a failed INSERT from breaking an enclosing one.
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=user, key=key, method=method, path=path, fingerprint=fingerprint
                )
            return row, True
        except IntegrityError:
            pass
        existing = IdempotencyKey.objects.of(user=user, method=method, path=path, key=key)
        now = timezone.now()
        row = existing.first()
        if row is None:
            continue  # released (a failed first request) since our INSERT: claim again
        if existing.filter(pk=row.pk).stale(now=now).delete()[0]:
            continue  # expired or abandoned: free again
        return row, False
    return None, False


def idempotency_key_complete(*, claim: IdempotencyKey, status: int, body: str) -> None:
    IdempotencyKey.objects.filter(pk=claim.pk).update(
        status=IdempotencyKey.Status.DONE, response_status=status, response_body=body
    )


def idempotency_key_release(*, claim: IdempotencyKey) -> None:
    """Give the key back (the first request failed in a way a retry may not): a retry with it
    runs as a new request."""
    IdempotencyKey.objects.filter(pk=claim.pk, status=IdempotencyKey.Status.IN_FLIGHT).delete()


def idempotency_keys_delete_expired(
    *, now=None, batch_size: int = EXPIRED_DELETE_BATCH_SIZE
) -> int:
    """Delete keys past their lifetime, a batch per statement, so that a large backlog never
    holds one long write lock (SQLite has one writer)."""
    now = now or timezone.now()
    deleted = 0
    while True:
        batch = list(
            IdempotencyKey.objects.expired(now=now).values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            return deleted
        deleted += IdempotencyKey.objects.filter(pk__in=batch).delete()[0]
