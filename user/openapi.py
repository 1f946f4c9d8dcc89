"""OpenAPI documentation of the account, profile and follow operations.

Kept apart from the views so each view reads as what it does; every operation has a tag,
a summary, a description, request and response examples and its error responses.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers

from social_media.openapi import THROTTLED, UNAUTHENTICATED, detail, field_errors, invalid

from .serializers import (
    LoginSerializer,
    OwnUserSerializer,
    PasswordChangeSerializer,
    RegisterSerializer,
    TokenSerializer,
    UserSerializer,
)

AUTH, USERS, FOLLOWS = "Auth", "Users", "Follows"


class UserOrOwnSerializer(UserSerializer):
    """A user; when the user is the caller, the own view with `email`."""

    email = serializers.EmailField(required=False, help_text="Only when the user is you.")

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields[:2], "email", *UserSerializer.Meta.fields[2:]]


NOT_FOUND = detail("No active user with this id.", "No User matches the given query.", "Unknown")
NOT_YOURS = detail(
    "Authenticated, but the account is someone else's.",
    "You can only change your own account.",
    "Another user's account",
)

PUBLIC_USER = {
    "id": 42,
    "username": "ada_l",
    "display_name": "Ada Lovelace",
    "bio": "Notes on the Analytical Engine. Poetical science.",
    "avatar": "https://api.example.com/media/avatars/3f2c9a1e6b0d4c5e8f7a2b1c0d9e8f7a.jpg",
    "location": "London",
    "website": "https://ada.example.org",
    "date_joined": "2026-10-02T09:30:12.418Z",
    "followers_count": 128,
    "following_count": 64,
    "posts_count": 17,
    "is_following": True,
    "follows_you": False,
}
OWN_USER = {
    **PUBLIC_USER,
    "email": "ada@example.org",
    "is_following": False,
    "follows_you": False,
}
NEW_USER = {
    **OWN_USER,
    "display_name": "",
    "bio": "",
    "avatar": None,
    "location": "",
    "website": "",
    "followers_count": 0,
    "following_count": 0,
    "posts_count": 0,
}

# --- Auth -------------------------------------------------------------------------------

RegisterErrors = field_errors("RegisterValidationError", ["email", "username", "password"])
LoginErrors = field_errors("LoginValidationError", ["email", "password"])
PasswordErrors = field_errors("PasswordChangeValidationError", ["old_password", "new_password"])
ProfileErrors = field_errors(
    "ProfileValidationError",
    ["username", "display_name", "bio", "avatar", "location", "website"],
)
FollowErrors = field_errors("FollowValidationError", [])
UserListErrors = field_errors("UserSearchValidationError", ["username", "location"])

register = extend_schema(
    tags=[AUTH],
    summary="Create an account",
    description=(
        "Creates an account and returns it (own view, with `email`). No token is issued: "
        "log in next. The email is stored lower-cased and must be unused in any case; the "
        "password must pass the server's password rules (length, not common, not numeric, "
        "not similar to the email or username). `username` (3-30 letters, digits, "
        "underscores; unique ignoring case) is derived from the email when omitted. "
        "Throttled per client address."
    ),
    request=RegisterSerializer,
    responses={
        201: OwnUserSerializer,
        400: invalid(
            RegisterErrors,
            "A field breaks a rule; each message names its field.",
            {
                "Email taken": {"email": ["A user with that email already exists."]},
                "Weak password": {
                    "password": [
                        "This password is too short. It must contain at least 8 characters.",
                        "This password is too common.",
                    ]
                },
                "Missing fields": {
                    "email": ["This field is required."],
                    "password": ["This field is required."],
                },
            },
        ),
        429: THROTTLED,
    },
    examples=[
        OpenApiExample(
            "With a username",
            value={
                "email": "Ada@Example.org",
                "password": "analytical-engine-1843",
                "username": "ada_l",
            },
            request_only=True,
        ),
        OpenApiExample(
            "Username derived",
            value={"email": "grace@example.org", "password": "cobol-and-nanoseconds"},
            request_only=True,
        ),
        OpenApiExample("Created", value=NEW_USER, response_only=True, status_codes=["201"]),
    ],
)

login = extend_schema(
    tags=[AUTH],
    summary="Log in: get a token for this device",
    description=(
        "Checks the email (any case) and password and issues a new token for this device. "
        "The token is shown only in this response (the server keeps a hash) and expires at "
        "`expires_at`; send it as `Authorization: Token <token>`. A wrong email, a wrong "
        "password and a deactivated account all get the same `400`. Throttled per client "
        "address and per email."
    ),
    request=LoginSerializer,
    responses={
        200: TokenSerializer,
        400: invalid(
            LoginErrors,
            "Bad credentials (one message, whatever was wrong) or missing fields.",
            {
                "Bad credentials": {
                    "non_field_errors": ["Unable to log in with the provided email and password."]
                },
                "Missing password": {"password": ["This field is required."]},
            },
        ),
        429: THROTTLED,
    },
    examples=[
        OpenApiExample(
            "Credentials",
            value={"email": "ada@example.org", "password": "analytical-engine-1843"},
            request_only=True,
        ),
        OpenApiExample(
            "Token issued",
            value={
                "token": "9f1c0e7d2b4a6c8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e",
                "expires_at": "2026-12-28T15:04:05.123456Z",
                "user": OWN_USER,
            },
            response_only=True,
            status_codes=["200"],
        ),
    ],
)

NO_CONTENT = OpenApiResponse(description="Done; no body.")

logout = extend_schema(
    tags=[AUTH],
    summary="Log out this device",
    description=(
        "Revokes the token sent with this request; it stops working at once. Other devices "
        "stay logged in."
    ),
    request=None,
    responses={204: NO_CONTENT, 401: UNAUTHENTICATED},
)

logout_all = extend_schema(
    tags=[AUTH],
    summary="Log out everywhere",
    description="Revokes every token of the caller, including the one sent with this request.",
    request=None,
    responses={204: NO_CONTENT, 401: UNAUTHENTICATED},
)

password = extend_schema(
    tags=[AUTH],
    summary="Change the password",
    description=(
        "Checks `old_password`, runs `new_password` through the password rules and sets it. "
        "Every other token of the caller is revoked; the one sent with this request keeps "
        "working."
    ),
    request=PasswordChangeSerializer,
    responses={
        204: NO_CONTENT,
        400: invalid(
            PasswordErrors,
            "Wrong current password, or the new one breaks a rule.",
            {
                "Wrong current password": {
                    "old_password": ["The current password is not correct."]
                },
                "Weak new password": {"new_password": ["This password is too common."]},
            },
        ),
        401: UNAUTHENTICATED,
    },
    examples=[
        OpenApiExample(
            "Change",
            value={
                "old_password": "analytical-engine-1843",
                "new_password": "bernoulli-numbers-note-g",
            },
            request_only=True,
        )
    ],
)

# --- Users ------------------------------------------------------------------------------

USER_ID = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="A user id, or `me` for the caller (`me` needs a token).",
    examples=[OpenApiExample("Id", value="42"), OpenApiExample("Me", value="me")],
)
PUBLIC_EXAMPLE = OpenApiExample("User", value=PUBLIC_USER, response_only=True)
OWN_EXAMPLE = OpenApiExample("Own profile", value=OWN_USER, response_only=True)

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
    partial_update=extend_schema(
        tags=[USERS],
        summary="Edit your profile",
        description="Changes only the fields sent. " + PROFILE_WRITE_DESCRIPTION,
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
        examples=[*PROFILE_REQUEST_EXAMPLES, OWN_EXAMPLE],
    ),
    update=extend_schema(
        tags=[USERS],
        summary="Replace your profile",
        description=(
            "Replaces the editable fields: `username` is required, omitted text fields keep "
            "their value. " + PROFILE_WRITE_DESCRIPTION
        ),
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
        examples=[
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

# --- Follows ----------------------------------------------------------------------------

follow = extend_schema(
    tags=[FOLLOWS],
    summary="Follow a user",
    description=(
        "Starts following `{id}`: `201` when the follow is new, `200` when it already "
        "existed (safe to repeat). Returns the followed user with updated counts."
    ),
    parameters=[USER_ID],
    request=None,
    responses={
        200: UserSerializer,
        201: UserSerializer,
        400: invalid(
            FollowErrors,
            "`{id}` is the caller.",
            {"Self": {"non_field_errors": ["You cannot follow yourself."]}},
        ),
        401: UNAUTHENTICATED,
        404: NOT_FOUND,
        409: detail(
            "Other requests kept following and unfollowing this user at the same moment; retry.",
            "The follow changed concurrently too many times; try again.",
            "Contended",
        ),
    },
    examples=[
        OpenApiExample(
            "Followed",
            value={**PUBLIC_USER, "followers_count": 129, "is_following": True},
            response_only=True,
            status_codes=["200", "201"],
        )
    ],
)

unfollow = extend_schema(
    tags=[FOLLOWS],
    summary="Unfollow a user",
    description="Stops following `{id}`; `204` also when the caller was not following.",
    parameters=[USER_ID],
    request=None,
    responses={204: NO_CONTENT, 401: UNAUTHENTICATED, 404: NOT_FOUND},
)

_follow_list_responses = {
    200: UserSerializer(many=True),
    401: UNAUTHENTICATED,
    404: NOT_FOUND,
}

followers = extend_schema(
    tags=[FOLLOWS],
    summary="Followers of a user",
    description="Users following `{id}`, most recent follow first, cursor-paginated.",
    parameters=[USER_ID],
    responses=_follow_list_responses,
    examples=[PUBLIC_EXAMPLE],
)

following = extend_schema(
    tags=[FOLLOWS],
    summary="Users a user follows",
    description="Users that `{id}` follows, most recently followed first, cursor-paginated.",
    parameters=[USER_ID],
    responses=_follow_list_responses,
    examples=[PUBLIC_EXAMPLE],
)
