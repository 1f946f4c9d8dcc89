"""The beat task that forgets keys past their lifetime."""

from datetime import timedelta

import pytest
from django.utils import timezone

from idempotency.models import IdempotencyKey
from idempotency.services import idempotency_keys_delete_expired
from idempotency.tasks import delete_expired_idempotency_keys
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_keys(user, count, age):
    IdempotencyKey.objects.bulk_create(
        IdempotencyKey(
            user=user,
            key=f"{age}-{n}",
            method="POST",
            path="/api/v1/posts/",
            fingerprint="0" * 64,
            status=IdempotencyKey.Status.DONE,
            response_status=201,
            response_body="{}",
            created_at=timezone.now() - age,
        )
        for n in range(count)
    )


def test_the_task_deletes_keys_older_than_24_hours_only():
    user = UserFactory()
    make_keys(user, 3, timedelta(hours=25))
    make_keys(user, 2, timedelta(hours=23))

    assert delete_expired_idempotency_keys() == 3

    assert IdempotencyKey.objects.count() == 2
    assert not IdempotencyKey.objects.expired().exists()


def test_expired_keys_go_in_batches_until_none_is_left():
    make_keys(UserFactory(), 7, timedelta(days=2))

    assert idempotency_keys_delete_expired(batch_size=3) == 7
    assert not IdempotencyKey.objects.exists()
