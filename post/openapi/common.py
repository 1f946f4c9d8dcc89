"""Shared pieces of the post app's OpenAPI documentation: tags and the answers several
operations give. Example bodies live on the serializers; 401, 429 and an invalid cursor are
added to every operation they apply to by `social_media.schema_hooks`."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from social_media.openapi import created_or_existing, detail, invalid, megabytes, operation

MEDIA, POSTS, HASHTAGS, FEED = "Media", "Posts", "Hashtags", "Feed"
LIKES, COMMENTS = "Likes", "Comments"

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
DELETED = OpenApiResponse(description="Deleted.")


def author_only(not_found: OpenApiResponse) -> dict:
    """The answers of a change only the author may make, to an object that may not exist."""
    return {403: NOT_AUTHOR, 404: not_found}


def text_errors(name: str, fields: list[str], serializer) -> OpenApiResponse:
    """The `400`s of a `text` that is blank or over its serializer's limit."""
    limit = serializer().fields["text"].max_length
    too_long = f"Ensure this field has no more than {limit} characters."
    return invalid(
        name,
        fields,
        "Invalid text.",
        {"Blank": {"text": ["This field may not be blank."]}, "Too long": {"text": [too_long]}},
    )


def mark_and_unmark(
    tag: str,
    mark: tuple[str, str],
    unmark: tuple[str, str],
    status,
    not_found: OpenApiResponse,
    unmarked: str,
    errors: dict | None = None,
):
    """POST and DELETE of the caller's mark on one object (a like, a bookmark, a repost): a
    (summary, description) each. Neither takes a body and both may be repeated: POST is `201`
    when new and `200` with the same `status` when already there, DELETE `204` either way.
    `errors` are the POST's own, before the `404` of an object the caller cannot see."""
    return (
        operation(
            tag,
            *mark,
            {**created_or_existing(status), **(errors or {}), 404: not_found},
            request=None,
        ),
        operation(
            tag, *unmark, {204: OpenApiResponse(description=unmarked), 404: not_found}, request=None
        ),
    )


def path_id(name: str, description: str, type_=OpenApiTypes.INT) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.PATH, description=description)


POST_ID = path_id("post_id", "The post's id.")
