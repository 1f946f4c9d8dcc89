"""Error shapes and helpers shared by every app's OpenAPI documentation.

The API has two error shapes (DRF's): `{"field": ["message", …]}` for validation and
`{"detail": "…"}` for everything else. They are defined once here so every operation
documents them the same way and the schema has one `ErrorDetail` component. The answers
nearly every operation shares (401, 429, an invalid cursor) are added by
`social_media.schema_hooks`; example bodies live on the serializers they show.
"""

from django.conf import settings
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers

ErrorDetail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})

PAGINATION = (
    f"Cursor-paginated (`?page_size=` default {settings.PAGE_SIZE}, at most "
    f"{settings.MAX_PAGE_SIZE}): follow `next` until it is null; a page deep in the list "
    "costs what the first one costs."
)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def field_errors(name: str, fields: list[str]):
    """The validation error shape of a request with these fields (plus `non_field_errors`)."""
    return inline_serializer(
        name,
        {
            field: serializers.ListField(child=serializers.CharField(), required=False)
            for field in [*fields, "non_field_errors"]
        },
        required=False,
    )


def detail(description: str, example: str, name: str | None = None) -> OpenApiResponse:
    """A `{"detail": …}` answer with one example."""
    return OpenApiResponse(
        ErrorDetail,
        description=description,
        examples=[OpenApiExample(name or description, value={"detail": example})],
    )


def invalid(serializer, description: str, examples: dict[str, dict]) -> OpenApiResponse:
    """A `400` with the validation shape `serializer` and named examples, each one a body the
    API really sends (tests/test_schema_examples.py sends the request behind it)."""
    return OpenApiResponse(
        serializer,
        description=description,
        examples=[OpenApiExample(name, value=value) for name, value in examples.items()],
    )


# Public operations that take `me` for the caller answer it with a 401 without a token (the
# hook documents the 401 of operations that always need one).
ME_WITHOUT_TOKEN = detail(
    "`me` without a token, or an unknown, expired or revoked token.",
    "Authentication credentials were not provided.",
    "Not authenticated",
)


def response_example(name: str, value, status: str | None = None) -> OpenApiExample:
    """On a serializer: shown for its 200 and 201 answers; for a list, `value` is one item
    (drf-spectacular wraps it in the page envelope)."""
    return OpenApiExample(
        name, value=value, response_only=True, status_codes=[status] if status else None
    )


def request_example(name: str, value, media_type: str | None = None) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True, media_type=media_type)


def put_and_patch(*, put: dict | None = None, patch: dict | None = None, **shared) -> dict:
    """`update` (PUT) and `partial_update` (PATCH) schemas, which differ only in `put` and
    `patch` and share everything else; spread into `extend_schema_view`."""
    return {
        "update": extend_schema(**shared, **(put or {})),
        "partial_update": extend_schema(**shared, **(patch or {})),
    }
