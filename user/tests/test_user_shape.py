"""A user renders as the `User` component of the OpenAPI document says, in every list
(search, followers, following, likers) and on the profile: one serializer, one shape."""

import pytest
from django.test.utils import override_settings

from post.tests.factories import LikeFactory
from post.tests.helpers import create_post
from post.tests.openapi_shapes import components, shape_problems
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
    post = create_post(pictured, "one")
    LikeFactory(user=pictured, post=post)
    LikeFactory(user=plain, post=post)
    return pictured, plain, post


def lists(user, pictured, post):
    return {
        "search": "/api/v1/users/?search=a",
        "followers": f"/api/v1/users/{user.pk}/followers/",
        "following": f"/api/v1/users/{user.pk}/following/",
        "pictured-followers": f"/api/v1/users/{pictured.pk}/followers/",
        "likers": f"/api/v1/posts/{post.pk}/likes/",
    }


@pytest.mark.parametrize("anonymous", [False, True])
@pytest.mark.parametrize("media_url", ["/media/", "https://cdn.example.com/u/"])
def test_listed_users_are_the_documented_user(people, user, make_client, anonymous, media_url):
    pictured, plain, post = people
    client = make_client(None if anonymous else user)
    with override_settings(MEDIA_URL=media_url):
        profile = client.get(f"/api/v1/users/{pictured.pk}/").json()
        listed = {
            name: client.get(url).json()["results"]
            for name, url in lists(user, pictured, post).items()
        }
        avatar_url = pictured.avatar.url

    assert shape_problems("User", profile) == []
    for name, items in listed.items():
        assert items, name
        for item in items:
            assert shape_problems("User", item) == [], name
            # Field order too: it is what a client sees in the JSON.
            assert list(item) == list(components()["User"]["properties"]), name
        # The same account renders the same everywhere.
        assert [item for item in items if item["id"] == pictured.pk] in ([], [profile]), name

    assert profile["avatar"] == (
        avatar_url if avatar_url.startswith("http") else f"http://testserver{avatar_url}"
    )
    assert (profile["followers_count"], profile["following_count"], profile["posts_count"]) == (
        2,
        1,
        1,
    )
    assert (profile["bio"], profile["location"], profile["website"]) == (
        "«bio»",
        "Zürich",
        "https://a.example",
    )
    assert profile["is_following"] is (None if anonymous else True)
    assert profile["follows_you"] is (None if anonymous else True)
    likers = listed["likers"]
    assert [item["id"] for item in likers] == [plain.pk, pictured.pk]
    assert likers[0]["website"] == ""
    assert likers[0]["is_following"] is (None if anonymous else False)
