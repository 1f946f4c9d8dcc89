"""OpenAPI documentation of profiles and user search."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_view

from social_media.openapi import (
    detail,
    invalid,
    listing,
    megabytes,
    operation,
    put_and_patch,
    too_long,
)
from user.filters import UserFilter
from user.openapi.common import (
    ID_OR_ME,
    NO_CONTENT,
    NOT_FOUND,
    NOT_YOURS,
    USER_ID,
    USERS,
    UserOrOwnSerializer,
)
from user.serializers import (
    AVATAR_MAX_SIDE,
    AvatarUploadSerializer,
    OwnUserSerializer,
    UserSerializer,
)
from user.services.accounts import USERNAME_TAKEN

TOO_LARGE = detail(
    "The avatar is over the byte limit "
    f"(`AVATAR_MAX_BYTES`, {megabytes(settings.AVATAR_MAX_BYTES)}).",
    f"The image is larger than {settings.AVATAR_MAX_BYTES} bytes.",
    "Too large",
)
PROFILE_WRITE = (
    "Only the caller's own account (`me`, or the caller's own id; another id is a `403`). "
    "The avatar is changed with `PUT /api/v1/users/me/avatar/`."
)
PROFILE_FIELDS = ["username", "display_name", "bio", "location", "website"]
OWN_ACCOUNT = {403: NOT_YOURS, 404: NOT_FOUND}


class ProfileEditSerializer(OwnUserSerializer):
    """The JSON body of a profile edit: the own view's writable text fields (the view still
    takes the multipart `avatar` older clients send, undocumented)."""

    avatar = None

    class Meta(OwnUserSerializer.Meta):
        fields = [name for name in OwnUserSerializer.Meta.fields if name != "avatar"]


users = extend_schema_view(
    list=listing(
        USERS,
        "Search users",
        "Active users. The filters combine; `is_following`/`follows_you` are null without a token.",
        UserSerializer,
        {
            400: invalid(
                "UserSearchValidationError",
                ["username", "location", "ordering"],
                "A filter value is too long, or `ordering` is not one of the three.",
                too_long(UserFilter, "username"),
            ),
        },
    ),
    retrieve=operation(
        USERS,
        "Get a user",
        "One active user. With `me` (or the caller's own id) the response is the own view, "
        "which adds `email`.",
        {200: UserOrOwnSerializer, **ID_OR_ME},
        parameters=[USER_ID],
    ),
    **put_and_patch(
        USERS,
        ("Replace your profile", "Edit your profile"),
        (
            "Replaces the editable fields: `username` is required, omitted text fields keep "
            f"their value. {PROFILE_WRITE}",
            f"Changes only the fields sent. {PROFILE_WRITE}",
        ),
        {
            200: OwnUserSerializer,
            400: invalid(
                "ProfileValidationError",
                PROFILE_FIELDS,
                "A field breaks a rule.",
                {
                    "Username taken": {"username": [USERNAME_TAKEN]},
                    "Bad website": {"website": ["Enter a valid URL."]},
                },
            ),
            **OWN_ACCOUNT,
        },
        parameters=[USER_ID],
        request={"application/json": ProfileEditSerializer},
    ),
    destroy=operation(
        USERS,
        "Delete your account",
        "Deletes the caller's account and everything it owns in one transaction: tokens, "
        "follows both ways, posts, likes, comments, uploads and scheduled posts, then their "
        "files. Another user's id gives `403`.",
        {204: NO_CONTENT, **OWN_ACCOUNT},
        parameters=[USER_ID],
    ),
)

avatar_delete = operation(
    USERS,
    "Remove your avatar",
    "Removes the caller's avatar and deletes its file; `204` also when none was set.",
    {204: NO_CONTENT, **OWN_ACCOUNT},
    parameters=[USER_ID],
    request=None,
)

avatar_upload = operation(
    USERS,
    "Upload your avatar",
    "Sets the caller's avatar from a `multipart/form-data` `avatar` image, JPEG, PNG, WebP or "
    "GIF, re-encoded without metadata and fitted into "
    f"{AVATAR_MAX_SIDE}x{AVATAR_MAX_SIDE}. One that is not an image or has "
    f"more than {settings.AVATAR_MAX_PIXELS} pixels is a `400`, one over the byte limit a "
    "`413`. Counts against `THROTTLE_MEDIA` like a media upload. The previous avatar is "
    "deleted. Answers the own profile.",
    {
        200: OwnUserSerializer,
        400: invalid(
            "AvatarValidationError",
            ["avatar"],
            "No `avatar` file, or not a JPEG, PNG, WebP or GIF image within the pixel limit.",
            {
                "Not an image": {"avatar": ["Upload a valid image: JPEG, PNG, WebP or GIF."]},
                "No file": {"avatar": ["No file was submitted."]},
            },
        ),
        **OWN_ACCOUNT,
        413: TOO_LARGE,
    },
    parameters=[USER_ID],
    request={"multipart/form-data": AvatarUploadSerializer},
)
