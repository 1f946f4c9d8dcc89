"""Shared pieces of the post app's OpenAPI documentation: tags, answers, example bodies.

Kept apart from the views so each view reads as what it does. Every operation has a tag,
a summary, a description (who may call it, idempotency, pagination), examples and its
error responses in the DRF shapes: `{"field": ["message"]}` for 400, `{"detail": "..."}`
otherwise.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
)

from social_media.openapi import detail, field_errors

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
