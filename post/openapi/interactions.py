"""OpenAPI documentation of likes and comments."""

from drf_spectacular.utils import extend_schema_view

from post.serializers.posts import CommentSerializer, LikeStatusSerializer, PostSerializer
from social_media.openapi import invalid, listing, operation, put_and_patch
from user.serializers import UserSerializer

from .common import (
    COMMENT_NOT_FOUND,
    COMMENTS,
    DELETED,
    LIKES,
    POST_ID,
    POST_NOT_FOUND,
    author_only,
    mark_and_unmark,
    text_errors,
)

AUTHOR_ONLY = "The author only (`403` for others, `401` anonymous)."
TEXT_ERRORS = text_errors("CommentValidationError", ["text"], CommentSerializer)
COMMENT_CREATE_ERRORS = invalid(
    "CommentCreateValidationError",
    ["text", "in_reply_to"],
    "Invalid text, or `in_reply_to` not a comment on this post.",
    {
        "Blank": {"text": ["This field may not be blank."]},
        "Too long": {"text": ["Ensure this field has no more than 1000 characters."]},
        "Comment of another post": {"in_reply_to": ["Not a comment on this post."]},
    },
)

like, unlike = mark_and_unmark(
    LIKES,
    (
        "Like a post",
        "Authenticated users only. Idempotent: `201` when the like is new, `200` when you already "
        "liked the post (nothing changes). Concurrent repeats never create two likes.",
    ),
    (
        "Unlike a post",
        "Authenticated users only. Idempotent: `204` whether or not you liked the post.",
    ),
    LikeStatusSerializer,
    POST_NOT_FOUND,
    "Not liked (any more).",
)

likers = listing(
    LIKES,
    "Users who liked a post",
    "Public. The users who liked the post, most recent like first, as public profiles "
    "(`is_following`/`follows_you` null when anonymous).",
    UserSerializer,
    {404: POST_NOT_FOUND},
    parameters=[POST_ID],
)

liked_posts = listing(
    LIKES,
    "Posts you liked",
    "Authenticated users only. The posts the caller liked, most recently liked first (by the "
    "time of the like, not of the post).",
    PostSerializer,
)

post_comments = extend_schema_view(
    list=listing(
        COMMENTS,
        "Comments on a post",
        "Public. The post's top-level comments (`in_reply_to` null), oldest first; each "
        "thread's replies are read with `GET /comments/{id}/replies/`.",
        CommentSerializer,
        {404: POST_NOT_FOUND},
        parameters=[POST_ID],
    ),
    create=operation(
        COMMENTS,
        "Comment on a post",
        "Authenticated users only; the caller is the author. `text` is 1-1,000 characters "
        "(surrounding whitespace removed); `@username`s of existing accounts become "
        "`mentions` (the first 10) and are notified once. With `in_reply_to` (a comment on "
        "the same post, not deleted) the comment is a reply; any other comment is a `400`.",
        {201: CommentSerializer, 400: COMMENT_CREATE_ERRORS, 404: POST_NOT_FOUND},
        parameters=[POST_ID],
        request=CommentSerializer,
    ),
)

comments = extend_schema_view(
    retrieve=operation(
        COMMENTS,
        "Get a comment",
        "Public. One comment.",
        {200: CommentSerializer, 404: COMMENT_NOT_FOUND},
    ),
    **put_and_patch(
        COMMENTS,
        ("Replace a comment's text", "Edit a comment"),
        AUTHOR_ONLY,
        {200: CommentSerializer, 400: TEXT_ERRORS, **author_only(COMMENT_NOT_FOUND)},
        request=CommentSerializer,
    ),
    destroy=operation(
        COMMENTS,
        "Delete a comment",
        f"{AUTHOR_ONLY} `204`. A comment with replies stays in its thread as a tombstone "
        "(`text` empty, `deleted` true); without replies it is removed.",
        {204: DELETED, **author_only(COMMENT_NOT_FOUND)},
    ),
)
