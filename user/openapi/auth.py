"""OpenAPI documentation of registration, login, logout and password change."""

from social_media.openapi import invalid, operation
from user.openapi.common import AUTH, NO_CONTENT
from user.serializers import (
    BAD_CREDENTIALS,
    LoginSerializer,
    OwnUserSerializer,
    PasswordChangeSerializer,
    RegisterSerializer,
    TokenSerializer,
)
from user.services.accounts import EMAIL_TAKEN

REQUIRED = ["This field is required."]
TOO_SHORT = "This password is too short. It must contain at least 8 characters."

register = operation(
    AUTH,
    "Create an account",
    "Creates an account and returns it (own view, with `email`). No token is issued: log in "
    "next. The email is stored lower-cased and must be unused in any case; the password must "
    "pass the server's password rules (length, not common, not numeric, not similar to the "
    "email or username). `username` (3-30 letters, digits, underscores; unique ignoring case) "
    "is derived from the email when omitted.",
    {
        201: OwnUserSerializer,
        400: invalid(
            "RegisterValidationError",
            ["email", "username", "password"],
            "A field breaks a rule; each message names its field.",
            {
                "Email taken": {"email": [EMAIL_TAKEN]},
                "Weak password": {"password": [TOO_SHORT, "This password is too common."]},
                "Missing fields": {"email": REQUIRED, "password": REQUIRED},
            },
        ),
    },
    request=RegisterSerializer,
)

login = operation(
    AUTH,
    "Log in: get a token for this device",
    "Checks the email (any case) and password and issues a new token for this device. The "
    "token is shown only in this response (the server keeps a hash) and expires at "
    "`expires_at`; send it as `Authorization: Token <token>`. A wrong email, a wrong password "
    "and a deactivated account all get the same `400`.",
    {
        200: TokenSerializer,
        400: invalid(
            "LoginValidationError",
            ["email", "password"],
            "Bad credentials (one message, whatever was wrong) or missing fields.",
            {
                "Bad credentials": {"non_field_errors": [BAD_CREDENTIALS]},
                "Missing password": {"password": REQUIRED},
            },
        ),
    },
    request=LoginSerializer,
)


def _logout(summary: str, description: str):
    return operation(AUTH, summary, description, {204: NO_CONTENT}, request=None)


logout = _logout(
    "Log out this device",
    "Revokes the token sent with this request; it stops working at once. Other devices stay "
    "logged in.",
)
logout_all = _logout(
    "Log out everywhere",
    "Revokes every token of the caller, including the one sent with this request.",
)

password = operation(
    AUTH,
    "Change the password",
    "Checks `old_password`, runs `new_password` through the password rules and sets it. Every "
    "other token of the caller is revoked; the one sent with this request keeps working.",
    {
        204: NO_CONTENT,
        400: invalid(
            "PasswordChangeValidationError",
            ["old_password", "new_password"],
            "Wrong current password, or the new one breaks a rule.",
            {
                "Wrong current password": {
                    "old_password": ["The current password is not correct."]
                },
                "Weak new password": {"new_password": ["This password is too common."]},
            },
        ),
    },
    request=PasswordChangeSerializer,
)
