import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.utils import timezone
from PIL import Image

from notifications.models import Notification
from post.models import Comment, Hashtag, Like, Media, Post, PostMention, ScheduledPost
from user.models import Follow, User

pytestmark = pytest.mark.django_db


def seed(*extra, users=4, posts=12, seed=7) -> str:
    out = StringIO()
    call_command(
        "seed_demo", "--users", users, "--posts", posts, "--seed", seed, *extra, stdout=out
    )
    return out.getvalue()


def snapshot():
    """What a seed determines: people, texts, tags, and who follows, likes, comments what."""
    return {
        "users": sorted(User.objects.values_list("username", "display_name", "bio", "location")),
        "posts": sorted(Post.objects.values_list("author__username", "text")),
        "follows": sorted(Follow.objects.values_list("follower__username", "followee__username")),
        "likes": sorted(Like.objects.values_list("user__username", "post__text")),
        "comments": sorted(Comment.objects.values_list("author__username", "text")),
        "notifications": list(
            Notification.objects.order_by("id").values_list(
                "recipient__username", "type", "actor__username", "read"
            )
        ),
    }


def cause_moment(notification: Notification):
    """When the notified action happened, as the seeded data says."""
    if notification.comment_id:
        return notification.comment.created_at
    match notification.type:
        case "follow":
            return Follow.objects.get(
                follower=notification.actor_id, followee=notification.recipient_id
            ).created_at
        case "like":
            return Like.objects.get(
                user=notification.actor_id, post=notification.post_id
            ).created_at
        case "repost":
            return Post.objects.get(
                author=notification.actor_id, repost_of=notification.post_id
            ).created_at
    return notification.post.created_at  # a mention in a post, a quote: the post itself


def test_seed_demo_creates_a_believable_data_set(api_client):
    output = seed()

    assert User.objects.count() == 4
    assert Post.objects.filter(repost_of__isnull=True).count() == 12
    demo = User.objects.get(email="demo@example.com")
    assert demo.display_name == "Demo User"
    # Every account has a real, decodable avatar and a filled-in profile.
    for user in User.objects.all():
        assert user.bio
        with user.avatar.open("rb") as file, Image.open(file) as image:
            assert image.size == (256, 256)
    # Hashtags came from parsing the texts, so every post carries its tags.
    for post in Post.objects.prefetch_related("hashtags"):
        assert {tag.name for tag in post.hashtags.all()} == {
            name.lower() for name in re.findall(r"#(\w+)", post.text)
        }
        assert post.created_at < timezone.now()
    assert Hashtag.objects.exists()
    assert Follow.objects.filter(follower=demo).exists()
    assert Like.objects.exists()
    assert Comment.objects.exists()
    assert Media.objects.filter(post__isnull=False).exists()  # seed 7 draws some pictures
    # Conversations: reposts after their originals, quotes, threads and mentions.
    reposts = Post.objects.filter(repost_of__isnull=False).select_related("repost_of")
    assert reposts.exists()
    assert all(r.text == "" and r.created_at > r.repost_of.created_at for r in reposts)
    assert all(r.author_id != r.repost_of.author_id for r in reposts)
    assert Post.objects.filter(quote_of__isnull=False).exists()
    assert PostMention.objects.exists()
    replies = Comment.objects.filter(in_reply_to__isnull=False).select_related("in_reply_to")
    assert replies.exists()
    assert all(r.created_at >= r.in_reply_to.created_at for r in replies)
    assert "reposts" in output
    pending = ScheduledPost.objects.filter(author=demo)
    assert pending.count() == 2
    assert all(s.status == "scheduled" and s.publish_at > timezone.now() for s in pending)

    # The printed credentials work against the API.
    password = re.search(r"demo@example\.com with password (\S+)", output).group(1)
    response = api_client.post(
        "/api/v1/auth/login/", {"email": "demo@example.com", "password": password}
    )
    assert response.status_code == 200, response.content
    feed = api_client.get("/api/v1/feed/", HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert feed.status_code == 200
    assert feed.json()["results"]


def test_seed_demo_notifies_as_the_api_would_at_the_time_of_each_cause(api_client):
    output = seed()

    # Every follow, like, comment, mention, repost and quote told the one it concerns, when it
    # happened; ids follow time as in real use, so the newest-first list reads in time order.
    notifications = list(Notification.objects.select_related("comment", "post").order_by("id"))
    assert {n.type for n in notifications} >= {"follow", "like", "comment", "mention", "repost"}
    assert f"{len(notifications)} notifications" in output
    assert Notification.objects.filter(type="follow").count() == Follow.objects.count()
    assert all(n.created_at == cause_moment(n) for n in notifications)
    moments = [n.created_at for n in notifications]
    assert moments == sorted(moments)
    assert not Notification.objects.filter(actor=models.F("recipient")).exists()

    # The demo account has read its older notifications and has a few new ones.
    password = re.search(r"demo@example\.com with password (\S+)", output).group(1)
    login = api_client.post(
        "/api/v1/auth/login/", {"email": "demo@example.com", "password": password}
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {login.json()['token']}")
    count = api_client.get("/api/v1/notifications/unread-count/").json()["count"]
    page = api_client.get("/api/v1/notifications/?page_size=100").json()["results"]
    assert 0 < count < len(page)
    assert [n["read"] for n in page] == [False] * count + [True] * (len(page) - count)
    assert [n["created_at"] for n in page] == sorted((n["created_at"] for n in page), reverse=True)


def test_seed_demo_refuses_to_run_twice_without_reset():
    seed()
    with pytest.raises(CommandError, match="--reset"):
        seed()
    assert User.objects.count() == 4


def test_seed_demo_is_reproducible_and_reset_replaces_only_demo_data(user):
    seed(seed=11)
    first = snapshot()
    output = seed("--reset", seed=11)

    assert "Deleted 4 demo accounts" in output
    assert snapshot() == first
    # A real account is never touched by --reset.
    assert User.objects.filter(pk=user.pk).exists()
    assert User.objects.count() == 5


def test_another_seed_gives_other_data():
    seed(seed=1)
    first = snapshot()
    seed("--reset", seed=2)
    assert snapshot()["posts"] != first["posts"]


@pytest.mark.parametrize(("users", "posts"), [(1, 5), (3, -1)])
def test_seed_demo_rejects_impossible_sizes(users, posts):
    with pytest.raises(CommandError):
        seed(users=users, posts=posts)
