"""Shared pieces of the user app's OpenAPI documentation: tags, example users, the errors
and parameters several operations share."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from social_media.openapi import detail
from user.serializers import UserSerializer

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


NO_CONTENT = OpenApiResponse(description="Done; no body.")

USER_ID = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="A user id, or `me` for the caller (`me` needs a token).",
    examples=[OpenApiExample("Id", value="42"), OpenApiExample("Me", value="me")],
)
PUBLIC_EXAMPLE = OpenApiExample("User", value=PUBLIC_USER, response_only=True)
OWN_EXAMPLE = OpenApiExample("Own profile", value=OWN_USER, response_only=True)
