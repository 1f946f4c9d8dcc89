"""OpenAPI documentation of media uploads, posts and the timelines built from them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from post.serializers import (
    MediaSerializer,
    MediaUploadSerializer,
    PostCreateSerializer,
    PostSerializer,
    PostUpdateSerializer,
)
from social_media.openapi import THROTTLED, UNAUTHENTICATED, invalid, put_and_patch

from .common import (
    FEED,
    MEDIA,
    MEDIA_ITEM,
    NOT_AUTHOR,
    PAGINATION,
    POST,
    POST_NOT_FOUND,
    POSTS,
    TOO_LARGE,
    USER_NOT_FOUND,
    MediaErrors,
    PostErrors,
    PostListErrors,
    path_id,
    request_example,
    response_example,
)

# --- Media ------------------------------------------------------------------------------

media = extend_schema_view(
    create=extend_schema(
        tags=[MEDIA],
        summary="Upload an image",
        description=(
            "Authenticated users only. Multipart upload of one image (`file`) with optional "
            "alt text (`description`, up to 1,500 characters). The bytes are decoded, never "
            "trusted by extension or content type: JPEG, PNG, WebP and GIF are accepted, "
            "anything else (or a truncated file, or one over the pixel limit) is a `400`; a "
            "file over the byte limit is a `413`. What is stored is a fresh encoding without "
            "metadata (EXIF, GPS), at most 2048 px on its long side, plus a thumbnail of at "
            "most 400 px. The upload is yours until you attach it to one post with "
            "`media_ids`; unattached uploads are deleted after 24 hours. Throttled "
            "(scope `media`)."
        ),
        request={"multipart/form-data": MediaUploadSerializer},
        responses={
            201: MediaSerializer,
            400: invalid(
                MediaErrors,
                "Not an image, or an image over the pixel limit.",
                {
                    "Not an image": {"file": ["Upload a valid image: JPEG, PNG, WebP or GIF."]},
                    "Too many pixels": {"file": ["The image has more than 40000000 pixels."]},
                },
            ),
            401: UNAUTHENTICATED,
            413: TOO_LARGE,
            429: THROTTLED,
        },
        examples=[
            request_example(
                "Photo with alt text",
                {"file": "(binary JPEG)", "description": MEDIA_ITEM["description"]},
                media_type="multipart/form-data",
            ),
            response_example("Uploaded", MEDIA_ITEM, "201"),
        ],
    )
)

# --- Posts ------------------------------------------------------------------------------

POST_FILTERS = [
    OpenApiParameter("author", OpenApiTypes.INT, description="Only posts by this user id."),
    OpenApiParameter(
        "hashtag", OpenApiTypes.STR, description="Only posts with this tag (`django`, `#Django`)."
    ),
    OpenApiParameter("search", OpenApiTypes.STR, description="Text contains this, ignoring case."),
    OpenApiParameter(
        "created_after",
        OpenApiTypes.DATETIME,
        description="ISO 8601; posts created at or after this moment.",
    ),
    OpenApiParameter(
        "created_before",
        OpenApiTypes.DATETIME,
        description="ISO 8601; posts created before this moment.",
    ),
]

_post_edit_answers = {
    200: PostSerializer,
    401: UNAUTHENTICATED,
    403: NOT_AUTHOR,
    404: POST_NOT_FOUND,
}

posts = extend_schema_view(
    list=extend_schema(
        tags=[POSTS],
        summary="List posts",
        description=(
            "Everyone's posts, newest first; no authentication needed (`liked_by_me` is null "
            "for anonymous callers). Filters combine: `author`, `hashtag` (with or without "
            "`#`, any case), `search` (case-insensitive substring of the text), "
            "`created_after` (inclusive) and `created_before` (exclusive), both ISO 8601; a "
            f"malformed value is a `400`. {PAGINATION}"
        ),
        parameters=POST_FILTERS,
        responses={
            200: PostSerializer(many=True),
            400: invalid(
                PostListErrors,
                "A malformed filter value.",
                {"Bad date": {"created_after": ["Enter a valid date/time."]}},
            ),
        },
        examples=[response_example("A page", POST)],
    ),
    create=extend_schema(
        tags=[POSTS],
        summary="Publish a post",
        description=(
            "Authenticated users only; the caller is the author. `text` is 1-2,000 characters "
            "(surrounding whitespace removed); hashtags are parsed from it (`#Django` and "
            "`#django` are one tag; `#` inside URLs is not a tag; the first 30 distinct tags "
            "are linked, later ones stay text). `media_ids` lists up to "
            "four of your own unattached uploads in display order; someone else's, an "
            "already attached one, an unknown id or a duplicate is a `400` naming "
            "`media_ids`. Author, counts and timestamps sent by the client are ignored. "
            "Throttled (scope `posts`)."
        ),
        request=PostCreateSerializer,
        responses={
            201: PostSerializer,
            400: invalid(
                PostErrors,
                "Invalid text or media.",
                {
                    "Empty text": {"text": ["This field may not be blank."]},
                    "Media not yours": {"media_ids": ["Not unattached uploads of yours: 7."]},
                },
            ),
            401: UNAUTHENTICATED,
            429: THROTTLED,
        },
        examples=[
            request_example(
                "Text and one image",
                {"text": "Sketched the mill again today. #Engines #history", "media_ids": [311]},
            ),
            response_example("Published", {**POST, "like_count": 0, "comment_count": 0}, "201"),
        ],
    ),
    retrieve=extend_schema(
        tags=[POSTS],
        summary="Get a post",
        description="One post; no authentication needed (`liked_by_me` null when anonymous).",
        responses={200: PostSerializer, 404: POST_NOT_FOUND},
        examples=[response_example("A post", POST)],
    ),
    **put_and_patch(
        put={
            "summary": "Replace a post's text",
            "description": (
                "The author only (`403` for others, `401` anonymous). Replaces the text; the "
                "hashtags follow the new text. Media stay as attached at creation."
            ),
            "responses": {
                **_post_edit_answers,
                400: invalid(PostErrors, "Invalid text.", {"Empty": {"text": ["Required."]}}),
            },
        },
        patch={
            "summary": "Edit a post's text",
            "description": (
                "The author only (`403` for others, `401` anonymous). Changes the text if "
                "sent; the hashtags follow the new text. Other fields are ignored."
            ),
            "responses": {
                **_post_edit_answers,
                400: invalid(
                    PostErrors, "Invalid text.", {"Too long": {"text": ["At most 2000."]}}
                ),
            },
        },
        tags=[POSTS],
        request=PostUpdateSerializer,
        examples=[
            request_example("New text", {"text": "Sketched the mill twice today. #engines"}),
            response_example(
                "Edited",
                {
                    **POST,
                    "text": "Sketched the mill twice today. #engines",
                    "hashtags": ["engines"],
                },
            ),
        ],
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
            401: UNAUTHENTICATED,
            403: NOT_AUTHOR,
            404: POST_NOT_FOUND,
        },
    ),
)

# --- Feed and timelines -----------------------------------------------------------------

feed = extend_schema_view(
    list=extend_schema(
        tags=[FEED],
        summary="Home feed",
        description=(
            "Authenticated users only. Posts by the accounts the caller follows and the "
            "caller's own, newest first.\n\n"
            "The first page (no `cursor`) may be served from a short cache: other accounts' "
            "new posts, edits, deletions, likes and comments show up within a few seconds "
            "(`FEED_CACHE_SECONDS`, 5 by default), while the caller's own writes (posting, "
            "liking, commenting, following, editing the profile) show at once. "
            f"{PAGINATION}"
        ),
        responses={200: PostSerializer(many=True), 401: UNAUTHENTICATED},
        examples=[response_example("A page", POST)],
    )
)

user_posts = extend_schema_view(
    list=extend_schema(
        tags=[POSTS],
        summary="A user's posts",
        description=(
            "Public. One user's posts, newest first. `{user_id}` is an id, or `me` for the "
            f"caller (`me` without a token is a `401`). {PAGINATION}"
        ),
        parameters=[path_id("user_id", "A user id, or `me`.", OpenApiTypes.STR)],
        responses={
            200: PostSerializer(many=True),
            401: UNAUTHENTICATED,
            404: USER_NOT_FOUND,
        },
        examples=[response_example("A page", POST)],
    )
)
