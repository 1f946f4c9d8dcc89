"""One key sent by twenty requests at once: a real database decides, one request runs."""

import pytest

from conftest import client_for
from idempotency.models import IdempotencyKey
from post.models import Post
from tests.concurrency import run_at_once
from user.tests.factories import UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_twenty_simultaneous_requests_with_one_key_make_one_post(db):
    user = UserFactory()
    clients = [client_for(user) for _ in range(20)]

    responses = run_at_once(
        [
            lambda c=client: c.post(
                "/api/v1/posts/", {"text": "once"}, format="json", HTTP_IDEMPOTENCY_KEY="same"
            )
            for client in clients
        ]
    )

    errors = [r for r in responses if isinstance(r, Exception)]
    assert not errors, errors
    statuses = [response.status_code for response in responses]
    assert set(statuses) <= {201, 409}, statuses
    assert Post.objects.count() == 1
    created = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r]
    assert len(created) == 1
    replays = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" in r]
    assert all(replay.content == created[0].content for replay in replays)
    assert IdempotencyKey.objects.get().status == IdempotencyKey.Status.DONE
