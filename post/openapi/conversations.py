"""OpenAPI documentation of reposts, bookmarks, replies and comment likes."""

from drf_spectacular.utils import OpenApiResponse

from post.serializers.posts import (
    BookmarkStatusSerializer,
    CommentLikeStatusSerializer,
    CommentSerializer,
    PostSerializer,
)
from social_media.openapi import created_or_existing, detail, listing, operation
from user.serializers import UserSerializer

from .common import COMMENT_NOT_FOUND, COMMENTS, POST_ID, POST_NOT_FOUND

REPOSTS, BOOKMARKS = "Reposts", "Bookmarks"

PRIVATE = detail(
    "The post's account is private (private accounts come in a later release).",
    "This account's posts cannot be reposted.",
    "Private account",
)

repost = operation(
    REPOSTS,
    "Repost a post",
    "Authenticated users only. Shows the post to your followers, at this moment, as a post "
    "of yours with empty `text` and `repost_of` the original. Idempotent: `201` with the new "
    "repost, `200` with the same one when you already reposted it; concurrent repeats never "
    "make two. Reposting a repost reposts its original; your own posts may be reposted. A "
    "post you cannot see (or deleted meanwhile) is a `404`.",
    {**created_or_existing(PostSerializer), 403: PRIVATE, 404: POST_NOT_FOUND},
    request=None,
)

unrepost = operation(
    REPOSTS,
    "Undo a repost",
    "Authenticated users only. `{id}` is the original post (a repost's id means its "
    "original). Idempotent: `204` whether or not you reposted it.",
    {204: OpenApiResponse(description="Not reposted (any more)."), 404: POST_NOT_FOUND},
    request=None,
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

bookmark = operation(
    BOOKMARKS,
    "Bookmark a post",
    "Authenticated users only. Bookmarks are private: nobody else sees or counts them. "
    "Idempotent: `201` when new, `200` when already bookmarked.",
    {**created_or_existing(BookmarkStatusSerializer), 404: POST_NOT_FOUND},
    request=None,
)

unbookmark = operation(
    BOOKMARKS,
    "Remove a bookmark",
    "Authenticated users only. Idempotent: `204` whether or not the post was bookmarked.",
    {204: OpenApiResponse(description="Not bookmarked (any more)."), 404: POST_NOT_FOUND},
    request=None,
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

comment_like = operation(
    COMMENTS,
    "Like a comment",
    "Authenticated users only. Idempotent: `201` when the like is new, `200` when you already "
    "liked the comment. Concurrent repeats never create two likes.",
    {**created_or_existing(CommentLikeStatusSerializer), 404: COMMENT_NOT_FOUND},
    request=None,
)

comment_unlike = operation(
    COMMENTS,
    "Unlike a comment",
    "Authenticated users only. Idempotent: `204` whether or not you liked the comment.",
    {204: OpenApiResponse(description="Not liked (any more)."), 404: COMMENT_NOT_FOUND},
    request=None,
)
