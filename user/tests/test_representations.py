"""The lean read path of user lists (`as_rows` + `user_representations`) answers exactly what
`UserSerializer`, the documented shape, gives for the same users as model instances."""

import json

import pytest
from django.test import RequestFactory
from django.test.utils import override_settings
from rest_framework.request import Request

from post.tests.helpers import create_post
from user.models import User
from user.representations import user_representations
from user.serializers import UserSerializer
from user.tests.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(user):
    pictured = UserFactory(
        display_name="Ana Ünal", bio="«bio»", location="Zürich", website="https://a.example"
    )
    # A name with characters the URL must quote, as a stored avatar may have.
    pictured.avatar.name = "avatars/a b ü#1.png"
    pictured.save(update_fields=["avatar"])
    plain = UserFactory(display_name="", bio="", website="")
    FollowFactory(follower=user, followee=pictured)
    FollowFactory(follower=pictured, followee=user)
    FollowFactory(follower=plain, followee=pictured)
    create_post(pictured, "one")
    return pictured, plain


@pytest.mark.parametrize("anonymous", [False, True])
@pytest.mark.parametrize("media_url", ["/media/", "https://cdn.example.com/u/"])
def test_rows_are_represented_exactly_as_the_serializer_does(people, user, anonymous, media_url):
    viewer = None if anonymous else user
    request = Request(RequestFactory().get("/api/v1/users/", HTTP_HOST="testserver"))
    users = User.objects.visible_to(viewer).order_by("-date_joined", "-id")
    with override_settings(MEDIA_URL=media_url):
        expected = UserSerializer(users, many=True, context={"request": request}).data
        actual = user_representations(list(users.as_rows()), request)

    # Field order too: it is what a client sees in the JSON.
    assert json.dumps(actual) == json.dumps(expected)
    pictured = next(u for u in actual if u["id"] == people[0].pk)
    assert pictured["avatar"].startswith(
        "http://testserver/media/" if media_url == "/media/" else media_url
    )
    assert (pictured["followers_count"], pictured["posts_count"]) == (2, 1)
    assert pictured["is_following"] is (None if anonymous else True)
    assert pictured["follows_you"] is (None if anonymous else True)


def test_rows_carry_the_columns_shown_and_no_secrets(people, user):
    (row,) = User.objects.visible_to(user).followers_of(people[0]).filter(pk=user.pk).as_rows()

    assert "password" not in row
    assert "email" not in row
    assert "followed_at" in row  # what the followers list's cursor orders by
