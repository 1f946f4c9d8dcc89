"""`insert_or_nothing` (social_media/db.py); its races are tested through the like and follow
endpoints (post/tests/test_concurrency.py, user/tests/test_follows.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from post.models import Like
from post.tests.helpers import create_post
from social_media.db import insert_or_nothing
from user.models import Follow
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_inserts_once_then_does_nothing():
    follower, followee = UserFactory(), UserFactory()

    first = insert_or_nothing(
        Follow, unique=("follower", "followee"), follower=follower, followee=followee
    )
    again = insert_or_nothing(
        Follow, unique=("follower", "followee"), follower=follower, followee=followee
    )

    assert (first, again) == (True, False)
    assert Follow.objects.filter(follower=follower, followee=followee).count() == 1


def test_values_are_prepared_as_save_prepares_them():
    """`auto_now_add` (Follow) and a callable default (Like) are filled in, time zone aware."""
    user, author = UserFactory(), UserFactory()
    post = create_post(author, "x")
    before = timezone.now()

    insert_or_nothing(Follow, unique=("follower", "followee"), follower=user, followee=author)
    insert_or_nothing(Like, unique=("user", "post"), user=user, post=post)

    for created_at in (Follow.objects.get().created_at, Like.objects.get().created_at):
        assert before <= created_at <= timezone.now() + timedelta(seconds=1)


def test_explicit_values_win_over_defaults():
    user, post = UserFactory(), create_post(UserFactory(), "x")
    long_ago = timezone.now() - timedelta(days=400)

    insert_or_nothing(Like, unique=("user", "post"), user=user, post=post, created_at=long_ago)

    assert Like.objects.get().created_at == long_ago
