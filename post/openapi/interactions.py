"""OpenAPI documentation of likes and comments."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view

from post.serializers.posts import CommentSerializer, LikeStatusSerializer, PostSerializer
from social_media.openapi import invalid, put_and_patch
from user.serializers import UserSerializer

from .common import (
    COMMENT_NOT_FOUND,
    COMMENTS,
    LIKES,
    NOT_AUTHOR,
    PAGINATION,
    POST_ID,
    POST_NOT_FOUND,
    CommentErrors,
)

like = extend_schema(
    tags=[LIKES],
    summary="Like a post",
    description=(
        "Authenticated users only. Idempotent: `201` when the like is new, `200` when you "
        "already liked the post (nothing changes). Concurrent repeats never create two likes."
    ),
    request=None,
    responses={201: LikeStatusSerializer, 200: LikeStatusSerializer, 404: POST_NOT_FOUND},
)

unlike = extend_schema(
    tags=[LIKES],
    summary="Unlike a post",
    description="Authenticated users only. Idempotent: `204` whether or not you liked the post.",
    request=None,
    responses={204: OpenApiResponse(description="Not liked (any more)."), 404: POST_NOT_FOUND},
)

likers = extend_schema(
    tags=[LIKES],
    summary="Users who liked a post",
    description=(
        "Public. The users who liked the post, most recent like first, as public "
        f"profiles (`is_following`/`follows_you` null when anonymous). {PAGINATION}"
    ),
    parameters=[POST_ID],
    responses={200: UserSerializer(many=True), 404: POST_NOT_FOUND},
)

liked_posts = extend_schema(
    tags=[LIKES],
    summary="Posts you liked",
    description=(
        "Authenticated users only. The posts the caller liked, most recently liked first "
        f"(by the time of the like, not of the post). {PAGINATION}"
    ),
    responses={200: PostSerializer(many=True)},
)

_comment_text_errors = invalid(
    CommentErrors,
    "Invalid text.",
    {
        "Blank": {"text": ["This field may not be blank."]},
        "Too long": {"text": ["Ensure this field has no more than 1000 characters."]},
    },
)

post_comments = extend_schema_view(
    list=extend_schema(
        tags=[COMMENTS],
        summary="Comments on a post",
        description=f"Public. The post's comments, oldest first. {PAGINATION}",
        parameters=[POST_ID],
        responses={200: CommentSerializer(many=True), 404: POST_NOT_FOUND},
    ),
    create=extend_schema(
        tags=[COMMENTS],
        summary="Comment on a post",
        description=(
            "Authenticated users only; the caller is the author. `text` is 1-1,000 "
            "characters (surrounding whitespace removed)."
        ),
        parameters=[POST_ID],
        request=CommentSerializer,
        responses={201: CommentSerializer, 400: _comment_text_errors, 404: POST_NOT_FOUND},
    ),
)

comments = extend_schema_view(
    retrieve=extend_schema(
        tags=[COMMENTS],
        summary="Get a comment",
        description="Public. One comment.",
        responses={200: CommentSerializer, 404: COMMENT_NOT_FOUND},
    ),
    **put_and_patch(
        put={"summary": "Replace a comment's text"},
        patch={"summary": "Edit a comment"},
        tags=[COMMENTS],
        description="The author only (`403` for others, `401` anonymous).",
        request=CommentSerializer,
        responses={
            200: CommentSerializer,
            400: _comment_text_errors,
            403: NOT_AUTHOR,
            404: COMMENT_NOT_FOUND,
        },
    ),
    destroy=extend_schema(
        tags=[COMMENTS],
        summary="Delete a comment",
        description="The author only (`403` for others, `401` anonymous). `204`.",
        responses={
            204: OpenApiResponse(description="Deleted."),
            403: NOT_AUTHOR,
            404: COMMENT_NOT_FOUND,
        },
    ),
)
