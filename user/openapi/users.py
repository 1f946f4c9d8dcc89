"""OpenAPI documentation of profiles and user search."""

from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_view

from social_media.openapi import (
    ME_WITHOUT_TOKEN,
    PAGINATION,
    detail,
    field_errors,
    invalid,
    megabytes,
    put_and_patch,
)
from user.filters import UserFilter
from user.openapi.common import (
    NO_CONTENT,
    NOT_FOUND,
    NOT_YOURS,
    USER_ID,
    USERS,
    UserOrOwnSerializer,
)
from user.serializers import OwnUserSerializer, UserSerializer
from user.services import USERNAME_TAKEN

_username = UserFilter.base_filters["username"].extra["max_length"]

TOO_LARGE = detail(
    "The avatar is over the byte limit "
    f"(`AVATAR_MAX_BYTES`, {megabytes(settings.AVATAR_MAX_BYTES)}).",
    f"The image is larger than {settings.AVATAR_MAX_BYTES} bytes.",
    "Too large",
)
PROFILE_WRITE_DESCRIPTION = (
    "Only the caller's own account (`me`, or the caller's own id; another id is a `403`). "
    "JSON for text fields, or `multipart/form-data` with an `avatar` image: one that is not "
    f"an image or has more than {settings.AVATAR_MAX_PIXELS} pixels is a `400`, one over the "
    "byte limit a `413`; a request with an avatar counts against `THROTTLE_MEDIA` "
    f"({settings.THROTTLE_RATES['media']}). The previous avatar is deleted."
)

users = extend_schema_view(
    list=extend_schema(
        tags=[USERS],
        summary="Search users",
        description=(
            "Active users. The filters combine; `is_following`/`follows_you` are null "
            f"without a token. {PAGINATION}"
        ),
        responses={
            200: UserSerializer(many=True),
            400: invalid(
                field_errors("UserSearchValidationError", ["username", "location"]),
                "A filter value is too long.",
                {
                    "Too long": {
                        "username": [
                            f"Ensure this value has at most {_username} characters "
                            f"(it has {_username + 1})."
                        ]
                    }
                },
            ),
        },
    ),
    retrieve=extend_schema(
        tags=[USERS],
        summary="Get a user",
        description=(
            "One active user. With `me` (or the caller's own id) the response is the own "
            "view, which adds `email`."
        ),
        parameters=[USER_ID],
        responses={200: UserOrOwnSerializer, 401: ME_WITHOUT_TOKEN, 404: NOT_FOUND},
    ),
    **put_and_patch(
        put={
            "summary": "Replace your profile",
            "description": "Replaces the editable fields: `username` is required, omitted "
            "text fields keep their value. " + PROFILE_WRITE_DESCRIPTION,
        },
        patch={
            "summary": "Edit your profile",
            "description": "Changes only the fields sent. " + PROFILE_WRITE_DESCRIPTION,
        },
        tags=[USERS],
        parameters=[USER_ID],
        request={
            "application/json": OwnUserSerializer,
            "multipart/form-data": OwnUserSerializer,
        },
        responses={
            200: OwnUserSerializer,
            400: invalid(
                field_errors(
                    "ProfileValidationError",
                    ["username", "display_name", "bio", "avatar", "location", "website"],
                ),
                "A field breaks a rule, or `avatar` is not a JPEG, PNG, WebP or GIF image "
                "within the pixel limit.",
                {
                    "Not an image": {"avatar": ["Upload a valid image: JPEG, PNG, WebP or GIF."]},
                    "Username taken": {"username": [USERNAME_TAKEN]},
                    "Bad website": {"website": ["Enter a valid URL."]},
                },
            ),
            403: NOT_YOURS,
            404: NOT_FOUND,
            413: TOO_LARGE,
        },
    ),
    destroy=extend_schema(
        tags=[USERS],
        summary="Delete your account",
        description=(
            "Deletes the caller's account and everything it owns in one transaction: tokens, "
            "follows both ways, posts, likes, comments, uploads and scheduled posts, then "
            "their files. Another user's id gives `403`."
        ),
        parameters=[USER_ID],
        responses={204: NO_CONTENT, 403: NOT_YOURS, 404: NOT_FOUND},
    ),
)

avatar_delete = extend_schema(
    tags=[USERS],
    summary="Remove your avatar",
    description="Removes the caller's avatar and deletes its file; `204` also when none was set.",
    parameters=[USER_ID],
    request=None,
    responses={204: NO_CONTENT, 403: NOT_YOURS, 404: NOT_FOUND},
)
