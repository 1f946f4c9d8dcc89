"""Reposts, quote posts and bookmarks through the API, and how the timelines show them."""

import pytest

from post.models import Bookmark, Post
from post.tests.helpers import create_post, follow_pages, ids
from user.tests.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


def repost(client, post):
    return client.post(f"/api/v1/posts/{post.pk if isinstance(post, Post) else post}/repost/")


def test_repost_is_created_once_and_shows_its_original(auth_client, other_client, user, other_user):
    original = create_post(other_user, "Worth sharing #engines")

    first, again = repost(auth_client, original), repost(auth_client, original)

    assert (first.status_code, again.status_code) == (201, 200)
    body = first.json()
    assert again.json()["id"] == body["id"]
    assert (body["text"], body["author"]["id"]) == ("", user.pk)
    assert body["repost_of"]["id"] == original.pk
    assert body["repost_of"]["hashtags"] == ["engines"]
    assert (body["repost_of"]["repost_of"], body["repost_of"]["quote_of"]) == (None, None)
    seen = other_client.get(f"/api/v1/posts/{original.pk}/").json()
    assert (seen["repost_count"], seen["reposted_by_me"]) == (1, False)
    assert auth_client.get(f"/api/v1/posts/{original.pk}/").json()["reposted_by_me"] is True
    assert Post.objects.filter(repost_of=original).count() == 1


def test_reposting_a_repost_reposts_its_original_and_own_posts_may_be(auth_client, user):
    original = create_post(user, "Mine")
    theirs = repost(client_of(UserFactory()), original).json()

    response = repost(auth_client, theirs["id"])

    assert response.status_code == 201
    assert response.json()["repost_of"]["id"] == original.pk


def client_of(someone):
    from conftest import client_for

    return client_for(someone)


def test_reposting_what_does_not_exist_or_is_hidden_is_a_404(auth_client, api_client):
    hidden = create_post(UserFactory(is_active=False), "Gone quiet")

    assert repost(auth_client, hidden).status_code == 404
    assert repost(auth_client, 999999).status_code == 404
    assert repost(api_client, create_post(UserFactory(), "x")).status_code == 401
    assert not Post.objects.filter(repost_of__isnull=False).exists()


def test_undoing_a_repost_and_listing_reposters(auth_client, other_client, api_client, other_user):
    original = create_post(UserFactory(), "Popular")
    repost(auth_client, original)
    repost(other_client, original)

    reposters = api_client.get(f"/api/v1/posts/{original.pk}/reposts/")
    assert ids(reposters) == [other_user.pk, reposters.json()["results"][1]["id"]]
    assert other_client.delete(f"/api/v1/posts/{original.pk}/repost/").status_code == 204
    assert other_client.delete(f"/api/v1/posts/{original.pk}/repost/").status_code == 204
    assert len(ids(api_client.get(f"/api/v1/posts/{original.pk}/reposts/"))) == 1
    assert api_client.get("/api/v1/posts/999999/reposts/").status_code == 404


def test_deleting_the_original_deletes_its_reposts_and_empties_quotes(auth_client, other_user):
    original = create_post(other_user, "Soon gone")
    repost(auth_client, original)
    quote = auth_client.post("/api/v1/posts/", {"text": "Look", "quote_of": original.pk}).json()

    client_of(other_user).delete(f"/api/v1/posts/{original.pk}/")

    assert not Post.objects.filter(repost_of__isnull=False).exists()
    assert auth_client.get(f"/api/v1/posts/{quote['id']}/").json()["quote_of"] is None


def test_a_quote_is_a_post_with_its_original(auth_client, other_user):
    original = create_post(other_user, "Original")
    shared = repost(client_of(UserFactory()), original).json()

    response = auth_client.post(
        "/api/v1/posts/", {"text": "So true #quotes", "quote_of": shared["id"]}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["text"], body["hashtags"]) == ("So true #quotes", ["quotes"])
    assert body["quote_of"]["id"] == original.pk
    assert body["repost_of"] is None


def test_quoting_an_invisible_or_missing_post_is_a_400(auth_client):
    hidden = create_post(UserFactory(is_active=False), "Hidden")

    for target in (hidden.pk, 999999):
        response = auth_client.post("/api/v1/posts/", {"text": "Hm", "quote_of": target})
        assert response.status_code == 400
        assert response.json() == {"quote_of": ["No post with this id."]}
    assert not Post.objects.exists() or not Post.objects.filter(text="Hm").exists()


