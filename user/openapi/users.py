"""OpenAPI documentation of profiles and user search."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from social_media.openapi import UNAUTHENTICATED, detail, field_errors, invalid, put_and_patch
from user.openapi.common import (
    NO_CONTENT,
    NOT_FOUND,
    NOT_YOURS,
    OWN_EXAMPLE,
    PUBLIC_EXAMPLE,
    USER_ID,
    USERS,
    UserOrOwnSerializer,
)
from user.serializers import OwnUserSerializer, UserSerializer

ProfileErrors = field_errors(
    "ProfileValidationError",
    ["username", "display_name", "bio", "avatar", "location", "website"],
)
UserListErrors = field_errors("UserSearchValidationError", ["username", "location"])

PROFILE_REQUEST_EXAMPLES = [
    OpenApiExample(
        "Edit text fields (JSON)",
        value={
            "display_name": "Ada Lovelace",
            "bio": "Notes on the Analytical Engine. Poetical science.",
            "location": "London",
            "website": "https://ada.example.org",
        },
        request_only=True,
    ),
]
PROFILE_ERRORS = invalid(
    ProfileErrors,
    "A field breaks a rule, or `avatar` is not a JPEG, PNG, WebP or GIF image within the "
    "pixel limit.",
    {
        "Not an image": {"avatar": ["Upload a valid image: JPEG, PNG, WebP or GIF."]},
        "Username taken": {"username": ["A user with that username already exists."]},
        "Bad website": {"website": ["Enter a valid URL."]},
    },
)
TOO_LARGE = detail(
    "The avatar is over the byte limit (`AVATAR_MAX_BYTES`, 5 MB by default).",
    "The image is larger than 5242880 bytes.",
    "Too large",
)
PROFILE_WRITE_DESCRIPTION = (
    "Only the caller's own account can be changed (`me`, or the caller's own id); another "
    "user's id gives `403`. Send JSON for text fields, or `multipart/form-data` with an "
    "`avatar` image (JPEG, PNG, WebP or GIF, decoded and checked: a file that is not such "
    "an image or has too many pixels is refused with `400`, one over the byte limit with "
    "`413`). The avatar is re-encoded without metadata, fitted into 512x512 and stored "
    "under a random name; the previous one is deleted. `email`, counts and any other field "
    "are read-only and ignored."
)

users = extend_schema_view(
    list=extend_schema(
        tags=[USERS],
        summary="Search users",
        description=(
            "Active users, cursor-paginated (follow `next`). `search` matches part of the "
            "username, display name or bio, ignoring case (several words must all match); "
            "`username` is an exact, case-insensitive match; `location` matches part of the "
            "location. `is_following`/`follows_you` are null without a token."
        ),
        responses={
            200: UserSerializer(many=True),
            400: invalid(
                UserListErrors,
                "A filter value is too long.",
                {"Too long": {"username": ["Ensure this value has at most 30 characters."]}},
            ),
        },
        examples=[PUBLIC_EXAMPLE],
    ),
    retrieve=extend_schema(
        tags=[USERS],
        summary="Get a user",
        description=(
            "One active user. With `me` (or the caller's own id) the response is the own "
            "view, which adds `email`."
        ),
        parameters=[USER_ID],
        responses={200: UserOrOwnSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
        examples=[PUBLIC_EXAMPLE, OWN_EXAMPLE],
    ),
    **put_and_patch(
        tags=[USERS],
        parameters=[USER_ID],
        request={
            "application/json": OwnUserSerializer,
            "multipart/form-data": OwnUserSerializer,
        },
        responses={
            200: OwnUserSerializer,
            400: PROFILE_ERRORS,
            401: UNAUTHENTICATED,
            403: NOT_YOURS,
            404: NOT_FOUND,
            413: TOO_LARGE,
        },
        put={
            "summary": "Replace your profile",
            "description": (
                "Replaces the editable fields: `username` is required, omitted text fields "
                "keep their value. " + PROFILE_WRITE_DESCRIPTION
            ),
            "examples": [
                OpenApiExample(
                    "Replace",
                    value={
                        "username": "ada_l",
                        "display_name": "Ada Lovelace",
                        "bio": "Poetical science.",
                        "location": "London",
                        "website": "",
                    },
                    request_only=True,
                ),
                OWN_EXAMPLE,
            ],
        },
        patch={
            "summary": "Edit your profile",
            "description": "Changes only the fields sent. " + PROFILE_WRITE_DESCRIPTION,
            "examples": [*PROFILE_REQUEST_EXAMPLES, OWN_EXAMPLE],
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
        responses={204: NO_CONTENT, 401: UNAUTHENTICATED, 403: NOT_YOURS, 404: NOT_FOUND},
    ),
)

avatar_delete = extend_schema(
    tags=[USERS],
    summary="Remove your avatar",
    description="Removes the caller's avatar and deletes its file; `204` also when none was set.",
    parameters=[USER_ID],
    request=None,
    responses={204: NO_CONTENT, 401: UNAUTHENTICATED, 403: NOT_YOURS, 404: NOT_FOUND},
)
