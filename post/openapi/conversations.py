"""OpenAPI documentation of reposts, bookmarks, replies and comment likes."""

from post.serializers.posts import (
    BookmarkStatusSerializer,
    CommentLikeStatusSerializer,
    CommentSerializer,
    PostSerializer,
)
from social_media.openapi import detail, listing
from user.serializers import UserSerializer

from .common import COMMENT_NOT_FOUND, COMMENTS, POST_ID, POST_NOT_FOUND, mark_and_unmark

REPOSTS, BOOKMARKS = "Reposts", "Bookmarks"

PRIVATE = detail(
    "The post's account is private (private accounts come in a later release).",
    "This account's posts cannot be reposted.",
    "Private account",
)

repost, unrepost = mark_and_unmark(
    REPOSTS,
    (
        "Repost a post",
        "Authenticated users only. Shows the post to your followers, at this moment, as a post "
        "of yours with empty `text` and `repost_of` the original. Idempotent: `201` with the new "
        "repost, `200` with the same one when you already reposted it; concurrent repeats never "
        "make two. Reposting a repost reposts its original; your own posts may be reposted. A "
        "post you cannot see (or deleted meanwhile) is a `404`.",
    ),
    (
        "Undo a repost",
        "Authenticated users only. `{id}` is the original post (a repost's id means its "
        "original). Idempotent: `204` whether or not you reposted it.",
    ),
    PostSerializer,
    POST_NOT_FOUND,
    "Not reposted (any more).",
    {403: PRIVATE},
)

reposters = listing(
    REPOSTS,
    "Users who reposted a post",
    "Public. The users who reposted the post (a repost's id means its original), most recent "
    "repost first, as public profiles.",
    UserSerializer,
    {404: POST_NOT_FOUND},
    parameters=[POST_ID],
)

bookmark, unbookmark = mark_and_unmark(
    BOOKMARKS,
    (
        "Bookmark a post",
        "Authenticated users only. Bookmarks are private: nobody else sees or counts them. "
        "Idempotent: `201` when new, `200` when already bookmarked.",
    ),
    (
        "Remove a bookmark",
        "Authenticated users only. Idempotent: `204` whether or not the post was bookmarked.",
    ),
    BookmarkStatusSerializer,
    POST_NOT_FOUND,
    "Not bookmarked (any more).",
)

bookmarks = listing(
    BOOKMARKS,
    "Your bookmarks",
    "Authenticated users only. The posts you bookmarked, most recently bookmarked first.",
    PostSerializer,
)

replies = listing(
    COMMENTS,
    "Replies to a comment",
    "Public. The comment's direct replies, oldest first (each with its own `reply_count`).",
    CommentSerializer,
    {404: COMMENT_NOT_FOUND},
)

comment_like, comment_unlike = mark_and_unmark(
    COMMENTS,
    (
        "Like a comment",
        "Authenticated users only. Idempotent: `201` when the like is new, `200` when you already "
        "liked the comment. Concurrent repeats never create two likes.",
    ),
    (
        "Unlike a comment",
        "Authenticated users only. Idempotent: `204` whether or not you liked the comment.",
    ),
    CommentLikeStatusSerializer,
    COMMENT_NOT_FOUND,
    "Not liked (any more).",
)
