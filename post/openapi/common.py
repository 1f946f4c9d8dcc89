"""Shared pieces of the post app's OpenAPI documentation: tags and the answers several
operations give. Example bodies live on the serializers; 401, 429 and an invalid cursor are
added to every operation they apply to by `social_media.schema_hooks`."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from social_media.openapi import PAGINATION, detail, field_errors, megabytes

__all__ = ["PAGINATION"]

MEDIA, POSTS, HASHTAGS, FEED, LIKES, COMMENTS = (
    "Media",
    "Posts",
    "Hashtags",
    "Feed",
    "Likes",
    "Comments",
)

NOT_AUTHOR = detail(
    "Authenticated, but not the author.",
    "Only the author can change or delete this.",
    "Someone else's",
)
POST_NOT_FOUND = detail("No such post.", "No Post matches the given query.", "Unknown post")
COMMENT_NOT_FOUND = detail(
    "No such comment.", "No Comment matches the given query.", "Unknown comment"
)
USER_NOT_FOUND = detail("No active user with this id.", "No user with this id.", "Unknown user")
TOO_LARGE = detail(
    "The file is larger than the upload limit "
    f"(`MEDIA_MAX_BYTES`, {megabytes(settings.MEDIA_MAX_BYTES)}).",
    f"The image is larger than {settings.MEDIA_MAX_BYTES} bytes.",
    "Too large",
)

PostErrors = field_errors("PostValidationError", ["text", "media_ids"])
CommentErrors = field_errors("CommentValidationError", ["text"])


def path_id(name: str, description: str, type_=OpenApiTypes.INT) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.PATH, description=description)


POST_ID = path_id("post_id", "The post's id.")
