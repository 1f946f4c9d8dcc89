"""The feed read per followed account (post/models/feed_pages.py, PostgreSQL) gives the same
pages as the walk of everyone's newest posts: the same rule (blocks, mutes, private
accounts, reposts once per original), the same order, both directions of the cursor."""

import pytest
from django.db import connection

import post.models.feed_pages as feed_pages
import post.models.rows as rows_module
from post.models import Post
from post.tests.helpers import create_post, follow_pages
from user.models import Block, Mute
from user.tests.factories import FollowFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def a_network(make_client, reader):
    """A reader following public, private, muted and blocking accounts, with posts, reposts
    (one original reposted twice, one of a muted account) and quotes among many strangers'."""
    public, friend, muted, blocker, reposter = (UserFactory() for _ in range(5))
    friend.is_private = True
    friend.save(update_fields=["is_private"])
    for followee in (public, friend, muted, blocker, reposter):
        FollowFactory(follower=reader, followee=followee)
    Mute.objects.create(muter=reader, muted=muted)
    strangers = [UserFactory() for _ in range(4)]
    for round_ in range(4):
        for author in (public, friend, muted, blocker, reader, *strangers):
            create_post(author, f"Round {round_} by {author.username}")
    original = create_post(strangers[0], "Shared twice")
    make_client(public).post(f"/api/v1/posts/{original.pk}/repost/")
    make_client(reposter).post(f"/api/v1/posts/{original.pk}/repost/")
    make_client(reposter).post(
        f"/api/v1/posts/{Post.objects.filter(author=muted).first().pk}/repost/"
    )
    create_post(public, "A quote", quote_of=Post.objects.filter(author=friend).first().pk)
    # Blocking removes the follow; block afterwards so that the rule, not the follow, hides it.
    Block.objects.create(blocker=blocker, blocked=reader)
    return public


def walk(client, settings, mode):
    settings.FEED_PER_AUTHOR = mode
    forward, _ = follow_pages(client, "/api/v1/feed/?page_size=3")
    # Back from the last page through the `previous` links.
    last = client.get("/api/v1/feed/?page_size=3")
    while last.data["next"]:
        last = client.get(last.data["next"])
    backward = [item["id"] for item in last.data["results"]]
    url = last.data["previous"]
    while url:
        page = client.get(url)
        backward = [item["id"] for item in page.data["results"]] + backward
        url = page.data["previous"]
    return [item["id"] for item in forward], backward, forward


def test_per_author_pages_are_the_walks_pages_both_ways(make_client, user, settings, monkeypatch):
    a_network(make_client, user)
    client = make_client(user)
    per_author_pages = []
    read = feed_pages.per_author_keys
    # Where the page reader looks the function up.
    monkeypatch.setattr(
        rows_module, "per_author_keys", lambda qs: per_author_pages.append(1) or read(qs)
    )

    walked, walked_back, walked_items = walk(client, settings, "never")
    per_author, per_author_back, per_author_items = walk(client, settings, "always")

    # The reader's 4, public's 4 and its quote, the private friend's 4, the original once (by
    # its newest repost); nothing of the muted or the blocking account.
    assert len(walked) == 14
    assert per_author == walked
    assert walked_back == walked
    assert per_author_back == walked
    assert per_author_items == walked_items
    # Every page of the second walk (5 forward, 5 to the last again, 4 back), none of the first.
    assert len(per_author_pages) == 14


def test_auto_reads_per_author_when_few_are_followed_among_many(user, settings):
    settings.FEED_PER_AUTHOR = "auto"
    UserFactory.create_batch(45)
    for _ in range(3):
        FollowFactory(follower=user)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE user_user")  # the planner's estimate the decision reads
    feed = Post.objects.for_viewer(user).feed_for(user).as_rows()
    page = feed.order_by("-created_at", "-id")[:21]

    assert feed_pages.reads_per_author(page) is True  # 4 * 3² = 36 < 49 accounts
    FollowFactory(follower=user)
    assert feed_pages.reads_per_author(page) is False  # 4 * 4² = 64 > 49
    # Never for other lists or another order.
    assert feed_pages.reads_per_author(Post.objects.for_viewer(user).as_rows()[:21]) is False
    settings.FEED_PER_AUTHOR = "always"
    assert feed_pages.reads_per_author(feed.order_by("-id")[:21]) is False
    assert feed_pages.reads_per_author(page) is True
