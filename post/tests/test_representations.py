"""The lean read path (`as_rows` + `post_representations`) answers exactly what
`PostSerializer`, the documented shape, gives for the same posts as model instances."""

import json

import pytest
from django.db.models import Prefetch
from django.test import RequestFactory
from django.test.utils import override_settings
from rest_framework.request import Request

from post.models import Hashtag, Media, Post
from post.representations import post_representations
from post.serializers import PostSerializer
from post.tests.factories import CommentFactory, LikeFactory, MediaFactory
from post.tests.helpers import create_post
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def serializer_output(viewer, request):
    """The reference: model instances with their relations, through the serializer."""
    posts = (
        Post.objects.visible_to(viewer)
        .select_related("author")
        .prefetch_related(
            Prefetch("media", queryset=Media.objects.order_by("position", "id")),
            Prefetch("hashtags", queryset=Hashtag.objects.order_by("name")),
        )
    )
    return PostSerializer(posts, many=True, context={"request": request}).data


@pytest.fixture
def posts(user):
    author = UserFactory(display_name="Ana Ünal")
    # A name with characters the URL must quote, as a stored avatar may have.
    author.avatar.name = "avatars/a b ü#1.png"
    author.save(update_fields=["avatar"])
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
def test_rows_are_represented_exactly_as_the_serializer_does(posts, user, anonymous, media_url):
    viewer = None if anonymous else user
    http_request = RequestFactory().get("/api/v1/posts/", HTTP_HOST="testserver")
    request = Request(http_request)
    with override_settings(MEDIA_URL=media_url):
        expected = serializer_output(viewer, request)
        rows = Post.objects.visible_to(viewer).order_by("-created_at", "-id").as_rows()
        actual = post_representations(list(rows), request)

    # Field order too: it is what a client sees in the JSON.
    assert json.dumps(actual) == json.dumps(expected)
    with_media = actual[1]
    assert with_media["hashtags"] == ["alpha", "mike", "zulu"]
    assert [m["thumbnail_url"] is None for m in with_media["media"]] == [False, False, True]
    assert with_media["author"]["avatar"].startswith(
        "http://testserver/media/" if media_url == "/media/" else media_url
    )
    assert (with_media["like_count"], actual[0]["comment_count"]) == (2, 1)
    assert with_media["liked_by_me"] is (None if anonymous else True)


def test_a_post_without_relations_has_empty_lists(user):
    create_post(user, "Just text")

    (row,) = Post.objects.visible_to(user).as_rows()

    assert (row["hashtag_names"], row["media_items"]) == ([], [])
