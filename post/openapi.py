"""OpenAPI documentation of the media, post, hashtag, feed, like and comment operations.

Kept apart from the views so each view reads as what it does. Every operation has a tag,
a summary, a description (who may call it, idempotency, pagination), examples and its
error responses in the DRF shapes: `{"field": ["message"]}` for 400, `{"detail": "..."}`
otherwise.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers

from post.serializers import (
    CommentSerializer,
    HashtagSerializer,
    LikeStatusSerializer,
    MediaSerializer,
    MediaUploadSerializer,
    PostCreateSerializer,
    PostSerializer,
    PostUpdateSerializer,
)
from social_media.openapi import THROTTLED, UNAUTHENTICATED, detail, field_errors, invalid
from user.serializers import UserSerializer

MEDIA, POSTS, HASHTAGS, FEED, LIKES, COMMENTS = (
    "Media",
    "Posts",
    "Hashtags",
    "Feed",
    "Likes",
    "Comments",
)

PAGINATION = (
    "Cursor-paginated (`?page_size=` default 20, at most 100): follow `next` until it is "
    "null; a page deep in the list costs what the first one costs."
)


# --- Error shapes -----------------------------------------------------------------------


NOT_AUTHOR = detail(
    "Authenticated, but not the author.",
    "Only the author can change or delete this.",
    "Someone else's",
)
POST_NOT_FOUND = detail("No such post.", "No Post matches the given query.", "Unknown post")
COMMENT_NOT_FOUND = detail(
    "No such comment.", "No Comment matches the given query.", "Unknown comment"
)
USER_NOT_FOUND = detail("No active user with this id.", "Not found.", "Unknown user")
TOO_LARGE = detail(
    "The file is larger than the upload limit (`MEDIA_MAX_BYTES`, 10 MB by default).",
    "The image is larger than 10485760 bytes.",
    "Too large",
)

PostErrors = field_errors("PostValidationError", ["text", "media_ids"])
PostListErrors = field_errors(
    "PostFilterValidationError",
    ["author", "hashtag", "search", "created_after", "created_before"],
)
MediaErrors = field_errors("MediaValidationError", ["file", "description"])
CommentErrors = field_errors("CommentValidationError", ["text"])
HashtagListErrors = field_errors("HashtagFilterValidationError", ["search"])
TrendingErrors = field_errors("TrendingValidationError", ["hours", "page_size"])

# --- Example bodies ---------------------------------------------------------------------

AUTHOR = {
    "id": 42,
    "username": "ada_l",
    "display_name": "Ada Lovelace",
    "avatar": "https://api.example.com/media/avatars/3f2c9a1e6b0d4c5e8f7a2b1c0d9e8f7a.jpg",
}
MEDIA_ITEM = {
    "id": 311,
    "url": "https://api.example.com/media/media/2026/10/9b1e4c2a7f3d4e5a8c6b0d1e2f3a4b5c.jpg",
    "thumbnail_url": (
        "https://api.example.com/media/thumbnails/2026/10/0c4e8a2b6d1f4a3c9e7b5d2f1a0c8e6b.jpg"
    ),
    "width": 2048,
    "height": 1365,
    "description": "The Analytical Engine's mill, photographed at the Science Museum",
}
POST = {
    "id": 1001,
    "author": AUTHOR,
    "text": "Sketched the mill again today. #Engines #history",
    "hashtags": ["engines", "history"],
    "media": [MEDIA_ITEM],
    "created_at": "2026-10-14T08:15:02.311Z",
    "updated_at": "2026-10-14T08:15:02.311Z",
    "like_count": 12,
    "comment_count": 3,
    "liked_by_me": True,
}
COMMENT = {
    "id": 5003,
    "post": 1001,
    "author": {**AUTHOR, "id": 7, "username": "charles_b", "display_name": "Charles Babbage"},
    "text": "The carry mechanism still bothers me.",
    "created_at": "2026-10-14T09:02:40.125Z",
    "updated_at": "2026-10-14T09:02:40.125Z",
}
LIKER = {
    "id": 7,
    "username": "charles_b",
    "display_name": "Charles Babbage",
    "bio": "Difference engines, mostly.",
    "avatar": None,
    "location": "London",
    "website": "",
    "date_joined": "2026-09-30T17:04:51.002Z",
    "followers_count": 311,
    "following_count": 40,
    "posts_count": 88,
    "is_following": False,
    "follows_you": True,
}


def response_example(name: str, value, status: str = "200") -> OpenApiExample:
    """For a list, `value` is one item: drf-spectacular wraps it in the page envelope."""
    return OpenApiExample(name, value=value, response_only=True, status_codes=[status])


def request_example(name: str, value, media_type: str = "application/json") -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True, media_type=media_type)


def path_id(name: str, description: str, type_=OpenApiTypes.INT) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.PATH, description=description)


POST_ID = path_id("post_id", "The post's id.")

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
            "`#django` are one tag; `#` inside URLs is not a tag). `media_ids` lists up to "
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
    update=extend_schema(
        tags=[POSTS],
        summary="Replace a post's text",
        description=(
            "The author only (`403` for others, `401` anonymous). Replaces the text; the "
            "hashtags follow the new text. Media stay as attached at creation."
        ),
        request=PostUpdateSerializer,
        responses={
            200: PostSerializer,
            400: invalid(PostErrors, "Invalid text.", {"Empty": {"text": ["Required."]}}),
            401: UNAUTHENTICATED,
            403: NOT_AUTHOR,
            404: POST_NOT_FOUND,
        },
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
    partial_update=extend_schema(
        tags=[POSTS],
        summary="Edit a post's text",
        description=(
            "The author only (`403` for others, `401` anonymous). Changes the text if sent; "
            "the hashtags follow the new text. Other fields are ignored."
        ),
        request=PostUpdateSerializer,
        responses={
            200: PostSerializer,
            400: invalid(PostErrors, "Invalid text.", {"Too long": {"text": ["At most 2000."]}}),
            401: UNAUTHENTICATED,
            403: NOT_AUTHOR,
            404: POST_NOT_FOUND,
        },
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

# --- Likes ------------------------------------------------------------------------------

like = extend_schema(
    tags=[LIKES],
    summary="Like a post",
    description=(
        "Authenticated users only. Idempotent: `201` when the like is new, `200` when you "
        "already liked the post (nothing changes). Concurrent repeats never create two likes."
    ),
    request=None,
    responses={
        201: LikeStatusSerializer,
        200: LikeStatusSerializer,
        401: UNAUTHENTICATED,
        404: POST_NOT_FOUND,
        409: detail(
            "Other requests kept liking and unliking this post at the same moment; retry.",
            "The like changed concurrently too many times; try again.",
            "Contended",
        ),
    },
    examples=[
        response_example("Liked", {"post": 1001, "liked_by_me": True, "like_count": 13}, "201"),
        response_example(
            "Already liked", {"post": 1001, "liked_by_me": True, "like_count": 13}, "200"
        ),
    ],
)

unlike = extend_schema(
    tags=[LIKES],
    summary="Unlike a post",
    description=("Authenticated users only. Idempotent: `204` whether or not you liked the post."),
    request=None,
    responses={
        204: OpenApiResponse(description="Not liked (any more)."),
        401: UNAUTHENTICATED,
        404: POST_NOT_FOUND,
    },
)

likers = extend_schema_view(
    list=extend_schema(
        tags=[LIKES],
        summary="Users who liked a post",
        description=(
            "Public. The users who liked the post, most recent like first, as public "
            f"profiles (`is_following`/`follows_you` null when anonymous). {PAGINATION}"
        ),
        parameters=[POST_ID],
        responses={200: UserSerializer(many=True), 404: POST_NOT_FOUND},
        examples=[response_example("A page", LIKER)],
    )
)

liked_posts = extend_schema_view(
    list=extend_schema(
        tags=[LIKES],
        summary="Posts you liked",
        description=(
            "Authenticated users only. The posts the caller liked, most recently liked first "
            f"(by the time of the like, not of the post). {PAGINATION}"
        ),
        responses={200: PostSerializer(many=True), 401: UNAUTHENTICATED},
        examples=[response_example("A page", POST)],
    )
)

# --- Feed and timelines -----------------------------------------------------------------

feed = extend_schema_view(
    list=extend_schema(
        tags=[FEED],
        summary="Home feed",
        description=(
            "Authenticated users only. Posts by the accounts the caller follows and the "
            f"caller's own, newest first. {PAGINATION}"
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

# --- Comments ---------------------------------------------------------------------------

post_comments = extend_schema_view(
    list=extend_schema(
        tags=[COMMENTS],
        summary="Comments on a post",
        description=f"Public. The post's comments, oldest first. {PAGINATION}",
        parameters=[POST_ID],
        responses={200: CommentSerializer(many=True), 404: POST_NOT_FOUND},
        examples=[response_example("A page", COMMENT)],
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
        responses={
            201: CommentSerializer,
            400: invalid(
                CommentErrors, "Invalid text.", {"Empty": {"text": ["This field is required."]}}
            ),
            401: UNAUTHENTICATED,
            404: POST_NOT_FOUND,
        },
        examples=[
            request_example("A reply", {"text": COMMENT["text"]}),
            response_example("Created", COMMENT, "201"),
        ],
    ),
)

_comment_write_errors = {
    400: invalid(
        CommentErrors,
        "Invalid text.",
        {"Too long": {"text": ["Ensure this field has no more than 1000 characters."]}},
    ),
    401: UNAUTHENTICATED,
    403: NOT_AUTHOR,
    404: COMMENT_NOT_FOUND,
}
_edited_comment = {
    **COMMENT,
    "text": "The carry mechanism is fine.",
    "updated_at": "2026-10-14T09:10:00Z",
}

comments = extend_schema_view(
    retrieve=extend_schema(
        tags=[COMMENTS],
        summary="Get a comment",
        description="Public. One comment.",
        responses={200: CommentSerializer, 404: COMMENT_NOT_FOUND},
        examples=[response_example("A comment", COMMENT)],
    ),
    update=extend_schema(
        tags=[COMMENTS],
        summary="Replace a comment's text",
        description="The author only (`403` for others, `401` anonymous).",
        request=CommentSerializer,
        responses={200: CommentSerializer, **_comment_write_errors},
        examples=[
            request_example("New text", {"text": "The carry mechanism is fine."}),
            response_example("Edited", _edited_comment),
        ],
    ),
    partial_update=extend_schema(
        tags=[COMMENTS],
        summary="Edit a comment",
        description="The author only (`403` for others, `401` anonymous).",
        request=CommentSerializer,
        responses={200: CommentSerializer, **_comment_write_errors},
        examples=[
            request_example("New text", {"text": "The carry mechanism is fine."}),
            response_example("Edited", _edited_comment),
        ],
    ),
    destroy=extend_schema(
        tags=[COMMENTS],
        summary="Delete a comment",
        description="The author only (`403` for others, `401` anonymous). `204`.",
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: UNAUTHENTICATED,
            403: NOT_AUTHOR,
            404: COMMENT_NOT_FOUND,
        },
    ),
)

# --- Hashtags ---------------------------------------------------------------------------

hashtags = extend_schema_view(
    list=extend_schema(
        tags=[HASHTAGS],
        summary="List hashtags",
        description=(
            "Public. Every tag with the number of posts carrying it, by name. `?search=` "
            f"keeps tags starting with the given text, ignoring case and a leading `#`. "
            f"{PAGINATION}"
        ),
        responses={
            200: HashtagSerializer(many=True),
            400: invalid(
                HashtagListErrors,
                "Search text too long.",
                {"Too long": {"search": ["Ensure this value has at most 51 characters."]}},
            ),
        },
        examples=[response_example("A page", {"name": "django", "post_count": 1520})],
    ),
)

TrendingPage = inline_serializer(
    "TrendingHashtagList",
    {
        "next": serializers.URLField(allow_null=True, help_text="Always null: one page."),
        "previous": serializers.URLField(allow_null=True, help_text="Always null."),
        "results": HashtagSerializer(many=True),
    },
)

trending = extend_schema(
    tags=[HASHTAGS],
    summary="Trending hashtags",
    description=(
        "Public. The tags used in the most posts over the last `?hours=` (default 24, 1 to "
        "168), most first, ties by name; `post_count` counts the posts in that window only. "
        "A bounded top list rather than a timeline: one page of at most `?page_size=` tags "
        "(default 20, at most 100), so `next` is always null."
    ),
    parameters=[
        OpenApiParameter(
            "hours", OpenApiTypes.INT, description="The window, in hours: 1 to 168 (default 24)."
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
            description="How many tags: 1 to 100 (default 20).",
        ),
    ],
    responses={
        200: TrendingPage,
        400: invalid(
            TrendingErrors,
            "`hours` or `page_size` out of range or not a number.",
            {"Window too long": {"hours": ["Ensure this value is less than or equal to 168."]}},
        ),
    },
    examples=[
        response_example(
            "Top tags",
            {
                "next": None,
                "previous": None,
                "results": [
                    {"name": "django", "post_count": 48},
                    {"name": "python", "post_count": 31},
                ],
            },
        )
    ],
)

hashtag_posts = extend_schema(
    tags=[HASHTAGS],
    summary="Posts with a hashtag",
    description=(
        "Public. Posts carrying the tag, newest first. The name is matched ignoring case and "
        f"a leading `#`; an unknown tag gives an empty list, not a `404`. {PAGINATION}"
    ),
    parameters=[path_id("name", "The tag, e.g. `django`.", OpenApiTypes.STR)],
    responses={200: PostSerializer(many=True)},
    examples=[response_example("A page", POST)],
)
