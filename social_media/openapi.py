"""Error shapes and common answers shared by every app's OpenAPI documentation.

The API has two error shapes (DRF's): `{"field": ["message", …]}` for validation and
`{"detail": "…"}` for everything else. They are defined once here so every operation
documents them the same way and the schema has one `ErrorDetail` component.
"""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers

ErrorDetail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})


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
    """A `400` with the validation shape `serializer` and named examples."""
    return OpenApiResponse(
        serializer,
        description=description,
        examples=[OpenApiExample(name, value=value) for name, value in examples.items()],
    )


UNAUTHENTICATED = detail(
    "No token, or an unknown, expired or revoked one (`WWW-Authenticate: Token`).",
    "Authentication credentials were not provided.",
    "Not authenticated",
)
THROTTLED = detail(
    "Too many requests; the `Retry-After` header says how many seconds to wait.",
    "Request was throttled. Expected available in 42 seconds.",
    "Throttled",
)


def put_and_patch(*, put: dict, patch: dict, **shared) -> dict:
    """`update` (PUT) and `partial_update` (PATCH) schemas, which differ only in `put` and
    `patch` and share everything else; spread into `extend_schema_view`."""
    return {
        "update": extend_schema(**shared, **put),
        "partial_update": extend_schema(**shared, **patch),
    }
