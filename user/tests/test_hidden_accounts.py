"""A deactivated account's follows leave the follower and following counts."""

import pytest

from user.tests.factories import FollowFactory, UserFactory, deactivate

pytestmark = pytest.mark.django_db


def follow_counts(item):
    return item["followers_count"], item["following_count"]


def test_deactivated_accounts_leave_follow_counts(auth_client, user):
    gone, staying = UserFactory(username="gone"), UserFactory(username="staying")
    for account in (gone, staying):
        FollowFactory(follower=account, followee=user)
        FollowFactory(follower=user, followee=account)
    FollowFactory(follower=gone, followee=staying)
    assert follow_counts(auth_client.get(f"/api/v1/users/{user.pk}/").json()) == (2, 2)

    deactivate(gone)

    assert follow_counts(auth_client.get(f"/api/v1/users/{user.pk}/").json()) == (1, 1)
    assert follow_counts(auth_client.get("/api/v1/users/me/").json()) == (1, 1)
    listed = auth_client.get(f"/api/v1/users/?search={user.username}").json()["results"]
    assert [follow_counts(item) for item in listed if item["id"] == user.pk] == [(1, 1)]
    # `staying` follows `user` and is followed by `user` and `gone`, who is hidden now.
    followers = auth_client.get("/api/v1/users/me/followers/").json()["results"]
    assert [follow_counts(item) for item in followers] == [(1, 1)]
