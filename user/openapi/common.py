"""Shared pieces of the user app's OpenAPI documentation: tags, and the answers and the
parameter several operations share."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema_serializer,
)
from rest_framework import serializers

from social_media.openapi import ME_WITHOUT_TOKEN, detail, response_example
from user.serializers import OWN_USER_EXAMPLE, USER_EXAMPLE, UserSerializer

AUTH, USERS, FOLLOWS = "Auth", "Users", "Follows"


@extend_schema_serializer(
    examples=[response_example("User", USER_EXAMPLE), response_example("Own", OWN_USER_EXAMPLE)]
)
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
# The answers of a public operation on `{id}`, which may be `me`.
ID_OR_ME = {401: ME_WITHOUT_TOKEN, 404: NOT_FOUND}
NO_CONTENT = OpenApiResponse(description="Done; no body.")

USER_ID = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="A user id, or `me` for the caller (`me` needs a token).",
    examples=[OpenApiExample("Id", value="42"), OpenApiExample("Me", value="me")],
)
