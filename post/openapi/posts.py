"""OpenAPI documentation of media uploads, posts and the timelines built from them."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view

from post.hashtags import HASHTAGS_PER_POST_MAX
from post.serializers.posts import (
    MediaSerializer,
    MediaUploadSerializer,
    PostCreateSerializer,
    PostSerializer,
    PostUpdateSerializer,
)
from social_media.openapi import ME_WITHOUT_TOKEN, field_errors, invalid, put_and_patch

from .common import (
    FEED,
    MEDIA,
    NOT_AUTHOR,
    PAGINATION,
    POST_NOT_FOUND,
    POSTS,
    TOO_LARGE,
    USER_NOT_FOUND,
    PostErrors,
    path_id,
)

media = extend_schema(
    tags=[MEDIA],
    summary="Upload an image",
    description=(
        "Authenticated users only. The bytes are decoded, never trusted by extension or "
        "content type: a file that is not an image, or has more than "
        f"{settings.IMAGE_MAX_PIXELS} pixels, is a `400`; one over the byte limit a `413`. "
        "Attach the upload to one post with `media_ids`; unattached uploads are deleted "
        "after 24 hours."
    ),
    request={"multipart/form-data": MediaUploadSerializer},
    responses={
        201: MediaSerializer,
        400: invalid(
            field_errors("MediaValidationError", ["file", "description"]),
            "Not an image, or an image over the pixel limit.",
            {
                "Not an image": {"file": ["Upload a valid image: JPEG, PNG, WebP or GIF."]},
                "Too many pixels": {
                    "file": [f"The image has more than {settings.IMAGE_MAX_PIXELS} pixels."]
                },
            },
        ),
        413: TOO_LARGE,
    },
)

_post_edit_answers = {200: PostSerializer, 403: NOT_AUTHOR, 404: POST_NOT_FOUND}
_post_text_errors = invalid(
    PostErrors,
    "Invalid text.",
    {
        "Blank": {"text": ["This field may not be blank."]},
        "Too long": {"text": ["Ensure this field has no more than 2000 characters."]},
    },
)

posts = extend_schema_view(
    list=extend_schema(
        tags=[POSTS],
        summary="List posts",
        description=(
            "Everyone's posts, newest first; no authentication needed (`liked_by_me` is null "
            "for anonymous callers). The filters combine; a malformed value is a `400`. "
            f"{PAGINATION}"
        ),
        responses={
            200: PostSerializer(many=True),
            400: invalid(
                field_errors(
                    "PostFilterValidationError",
                    ["author", "hashtag", "search", "created_after", "created_before"],
                ),
                "A malformed filter value.",
                {"Bad date": {"created_after": ["Enter a valid date/time."]}},
            ),
        },
    ),
    create=extend_schema(
        tags=[POSTS],
        summary="Publish a post",
        description=(
            "Authenticated users only; the caller is the author. Hashtags are parsed from the "
            "text (`#Django` and `#django` are one tag; `#` inside URLs is not a tag; the first "
            f"{HASHTAGS_PER_POST_MAX} distinct tags are linked). Author, counts and timestamps "
            "sent by the client are ignored."
        ),
        request=PostCreateSerializer,
        responses={
            201: PostSerializer,
            400: invalid(
                PostErrors,
                "Invalid text or media.",
                {
                    "Empty text": {"text": ["This field may not be blank."]},
                    "Media not yours": {"media_ids": ["Not unattached uploads of yours: 312."]},
                },
            ),
        },
    ),
    retrieve=extend_schema(
        tags=[POSTS],
        summary="Get a post",
        description="One post; no authentication needed (`liked_by_me` null when anonymous).",
        responses={200: PostSerializer, 404: POST_NOT_FOUND},
    ),
    **put_and_patch(
        put={"summary": "Replace a post's text"},
        patch={"summary": "Edit a post's text"},
        tags=[POSTS],
        description=(
            "The author only (`403` for others, `401` anonymous). Changes the text (required "
            "with PUT); the hashtags follow the new text. Media stay as attached at creation; "
            "other fields are ignored."
        ),
        request=PostUpdateSerializer,
        responses={**_post_edit_answers, 400: _post_text_errors},
    ),
    destroy=extend_schema(
        tags=[POSTS],
        summary="Delete a post",
        description=(
            "The author only (`403` for others, `401` anonymous). Deletes the post with its "
            "likes, comments and media files. `204`; deleting it again is a `404`."
        ),
        responses={
            204: OpenApiResponse(description="Deleted."),
            403: NOT_AUTHOR,
            404: POST_NOT_FOUND,
        },
    ),
)

feed = extend_schema(
    tags=[FEED],
    summary="Home feed",
    description=(
        "Authenticated users only. Posts by the accounts the caller follows and the "
        "caller's own, newest first.\n\n"
        "The first page (no `cursor`) may be served from a short cache: other accounts' "
        "new posts, edits, deletions, likes and comments show up within "
        f"`FEED_CACHE_SECONDS` ({settings.FEED_CACHE_SECONDS} s), while the caller's own "
        "writes (posting, liking, commenting, following, editing the profile) show at "
        f"once. {PAGINATION}"
    ),
    responses={200: PostSerializer(many=True)},
)

user_posts = extend_schema(
    tags=[POSTS],
    summary="A user's posts",
    description=(
        "Public. One user's posts, newest first. `{user_id}` is an id, or `me` for the "
        f"caller (`me` without a token is a `401`). {PAGINATION}"
    ),
    parameters=[path_id("user_id", "A user id, or `me`.", OpenApiTypes.STR)],
    responses={
        200: PostSerializer(many=True),
        401: ME_WITHOUT_TOKEN,
        404: USER_NOT_FOUND,
    },
)
