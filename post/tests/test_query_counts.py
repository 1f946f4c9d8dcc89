"""Every list endpoint costs the same number of queries for 1 and for 100 rows, at most 8.

Authentication (the token lookup) is included: the budget is per request, as a client
pays it. Each post carries media, hashtags, mentions, likes and comments, and the lists hold
reposts and quotes (whose originals are nested), comments with replies, mentions and likes,
beside accounts the viewer blocks, mutes or may not read (private) and that block it, so any
per-row query in the serializers or a missing prefetch shows up as a difference
between the two counts.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from post.models import Bookmark, CommentLike
from post.services.interactions import comment_create
from post.services.reposts import repost_create
from post.tests.factories import CommentFactory, LikeFactory, MediaFactory
from post.tests.helpers import create_post
from user.models import Block, Mute
from user.tests.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db

# SQLite: the token, the caller's visibility lists (blocks, mutes, followed private accounts),
# the page's ids, the rows of the page and of its originals, their hashtags, media and
# mentions, and a hashtag's id or an author's existence.
BUDGET = 8


class World:
    """A growing data set around one viewer; `grow(n)` adds n rows to every list."""

    def __init__(self, viewer, author):
        self.viewer, self.author = viewer, author
        if author != viewer:
            FollowFactory(follower=viewer, followee=author)
        self.post = create_post(self.author, "The post with many likes and comments #busy")
        self.thread = CommentFactory(post=self.post)
        # A private account the viewer follows: its posts are in the viewer's lists.
        self.friend = UserFactory(is_private=True)
        if viewer != self.friend:
            FollowFactory(follower=viewer, followee=self.friend)

    def grow(self, count):
        for _ in range(count):
            media = MediaFactory(owner=self.author)
            friend = UserFactory()
            post = create_post(
                self.author, f"Hello #common #other @{friend.username}", media_ids=[media.pk]
            )
            LikeFactory(user=self.viewer, post=post)
            LikeFactory(post=post)
            CommentFactory(post=post)
            Bookmark.objects.create(user=self.viewer, post=post)
            liker = UserFactory()
            LikeFactory(user=liker, post=self.post)
            comment_create(author=liker, post=self.post, text=f"Hi @{friend.username}")
            reply = comment_create(
                author=friend, post=self.post, text="Re", in_reply_to=self.thread.pk
            )
            CommentLike.objects.create(user=self.viewer, comment=reply)
            # Reposts and quotes in the author's lists, their originals nested.
            original = create_post(UserFactory(), f"Shared #common @{friend.username}")
            repost_create(user=self.author, post=original)
            quote = create_post(self.author, "Hello, quoting #common", quote_of=original.pk)
            LikeFactory(user=self.viewer, post=quote)
            Bookmark.objects.create(user=self.viewer, post=quote)
            repost_create(user=liker, post=self.post)
            # Blocks, mutes and private accounts in the data: hidden rows cost no query.
            self.hidden_neighbours(original)

    def hidden_neighbours(self, original):
        blocked, muted, stranger = UserFactory(), UserFactory(), UserFactory(is_private=True)
        for account in (blocked, muted, stranger):
            create_post(account, "Hidden #common")
            LikeFactory(user=account, post=self.post)
            CommentFactory(post=self.post, author=account)
        Block.objects.create(blocker=self.viewer, blocked=blocked)
        Mute.objects.create(muter=self.viewer, muted=muted)
        create_post(self.friend, "Visible to followers #common")
        if self.viewer != self.author:
            # A block the other way round, on someone whose reposts the lists would show.
            blocker = UserFactory()
            repost_create(user=blocker, post=original)
            Block.objects.create(blocker=blocker, blocked=self.viewer)


AUTHENTICATED_ONLY = {"feed", "my-posts", "liked-posts", "bookmarks"}
ENDPOINTS = {
    "posts": "/api/v1/posts/?hashtag=common",
    "posts-search": "/api/v1/posts/?search=hello&author={author}",
    "feed": "/api/v1/feed/?hashtag=ignored",
    "user-posts": "/api/v1/users/{author}/posts/",
    "my-posts": "/api/v1/users/me/posts/",
    "hashtag-posts": "/api/v1/hashtags/common/posts/",
    "liked-posts": "/api/v1/users/me/liked-posts/",
    "likers": "/api/v1/posts/{post}/likes/",
    "comments": "/api/v1/posts/{post}/comments/",
    "replies": "/api/v1/comments/{thread}/replies/",
    "reposters": "/api/v1/posts/{post}/reposts/",
    "bookmarks": "/api/v1/users/me/bookmarks/",
}


# On PostgreSQL a page of posts is two statements: the page's ids, then their rows and their
# originals' (hashtags, media and mentions are arrays inside it). A post list is then: the
# token, the caller's visibility lists, the two, and the tag's id for a hashtag filter or the
# author's existence for `/users/{id}/posts/`, or for the feed the reader's following total
# with the accounts' estimate (how its page is read, post/models/feed_pages.py). Two fewer
# without a token (no caller, no lists).
POSTGRES_POST_LIST_QUERIES = {
    "posts": 5,
    "posts-search": 4,
    "feed": 5,
    "user-posts": 5,
    "my-posts": 4,
    "hashtag-posts": 5,
    "liked-posts": 4,
    "bookmarks": 4,
}


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), len(response.data["results"])


CASES = [(name, False) for name in ENDPOINTS] + [
    (name, True) for name in ENDPOINTS if name not in AUTHENTICATED_ONLY
]


@pytest.mark.parametrize(
    ("name", "anonymous"), CASES, ids=[f"{n}-{'anon' if a else 'token'}" for n, a in CASES]
)
def test_list_query_count_is_flat(make_client, user, name, anonymous):
    # For `/users/me/posts/` the caller is the author whose posts grow.
    world = World(viewer=user, author=user if name == "my-posts" else UserFactory())
    client = make_client(None if anonymous else user)
    url = (
        ENDPOINTS[name].format(
            author=world.author.pk,
            post=world.post.pk,
            thread=world.thread.pk,
        )
        + ("&" if "?" in ENDPOINTS[name] else "?")
        + "page_size=100"
    )

    world.grow(1)
    small, small_rows = measure(client, url)
    world.grow(99)
    large, large_rows = measure(client, url)

    assert small_rows < large_rows
    assert large_rows >= 100
    assert small == large
    assert large <= BUDGET
    if connection.vendor == "postgresql" and name in POSTGRES_POST_LIST_QUERIES:
        assert large == POSTGRES_POST_LIST_QUERIES[name] - 2 * anonymous


@pytest.mark.parametrize(
    "url", ["/api/v1/hashtags/?search=t&page_size=100", "/api/v1/hashtags/trending/?page_size=100"]
)
def test_hashtag_lists_query_count_is_flat(auth_client, user, url):
    def grow(start, count):
        for n in range(start, start + count):
            create_post(user, f"#t{n:03} #t{n + 1:03}")

    grow(0, 1)
    small, small_rows = measure(auth_client, url)
    grow(1, 29)
    large, large_rows = measure(auth_client, url)

    assert (small_rows, large_rows) == (2, 31)
    assert small == large
    assert large <= BUDGET
