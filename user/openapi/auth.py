"""OpenAPI documentation of registration, login, logout and password change."""

from drf_spectacular.utils import OpenApiExample, extend_schema

from social_media.openapi import THROTTLED, UNAUTHENTICATED, field_errors, invalid
from user.openapi.common import AUTH, NEW_USER, NO_CONTENT, OWN_USER
from user.serializers import (
    LoginSerializer,
    OwnUserSerializer,
    PasswordChangeSerializer,
    RegisterSerializer,
    TokenSerializer,
)

RegisterErrors = field_errors("RegisterValidationError", ["email", "username", "password"])
LoginErrors = field_errors("LoginValidationError", ["email", "password"])
PasswordErrors = field_errors("PasswordChangeValidationError", ["old_password", "new_password"])

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
