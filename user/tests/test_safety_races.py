"""Blocks and follow requests racing the writes they must exclude (PostgreSQL: SQLite runs one
write transaction at a time, so there is no race to lose there)."""

import functools

import pytest

from post.models import Like, Post
from post.tests.helpers import create_post
from tests.concurrency import run_at_once
from user.models import Block, Follow, FollowRequest
from user.tests.factories import UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]
ROUNDS = 10


def in_rounds(test):
    """Run a race `ROUNDS` times: one round may miss the interleaving that would break it."""

    @functools.wraps(test)
    def rounds(*args, **kwargs):
        for _ in range(ROUNDS):
            test(*args, **kwargs)

    return rounds


def private_account_and_asker(make_client):
    """A private account and a user about to ask to follow it, with a client each."""
    owner, asker = UserFactory(is_private=True), UserFactory()
    return owner, asker, make_client(owner), make_client(asker)


@in_rounds
def test_a_block_racing_a_follow_never_leaves_a_follow(make_client):
    blocker, blocked = UserFactory(), UserFactory()
    blocker_client, blocked_client = make_client(blocker), make_client(blocked)

    follow, block = run_at_once(
        [
            lambda: blocked_client.post(f"/api/v1/users/{blocker.pk}/follow/").status_code,
            lambda: blocker_client.post(f"/api/v1/users/{blocked.pk}/block/").status_code,
        ]
    )

    assert block == 201
    # Before the block (then removed by it) or after it (then refused as unknown).
    assert follow in (201, 404), follow
    assert not Follow.objects.filter(follower=blocked, followee=blocker).exists()


@in_rounds
def test_a_like_or_repost_racing_a_block_never_leaves_one_across_it(make_client):
    blocker, blocked = UserFactory(), UserFactory()
    post = create_post(blocker, "Mine")
    blocker_client, blocked_client = make_client(blocker), make_client(blocked)
    second_client = make_client(blocked)

    like, repost, block = run_at_once(
        [
            lambda: blocked_client.post(f"/api/v1/posts/{post.pk}/like/").status_code,
            lambda: second_client.post(f"/api/v1/posts/{post.pk}/repost/").status_code,
            lambda: blocker_client.post(f"/api/v1/users/{blocked.pk}/block/").status_code,
        ]
    )

    assert block == 201
    assert like in (201, 404), like
    assert repost in (201, 404), repost
    assert not Like.objects.filter(user=blocked, post=post).exists()
    assert not Post.objects.filter(author=blocked, repost_of=post).exists()


@in_rounds
def test_an_approval_racing_a_withdrawal_leaves_one_consistent_state(make_client):
    owner, asker, owner_client, asker_client = private_account_and_asker(make_client)
    assert asker_client.post(f"/api/v1/users/{owner.pk}/follow/").status_code == 202

    approve, withdraw = run_at_once(
        [
            lambda: owner_client.post(f"/api/v1/follow-requests/{asker.pk}/approve/"),
            lambda: asker_client.delete(f"/api/v1/users/{owner.pk}/follow/"),
        ]
    )

    # The withdrawal first: nothing to approve. The approval first: the withdrawal,
    # a DELETE of the follow, then ends the follow it made. Never a request left over.
    assert approve.status_code in (204, 404), approve
    assert withdraw.status_code == 204
    assert not FollowRequest.objects.filter(requester=asker, target=owner).exists()
    assert not Follow.objects.filter(follower=asker, followee=owner).exists()


@in_rounds
def test_a_request_racing_the_account_going_public_is_never_left_pending(make_client):
    owner, asker, owner_client, asker_client = private_account_and_asker(make_client)

    follow, publish = run_at_once(
        [
            lambda: asker_client.post(f"/api/v1/users/{owner.pk}/follow/").status_code,
            lambda: (
                owner_client.patch(
                    "/api/v1/users/me/", {"is_private": False}, format="json"
                ).status_code
            ),
        ]
    )

    assert publish == 200
    assert follow in (201, 202), follow
    assert not FollowRequest.objects.exists()
    assert Follow.objects.filter(follower=asker, followee=owner).exists()


def test_concurrent_blocks_and_mutes_leave_one_row_each(make_client):
    blocker, blocked = UserFactory(), UserFactory()
    clients = [make_client(blocker) for _ in range(20)]

    statuses = run_at_once(
        lambda c=client, i=index: (
            c.post(f"/api/v1/users/{blocked.pk}/{'block' if i % 2 else 'mute'}/").status_code
        )
        for index, client in enumerate(clients)
    )

    assert sorted(statuses) == [200] * 18 + [201] * 2, statuses
    assert Block.objects.count() == 1
