import pytest
from django.db import IntegrityError, connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from post.tests.factories import PostFactory
from tests.concurrency import run_at_once
from user.models import Block, Follow, FollowRequest, Mute, User
from user.services import relationships as services
from user.services.relationships import follow_create
from user.tests.factories import FollowFactory, UserFactory
from user.tests.helpers import ids

pytestmark = pytest.mark.django_db


def follow_url(user_id):
    return f"/api/v1/users/{user_id}/follow/"


def followers_url(user_id):
    return f"/api/v1/users/{user_id}/followers/"


def following_url(user_id):
    return f"/api/v1/users/{user_id}/following/"


# --- Follow and unfollow ----------------------------------------------------------------


def test_follow_then_follow_again(auth_client, user, other_user):
    first = auth_client.post(follow_url(other_user.id))
    assert first.status_code == 201
    assert first.json()["id"] == other_user.id
    assert first.json()["is_following"] is True
    assert first.json()["followers_count"] == 1
    second = auth_client.post(follow_url(other_user.id))
    assert second.status_code == 200
    assert Follow.objects.filter(follower=user, followee=other_user).count() == 1


def test_follow_self_is_400(auth_client, user):
    for lookup in (user.id, "me"):
        response = auth_client.post(follow_url(lookup))
        assert response.status_code == 400
        assert "non_field_errors" in response.json()
    assert not Follow.objects.exists()


def test_follow_unknown_user_is_404(auth_client):
    assert auth_client.post(follow_url(999_999)).status_code == 404
    assert auth_client.delete(follow_url(999_999)).status_code == 404


def test_follow_inactive_user_is_404(auth_client):
    inactive = UserFactory(is_active=False)
    assert auth_client.post(follow_url(inactive.id)).status_code == 404


def test_follow_anonymous_is_401(api_client, other_user):
    for method in (api_client.post, api_client.delete):
        response = method(follow_url(other_user.id))
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
    assert not Follow.objects.exists()


def test_follow_over_get_is_405(auth_client, other_user):
    assert auth_client.get(follow_url(other_user.id)).status_code == 405


def test_unfollow_is_idempotent(auth_client, user, other_user):
    FollowFactory(follower=user, followee=other_user)
    assert auth_client.delete(follow_url(other_user.id)).status_code == 204
    assert not Follow.objects.filter(follower=user).exists()
    assert auth_client.delete(follow_url(other_user.id)).status_code == 204


def test_unfollow_leaves_other_follows_alone(auth_client, user, other_user):
    third = UserFactory()
    FollowFactory(follower=user, followee=other_user)
    FollowFactory(follower=user, followee=third)
    FollowFactory(follower=other_user, followee=user)
    auth_client.delete(follow_url(other_user.id))
    assert list(Follow.objects.values_list("follower_id", "followee_id").order_by("id")) == [
        (user.id, third.id),
        (other_user.id, user.id),
    ]


# --- Counts and flags -------------------------------------------------------------------


def test_counts_and_flags(make_client, user, other_user):
    third = UserFactory()
    FollowFactory(follower=user, followee=other_user)
    FollowFactory(follower=third, followee=other_user)
    FollowFactory(follower=other_user, followee=user)
    PostFactory.create_batch(3, author=other_user)

    seen_by_user = make_client(user).get(f"/api/v1/users/{other_user.id}/").json()
    assert seen_by_user["followers_count"] == 2
    assert seen_by_user["following_count"] == 1
    assert seen_by_user["posts_count"] == 3
    assert seen_by_user["is_following"] is True
    assert seen_by_user["follows_you"] is True

    seen_by_third = make_client(third).get(f"/api/v1/users/{other_user.id}/").json()
    assert seen_by_third["is_following"] is True
    assert seen_by_third["follows_you"] is False

    seen_by_other = make_client(other_user).get(f"/api/v1/users/{third.id}/").json()
    assert seen_by_other["is_following"] is False
    assert seen_by_other["follows_you"] is True

    me = make_client(user).get("/api/v1/users/me/").json()
    assert (me["followers_count"], me["following_count"], me["posts_count"]) == (1, 1, 0)


# --- Followers and following lists -------------------------------------------------------


def test_followers_most_recent_first(api_client, user):
    followers = UserFactory.create_batch(3)
    for follower in followers:
        FollowFactory(follower=follower, followee=user)
    FollowFactory(follower=user, followee=followers[0])  # the other direction: not listed
    response = api_client.get(followers_url(user.id))
    assert response.status_code == 200
    assert set(response.json()) == {"next", "previous", "results"}
    assert ids(response) == [f.id for f in reversed(followers)]
    assert response.json()["results"][0]["is_following"] is None