def test_a_repost_leaves_with_its_original_and_returns_with_it(auth_client, user):
    """A repost is its original shown again: when the viewer may no longer read the original
    (its author suspended here), the repost is gone from every list, not an empty shell."""
    author = UserFactory()
    original = create_post(author, "Soon hidden")
    shared = repost(auth_client, original).json()
    author.is_active = False
    author.save(update_fields=["is_active"])

    assert auth_client.get("/api/v1/users/me/posts/").json()["results"] == []
    assert auth_client.get(f"/api/v1/posts/{shared['id']}/").status_code == 404

    author.is_active = True
    author.save(update_fields=["is_active"])
    [shown] = auth_client.get("/api/v1/users/me/posts/").json()["results"]
    assert shown["repost_of"]["id"] == original.pk


def test_feed_shows_reposts_once_per_original_newest_first(make_client, user):
    reader, alice, bob = user, UserFactory(), UserFactory()
    for followee in (alice, bob):
        FollowFactory(follower=reader, followee=followee)
    stranger = UserFactory()
    original = create_post(stranger, "Shared twice")
    liked = create_post(alice, "Alice's own")
    make_client(alice).post(f"/api/v1/posts/{original.pk}/repost/")
    own_shared = make_client(bob).post(f"/api/v1/posts/{liked.pk}/repost/").json()
    bob_repost = make_client(bob).post(f"/api/v1/posts/{original.pk}/repost/").json()
    after = create_post(alice, "Newest")

    client = make_client(reader)
    items, pages = follow_pages(client, "/api/v1/feed/?page_size=1")

    assert [item["id"] for item in items] == [after.pk, bob_repost["id"], own_shared["id"]]
    assert pages == 3
    whole = client.get("/api/v1/feed/").json()["results"]
    assert [item["id"] for item in whole] == [after.pk, bob_repost["id"], own_shared["id"]]


def test_reposts_show_in_the_reposters_posts_not_by_hashtag_or_search(auth_client, user):
    original = create_post(UserFactory(), "Findable #rare")
    shared = repost(auth_client, original).json()

    assert ids(auth_client.get(f"/api/v1/users/{user.pk}/posts/")) == [shared["id"]]
    assert ids(auth_client.get("/api/v1/hashtags/rare/posts/")) == [original.pk]
    assert ids(auth_client.get("/api/v1/posts/?search=findable")) == [original.pk]
    assert ids(auth_client.get("/api/v1/posts/?hashtag=rare")) == [original.pk]


def test_editing_a_repost_is_a_400(auth_client):
    shared = repost(auth_client, create_post(UserFactory(), "x")).json()

    response = auth_client.patch(f"/api/v1/posts/{shared['id']}/", {"text": "sneaky"})

    assert response.status_code == 400
    assert Post.objects.get(pk=shared["id"]).text == ""


def test_bookmarks_are_private_and_listed_most_recent_first(auth_client, other_client):
    first, second = create_post(UserFactory(), "One"), create_post(UserFactory(), "Two")
    url = "/api/v1/posts/{}/bookmark/"

    assert auth_client.post(url.format(second.pk)).status_code == 201
    assert auth_client.post(url.format(first.pk)).status_code == 201
    again = auth_client.post(url.format(first.pk))
    assert (again.status_code, again.json()) == (200, {"post": first.pk, "bookmarked_by_me": True})

    assert ids(auth_client.get("/api/v1/users/me/bookmarks/")) == [first.pk, second.pk]
    assert auth_client.get(f"/api/v1/posts/{first.pk}/").json()["bookmarked_by_me"] is True
    assert other_client.get(f"/api/v1/posts/{first.pk}/").json()["bookmarked_by_me"] is False
    assert ids(other_client.get("/api/v1/users/me/bookmarks/")) == []
    assert auth_client.delete(url.format(first.pk)).status_code == 204
    assert auth_client.delete(url.format(first.pk)).status_code == 204
    assert auth_client.post(url.format(999999)).status_code == 404
    assert Bookmark.objects.count() == 1
