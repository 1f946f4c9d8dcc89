"""Idempotency keys: the first answer to a write, kept so that a retry of it gets that answer.

A row is a claim first (`in_flight`, inserted and committed before the view runs: the unique
constraint picks the one request that runs) and then the stored answer (`done`). Only the
account, never another app's model, is referenced, so any app's view can use it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# How long a key answers for its first request; the draft's usual expiry, and what clients
# of the API are told. Older rows are free again and the beat task deletes them.
KEY_LIFETIME = timedelta(hours=24)
# A claim this old belongs to a request that died (the worker timeout is 30 s): the key is
# free again rather than answering 409 until it expires.
IN_FLIGHT_LEASE = timedelta(minutes=5)
KEY_MAX_LENGTH = 255
PATH_MAX_LENGTH = 255


class IdempotencyKeyQuerySet(models.QuerySet):
    def of(self, *, user, method: str, path: str, key: str):
        return self.filter(user=user, method=method, path=path, key=key)

    def expired(self, *, now=None):
        return self.filter(created_at__lt=(now or timezone.now()) - KEY_LIFETIME)

    def stale(self, *, now=None):
        """Rows that no longer hold their key: expired, or a claim abandoned in flight."""
        now = now or timezone.now()
        return self.filter(
            models.Q(created_at__lt=now - KEY_LIFETIME)
            | models.Q(status=IdempotencyKey.Status.IN_FLIGHT, created_at__lt=now - IN_FLIGHT_LEASE)
        )


class IdempotencyKey(models.Model):
    class Status(models.TextChoices):
        IN_FLIGHT = "in_flight"
        DONE = "done"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=KEY_MAX_LENGTH)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=PATH_MAX_LENGTH)
    # SHA-256 of the request body as canonical JSON (sorted keys, no whitespace).
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IN_FLIGHT)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # The rendered JSON as text, not a JSONField: PostgreSQL's jsonb reorders an object's
    # keys, and a replay must be the body the first request got, field order included.
    response_body = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    objects = IdempotencyKeyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "method", "path", "key"],
                name="idempotency_key_unique_per_operation",
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.key!r} ({self.status})"
