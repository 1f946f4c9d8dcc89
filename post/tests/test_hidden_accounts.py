"""What a deactivated account did leaves the public counts and the hashtag lists, and a post
links at most 30 tags."""

from datetime import timedelta

import pytest
from django.utils import timezone

from post.models import PostHashtag
from post.services.publishing import scheduled_posts_publish_due
from post.tests.factories import CommentFactory, LikeFactory, ScheduledPostFactory
from post.tests.helpers import create_post
from user.tests.factories import FollowFactory, UserFactory, deactivate

pytestmark = pytest.mark.django_db


def counts(item):
    return item["like_count"], item["comment_count"]


def only_item(response, post):
    assert response.status_code == 200, response.content
    return next(item for item in response.json()["results"] if item["id"] == post.pk)


# --- Like and comment counts --------------------------------------------------------------


def test_deactivated_likers_and_commenters_leave_post_counts(auth_client, user):
    FollowFactory(follower=user, followee=(author := UserFactory()))
    post = create_post(author, "Counted #counted")
    gone, staying = UserFactory(), UserFactory()
    for account in (gone, staying):
        LikeFactory(user=account, post=post)
        CommentFactory(author=account, post=post)
    assert counts(auth_client.get(f"/api/v1/posts/{post.pk}/").json()) == (2, 2)

    deactivate(gone)

    assert counts(auth_client.get(f"/api/v1/posts/{post.pk}/").json()) == (1, 1)
    assert counts(only_item(auth_client.get("/api/v1/posts/"), post)) == (1, 1)
    assert counts(only_item(auth_client.get("/api/v1/feed/"), post)) == (1, 1)
    assert counts(only_item(auth_client.get("/api/v1/hashtags/counted/posts/"), post)) == (1, 1)
    likers = auth_client.get(f"/api/v1/posts/{post.pk}/likes/").json()["results"]
    assert [liker["id"] for liker in likers] == [staying.pk]


def test_like_response_counts_active_likers_only(auth_client, other_user):
    post = create_post(other_user, "Liked")
    LikeFactory(user=(gone := UserFactory()), post=post)
    deactivate(gone)

    response = auth_client.post(f"/api/v1/posts/{post.pk}/like/")

    assert response.json()["like_count"] == 1


# --- Hashtag lists ------------------------------------------------------------------------


def test_tag_of_a_deleted_post_leaves_the_hashtag_list(auth_client, user):
    post = create_post(user, "#ephemeral #kept")
    create_post(user, "#kept")
    assert auth_client.delete(f"/api/v1/posts/{post.pk}/").status_code == 204

    found = auth_client.get("/api/v1/hashtags/?search=e").json()["results"]
    listed = auth_client.get("/api/v1/hashtags/").json()["results"]

    assert found == []
    assert listed == [{"name": "kept", "post_count": 1}]


def test_tags_count_only_posts_of_active_authors(api_client):
    gone, staying = UserFactory(), UserFactory()
    create_post(gone, "#hidden #shared")
    create_post(staying, "#shared")

    deactivate(gone)

    assert api_client.get("/api/v1/hashtags/?search=hidden").json()["results"] == []
    assert api_client.get("/api/v1/hashtags/?search=sh").json()["results"] == [
        {"name": "shared", "post_count": 1}
    ]


# --- Hashtags per post --------------------------------------------------------------------


TEXT_WITH_40_TAGS = "Many tags: " + " ".join(f"#t{n:02}" for n in range(40)) + " #t00 and more"


def test_a_post_links_at_most_30_tags_in_order_of_appearance(auth_client):
    response = auth_client.post("/api/v1/posts/", {"text": TEXT_WITH_40_TAGS})

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["hashtags"] == [f"t{n:02}" for n in range(30)]
    assert body["text"] == TEXT_WITH_40_TAGS
    # t30 to t39 stay text: no tag was created or linked for them.
    assert auth_client.get("/api/v1/hashtags/?search=t3").json()["results"] == []
    assert auth_client.get("/api/v1/hashtags/t35/posts/").json()["results"] == []


def test_an_edit_links_at_most_30_tags(auth_client, user):
    post = create_post(user, "#first")

    response = auth_client.patch(f"/api/v1/posts/{post.pk}/", {"text": TEXT_WITH_40_TAGS})

    assert response.status_code == 200, response.content
    assert response.json()["hashtags"] == [f"t{n:02}" for n in range(30)]


def test_a_scheduled_post_links_at_most_30_tags(user):
    # The batch publisher makes its posts in bulk (`posts_create` with many drafts).
    scheduled = ScheduledPostFactory(
        author=user, text=TEXT_WITH_40_TAGS, publish_at=timezone.now() - timedelta(seconds=1)
    )

    assert scheduled_posts_publish_due() == 1

    scheduled.refresh_from_db()
    assert scheduled.post.text == TEXT_WITH_40_TAGS
    names = PostHashtag.objects.filter(post=scheduled.post).values_list("hashtag__name", flat=True)
    assert sorted(names) == [f"t{n:02}" for n in range(30)]