def test_following_most_recent_first(api_client, user):
    followed = UserFactory.create_batch(3)
    for followee in followed:
        FollowFactory(follower=user, followee=followee)
    FollowFactory(follower=followed[1], followee=user)  # the other direction: not listed
    response = api_client.get(following_url(user.id))
    assert response.status_code == 200
    assert ids(response) == [f.id for f in reversed(followed)]


def test_follow_lists_accept_me(auth_client, user, other_user):
    FollowFactory(follower=other_user, followee=user)
    FollowFactory(follower=user, followee=other_user)
    followers = auth_client.get(followers_url("me")).json()["results"]
    following = auth_client.get(following_url("me")).json()["results"]
    assert [u["id"] for u in followers] == [other_user.id]
    assert [u["id"] for u in following] == [other_user.id]
    assert followers[0]["is_following"] is True
    assert followers[0]["follows_you"] is True


def test_follow_lists_of_me_anonymous_is_401(api_client):
    assert api_client.get(followers_url("me")).status_code == 401
    assert api_client.get(following_url("me")).status_code == 401


def test_follow_lists_of_unknown_user_is_404(api_client):
    assert api_client.get(followers_url(999_999)).status_code == 404
    assert api_client.get(following_url(999_999)).status_code == 404


def test_follow_lists_hide_inactive_users(api_client, user):
    FollowFactory(follower=UserFactory(is_active=False), followee=user)
    active = FollowFactory(followee=user).follower
    assert ids(api_client.get(followers_url(user.id))) == [active.id]


def test_followers_pages_follow_next_without_gaps_or_repeats(api_client, user):
    followers = UserFactory.create_batch(7)
    for follower in followers:
        FollowFactory(follower=follower, followee=user)
    seen, url = [], followers_url(user.id) + "?page_size=3"
    while url:
        body = api_client.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert seen == [f.id for f in reversed(followers)]


# --- Query counts -----------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize(
    "list_name", ["users", "followers", "following", "blocks", "mutes", "follow-requests"]
)
def test_lists_cost_the_same_queries_for_1_and_100_users(auth_client, user, list_name):
    def url():
        return {
            "users": "/api/v1/users/?page_size=100",
            "followers": followers_url(user.id) + "?page_size=100",
            "following": following_url(user.id) + "?page_size=100",
            "blocks": "/api/v1/users/me/blocks/?page_size=100",
            "mutes": "/api/v1/users/me/mutes/?page_size=100",
            "follow-requests": "/api/v1/follow-requests/?page_size=100",
        }[list_name]

    def add_users(n):
        for other in UserFactory.create_batch(n):
            FollowFactory(follower=other, followee=user)
            FollowFactory(follower=user, followee=other)
            PostFactory(author=other)
            # Each list grows by one account; the others (private, muted, blocking the
            # caller) are in the data around it.
            Block.objects.create(blocker=user, blocked=UserFactory())
            Block.objects.create(blocker=UserFactory(), blocked=user)
            Mute.objects.create(muter=user, muted=UserFactory(is_private=True))
            FollowRequest.objects.create(requester=UserFactory(), target=user)

    add_users(1)
    few_queries, few_rows = count_queries(auth_client, url())
    add_users(99)
    many_queries, many_rows = count_queries(auth_client, url())
    # The user search shows each round's account, the muted one and the requester, never
    # the two blocked either way; a page holds 100 at most.
    assert many_rows == min(few_rows + 99 * (3 if list_name == "users" else 1), 100)
    assert few_queries == many_queries
    assert many_queries <= 6


# --- Concurrency (PostgreSQL) ------------------------------------------------------------


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_follows_create_exactly_one_row(make_client):
    follower, followee = UserFactory(), UserFactory()
    clients = [make_client(follower) for _ in range(20)]

    statuses = run_at_once(
        lambda c=client: c.post(follow_url(followee.id)).status_code for client in clients
    )

    assert sorted(statuses) == [200] * 19 + [201], statuses
    assert Follow.objects.filter(follower=follower, followee=followee).count() == 1


@pytest.mark.django_db(transaction=True)
def test_following_an_account_deleted_meanwhile_is_404_and_writes_nothing():
    """The view read the followee, then the account was deleted before the insert: the
    foreign key, checked as the insert commits, refuses the follow."""
    follower, followee = UserFactory(), UserFactory()
    User.objects.filter(pk=followee.pk).delete()

    with pytest.raises(Http404):
        follow_create(follower=follower, followee=followee)

    assert not Follow.objects.exists()


def test_other_integrity_errors_are_not_turned_into_a_404(monkeypatch):
    """Only a vanished account means "not found"; any other refusal is a bug to surface."""
    follower, followee = UserFactory(), UserFactory()

    def refuse(*args, **kwargs):
        raise IntegrityError("some other constraint")

    monkeypatch.setattr(services, "insert_or_nothing", refuse)

    with pytest.raises(IntegrityError):
        follow_create(follower=follower, followee=followee)
