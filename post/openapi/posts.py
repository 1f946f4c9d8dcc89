"""OpenAPI documentation of media uploads, posts and the timelines built from them."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_view

from post.hashtags import HASHTAGS_PER_POST_MAX
from post.mentions import MENTIONS_PER_TEXT_MAX
from post.serializers.posts import (
    MediaSerializer,
    MediaUploadSerializer,
    PostCreateSerializer,
    PostSerializer,
    PostUpdateSerializer,
)
from social_media.openapi import ME_WITHOUT_TOKEN, invalid, listing, operation, put_and_patch

from .common import (
    DELETED,
    FEED,
    MEDIA,
    POST_NOT_FOUND,
    POSTS,
    TOO_LARGE,
    USER_NOT_FOUND,
    author_only,
    path_id,
    text_errors,
)

POST_FIELDS = ["text", "media_ids", "quote_of"]
FILTERS = ["author", "hashtag", "search", "created_after", "created_before"]
NOT_AN_IMAGE = ["Upload a valid image: JPEG, PNG, WebP or GIF."]
TOO_MANY_PIXELS = f"The image has more than {settings.IMAGE_MAX_PIXELS} pixels."

media = operation(
    MEDIA,
    "Upload an image",
    "Authenticated users only. The bytes are decoded, never trusted by extension or content "
    f"type: a file that is not an image, or has more than {settings.IMAGE_MAX_PIXELS} pixels, "
    "is a `400`; one over the byte limit a `413`. Attach the upload to one post with "
    "`media_ids`; unattached uploads are deleted after 24 hours.",
    {
        201: MediaSerializer,
        400: invalid(
            "MediaValidationError",
            ["file", "description"],
            "Not an image, or an image over the pixel limit.",
            {
                "Not an image": {"file": NOT_AN_IMAGE},
                "Too many pixels": {"file": [TOO_MANY_PIXELS]},
            },
        ),
        413: TOO_LARGE,
    },
    request={"multipart/form-data": MediaUploadSerializer},
)

posts = extend_schema_view(
    list=listing(
        POSTS,
        "List posts",
        "Everyone's posts, newest first; no authentication needed (`liked_by_me` is null for "
        "anonymous callers). The filters combine; a malformed value is a `400`.",
        PostSerializer,
        {
            400: invalid(
                "PostFilterValidationError",
                FILTERS,
                "A malformed filter value.",
                {"Bad date": {"created_after": ["Enter a valid date/time."]}},
            ),
        },
    ),
    create=operation(
        POSTS,
        "Publish a post",
        "Authenticated users only; the caller is the author. Hashtags are parsed from the text "
        "(`#Django` and `#django` are one tag; `#` inside URLs is not a tag; the first "
        f"{HASHTAGS_PER_POST_MAX} distinct tags are linked). `@username`s of existing "
        f"accounts become `mentions` (the first {MENTIONS_PER_TEXT_MAX}; not inside e-mail "
        "addresses or URLs) and are notified once. With `quote_of` (a post you can see) the "
        "post quotes it; a post you cannot see, or one deleted meanwhile, is a `400`. Author, "
        "counts and timestamps sent by the client are ignored.",
        {
            201: PostSerializer,
            400: invalid(
                "PostValidationError",
                POST_FIELDS,
                "Invalid text or media.",
                {
                    "Empty text": {"text": ["This field may not be blank."]},
                    "Media not yours": {"media_ids": ["Not unattached uploads of yours: 312."]},
                    "Quoted post unknown": {"quote_of": ["No post with this id."]},
                },
            ),
        },
        request=PostCreateSerializer,
    ),
    retrieve=operation(
        POSTS,
        "Get a post",
        "One post; no authentication needed (`liked_by_me` null when anonymous).",
        {200: PostSerializer, 404: POST_NOT_FOUND},
    ),
    **put_and_patch(
        POSTS,
        ("Replace a post's text", "Edit a post's text"),
        "The author only (`403` for others, `401` anonymous). Changes the text (required with "
        "PUT); the hashtags follow the new text. Media stay as attached at creation; other "
        "fields are ignored.",
        {
            200: PostSerializer,
            400: text_errors("PostValidationError", POST_FIELDS, PostUpdateSerializer),
            **author_only(POST_NOT_FOUND),
        },
        request=PostUpdateSerializer,
    ),
    destroy=operation(
        POSTS,
        "Delete a post",
        "The author only (`403` for others, `401` anonymous). Deletes the post with its likes, "
        "comments and media files. `204`; deleting it again is a `404`.",
        {204: DELETED, **author_only(POST_NOT_FOUND)},
    ),
)

feed = listing(
    FEED,
    "Home feed",
    "Authenticated users only. Posts and reposts by the accounts the caller follows and the "
    "caller's own, newest first (a repost at the time of the repost). A post shows once: its "
    "newest occurrence (a later repost of it hides the post and earlier reposts).\n\n"
    "The first page (no `cursor`) may be served from a short cache: other "
    "accounts' new posts, edits, deletions, likes and comments show up within "
    f"`FEED_CACHE_SECONDS` ({settings.FEED_CACHE_SECONDS} s), while the caller's own writes "
    "(posting, liking, commenting, following, editing the profile) show at once.",
    PostSerializer,
)

user_posts = listing(
    POSTS,
    "A user's posts",
    "Public. One user's posts and reposts, newest first. `{user_id}` is an id, or `me` for "
    "the caller (`me` without a token is a `401`).",
    PostSerializer,
    {401: ME_WITHOUT_TOKEN, 404: USER_NOT_FOUND},
    parameters=[path_id("user_id", "A user id, or `me`.", OpenApiTypes.STR)],
)
