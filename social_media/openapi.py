"""Error shapes and helpers shared by every app's OpenAPI documentation.

The API has two error shapes (DRF's): `{"field": ["message", …]}` for validation and
`{"detail": "…"}` for everything else. They are defined once here so every operation
documents them the same way and the schema has one `ErrorDetail` component. The answers
nearly every operation shares (401, 429, an invalid cursor) are added by
`social_media.schema_hooks`; example bodies live on the serializers they show.
"""

from functools import cache

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


@cache
def field_errors(name: str, fields: tuple[str, ...]):
    """The validation error shape of a request with these fields (plus `non_field_errors`);
    one object per name, so operations that share it share one component."""
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


def invalid(name: str, fields: list[str], description: str, examples: dict) -> OpenApiResponse:
    """A `400` with the validation shape `name` of `fields` and named examples, each one a body
    the API really sends (tests/test_schema_examples.py sends the request behind it)."""
    return OpenApiResponse(
        field_errors(name, tuple(fields)),
        description=description,
        examples=[OpenApiExample(key, value=value) for key, value in examples.items()],
    )


def too_long(filterset, field: str) -> dict:
    """The example of a `filterset` sent a `field` value one character over its limit."""
    limit = filterset.base_filters[field].extra["max_length"]
    message = f"Ensure this value has at most {limit} characters (it has {limit + 1})."
    return {"Too long": {field: [message]}}


def operation(tag: str, summary: str, description: str, responses=None, **extra):
    """One operation's documentation: what every operation has, in this order, then anything
    else `extend_schema` takes."""
    return extend_schema(
        tags=[tag], summary=summary, description=description, responses=responses, **extra
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


def listing(tag: str, summary: str, description: str, item, errors=None, **extra):
    """A cursor-paginated list of `item` (a serializer class): the page envelope, and the paging
    rules after the description."""
    responses = {200: item(many=True), **(errors or {})}
    return operation(tag, summary, f"{description} {PAGINATION}", responses, **extra)


def created_or_existing(serializer) -> dict:
    """The answers of an idempotent create: `201` when new, `200` when it already existed."""
    return {201: serializer, 200: serializer}


def put_and_patch(tag: str, summaries: tuple[str, str], description, responses, **extra):
    """`update` (PUT) and `partial_update` (PATCH), which share everything but their summaries
    (and, given a pair, their descriptions); spread into `extend_schema_view`."""
    descriptions = (description, description) if isinstance(description, str) else description
    return {
        action: operation(tag, summary, text, responses, **extra)
        for action, summary, text in zip(
            ("update", "partial_update"), summaries, descriptions, strict=True
        )
    }
