"""OpenAPI documentation of registration, login, logout and password change."""

from drf_spectacular.utils import extend_schema

from social_media.openapi import field_errors, invalid
from user.openapi.common import AUTH, NO_CONTENT
from user.serializers import (
    BAD_CREDENTIALS,
    LoginSerializer,
    OwnUserSerializer,
    PasswordChangeSerializer,
    RegisterSerializer,
    TokenSerializer,
)
from user.services import EMAIL_TAKEN

REQUIRED = ["This field is required."]

register = extend_schema(
    tags=[AUTH],
    summary="Create an account",
    description=(
        "Creates an account and returns it (own view, with `email`). No token is issued: "
        "log in next. The email is stored lower-cased and must be unused in any case; the "
        "password must pass the server's password rules (length, not common, not numeric, "
        "not similar to the email or username). `username` (3-30 letters, digits, "
        "underscores; unique ignoring case) is derived from the email when omitted."
    ),
    request=RegisterSerializer,
    responses={
        201: OwnUserSerializer,
        400: invalid(
            field_errors("RegisterValidationError", ["email", "username", "password"]),
            "A field breaks a rule; each message names its field.",
            {
                "Email taken": {"email": [EMAIL_TAKEN]},
                "Weak password": {
                    "password": [
                        "This password is too short. It must contain at least 8 characters.",
                        "This password is too common.",
                    ]
                },
                "Missing fields": {"email": REQUIRED, "password": REQUIRED},
            },
        ),
    },
)

login = extend_schema(
    tags=[AUTH],
    summary="Log in: get a token for this device",
    description=(
        "Checks the email (any case) and password and issues a new token for this device. "
        "The token is shown only in this response (the server keeps a hash) and expires at "
        "`expires_at`; send it as `Authorization: Token <token>`. A wrong email, a wrong "
        "password and a deactivated account all get the same `400`."
    ),
    request=LoginSerializer,
    responses={
        200: TokenSerializer,
        400: invalid(
            field_errors("LoginValidationError", ["email", "password"]),
            "Bad credentials (one message, whatever was wrong) or missing fields.",
            {
                "Bad credentials": {"non_field_errors": [BAD_CREDENTIALS]},
                "Missing password": {"password": REQUIRED},
            },
        ),
    },
)

logout = extend_schema(
    tags=[AUTH],
    summary="Log out this device",
    description=(
        "Revokes the token sent with this request; it stops working at once. Other devices "
        "stay logged in."
    ),
    request=None,
    responses={204: NO_CONTENT},
)

logout_all = extend_schema(
    tags=[AUTH],
    summary="Log out everywhere",
    description="Revokes every token of the caller, including the one sent with this request.",
    request=None,
    responses={204: NO_CONTENT},
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
            field_errors("PasswordChangeValidationError", ["old_password", "new_password"]),
            "Wrong current password, or the new one breaks a rule.",
            {
                "Wrong current password": {
                    "old_password": ["The current password is not correct."]
                },
                "Weak new password": {"new_password": ["This password is too common."]},
            },
        ),
    },
)
