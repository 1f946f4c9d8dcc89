"""A post renders as the `Post` component of the OpenAPI document says, on every endpoint.

`PostSerializer` both declares the documented fields and renders them (from the rows of
`PostQuerySet.as_rows()`); these tests hold the rendered JSON against the schema generated
from those declarations, and the values against what the stored rows mean.
"""

import pytest
from django.test.utils import override_settings

from post.models import Media
from post.tests.factories import CommentFactory, LikeFactory, MediaFactory
from post.tests.helpers import create_post, upload
from post.tests.openapi_shapes import components, shape_problems
from user.tests.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


def absolute(url: str) -> str:
    """What DRF's file fields answer for a stored file's URL in a test request."""
    return url if url.startswith("http") else f"http://testserver{url}"


@pytest.fixture
def posts(user):
    author = UserFactory(display_name="Ana Ünal")
    # A name with characters the URL must quote, as a stored avatar may have.
    author.avatar.name = "avatars/a b ü#1.png"
    author.save(update_fields=["avatar"])
    FollowFactory(follower=user, followee=author)
    media = [MediaFactory(owner=author, description=f"alt {n} «»") for n in range(3)]
    with_media = create_post(author, "Zeta #zulu #Alpha #mike", media_ids=[m.pk for m in media])
    plain = create_post(user, "No tags, no media")
    # Display order is by position, not id; a thumbnail's stored name may be empty (null).
    Media.objects.filter(pk=media[1].pk).update(thumbnail="", position=9)
    LikeFactory(user=user, post=with_media)
    LikeFactory(post=with_media)
    CommentFactory(post=plain)
    return with_media, plain


@pytest.mark.parametrize("anonymous", [False, True])
@pytest.mark.parametrize("media_url", ["/media/", "https://cdn.example.com/u/"])
def test_listed_posts_are_the_documented_post(posts, user, make_client, anonymous, media_url):
    with_media, plain = posts
    with override_settings(MEDIA_URL=media_url):
        response = make_client(None if anonymous else user).get("/api/v1/posts/")
        author = with_media.author
        avatar_url = absolute(author.avatar.url)
        media = list(Media.objects.filter(post=with_media).order_by("position", "id"))
        media_urls = [absolute(m.file.url) for m in media]
        thumbnail_urls = [absolute(m.thumbnail.url) if m.thumbnail else None for m in media]

    assert response.status_code == 200
    latest, first = response.json()["results"]
    for post in (latest, first):
        assert shape_problems("Post", post) == []
        # Field order too: it is what a client sees in the JSON.
        assert list(post) == list(components()["Post"]["properties"])
    assert (first["id"], latest["id"]) == (with_media.pk, plain.pk)
    assert first["author"] == {
        "id": author.pk,
        "username": author.username,
        "display_name": "Ana Ünal",
        "avatar": avatar_url,
    }
    assert first["hashtags"] == ["alpha", "mike", "zulu"]
    assert [m["id"] for m in first["media"]] == [m.pk for m in media]
    assert [m["url"] for m in first["media"]] == media_urls
    assert [m["thumbnail_url"] for m in first["media"]] == thumbnail_urls
    assert thumbnail_urls[2] is None
    assert [m["description"] for m in first["media"]] == [m.description for m in media]
    assert (first["like_count"], first["comment_count"]) == (2, 0)
    assert (latest["like_count"], latest["comment_count"]) == (0, 1)
    assert first["liked_by_me"] is (None if anonymous else True)
    assert latest["liked_by_me"] is (None if anonymous else False)
    assert (latest["hashtags"], latest["media"]) == ([], [])


def test_every_read_and_write_renders_the_same_post(posts, user, auth_client):
    with_media, _ = posts
    detail = auth_client.get(f"/api/v1/posts/{with_media.pk}/").json()
    assert shape_problems("Post", detail) == []

    for url in (
        "/api/v1/posts/",
        "/api/v1/feed/",
        f"/api/v1/users/{with_media.author_id}/posts/",
        "/api/v1/hashtags/mike/posts/",
        "/api/v1/users/me/liked-posts/",
    ):
        listed = auth_client.get(url).json()["results"]
        assert detail in listed, url

    created = auth_client.post("/api/v1/posts/", {"text": "New #one"}, format="json")
    assert created.status_code == 201
    assert shape_problems("Post", created.json()) == []
    edited = auth_client.patch(
        f"/api/v1/posts/{created.json()['id']}/", {"text": "Edited #two"}, format="json"
    )
    assert shape_problems("Post", edited.json()) == []
    assert edited.json() == auth_client.get(f"/api/v1/posts/{created.json()['id']}/").json()
    assert edited.json()["hashtags"] == ["two"]


def test_an_author_is_rendered_alike_in_posts_and_comments(posts, user, auth_client):
    with_media, _ = posts
    commented = auth_client.post(
        f"/api/v1/posts/{with_media.pk}/comments/", {"text": "Nice"}, format="json"
    )
    assert commented.status_code == 201
    assert shape_problems("Comment", commented.json()) == []
    own_post = auth_client.post("/api/v1/posts/", {"text": "Mine"}, format="json").json()

    listed = auth_client.get(f"/api/v1/posts/{with_media.pk}/comments/").json()["results"]

    assert commented.json()["author"] == own_post["author"] == listed[0]["author"]
    assert shape_problems("ShortUser", own_post["author"]) == []


def test_an_upload_is_rendered_as_the_post_shows_it(user, auth_client):
    uploaded = upload(auth_client, description="A red square")
    assert uploaded.status_code == 201
    assert shape_problems("Media", uploaded.json()) == []

    post = auth_client.post(
        "/api/v1/posts/", {"text": "Look", "media_ids": [uploaded.json()["id"]]}, format="json"
    ).json()

    assert post["media"] == [uploaded.json()]
