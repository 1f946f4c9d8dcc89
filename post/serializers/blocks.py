"""The blocks posts and comments are made of: an author or mentioned user, a media item.

Read-only. Each class declares the fields (what the OpenAPI schema shows) and renders them;
URL builders are looked up once per serializer, so once per page.
"""

from collections.abc import Callable
from functools import cached_property

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from post.models import MEDIA_ROW_COLUMNS, Media
from social_media.openapi import request_example, response_example
from social_media.representations import file_url_builder
from user.models import User


class ShortUserSerializer(serializers.Serializer):
    """The author block of a post or comment."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    avatar = serializers.CharField(
        read_only=True, allow_null=True, help_text="Absolute URL, or null."
    )

    def to_representation(self, user):
        return self.render(user.pk, user.username, user.display_name, user.avatar.name)

    @cached_property
    def render(self) -> Callable[..., dict]:
        return self.renderer(self.context.get("request"))

    @staticmethod
    def renderer(request) -> Callable[..., dict]:
        """The block from the stored values (`avatar`: the file's stored name)."""
        avatar_url = file_url_builder(request, User._meta.get_field("avatar").storage)

        def block(pk, username, display_name, avatar) -> dict:
            return {
                "id": pk,
                "username": username,
                "display_name": display_name,
                "avatar": avatar_url(avatar),
            }

        return block


class MentionSerializer(ShortUserSerializer):
    """A mentioned user's block, from a mention row (`Mention`) with its user."""

    def to_representation(self, mention):
        return super().to_representation(mention.user)


MEDIA_EXAMPLE = {
    "id": 311,
    "url": "https://api.example.com/media/media/2026/10/9b1e4c2a7f3d4e5a8c6b0d1e2f3a4b5c.jpg",
    "thumbnail_url": (
        "https://api.example.com/media/thumbnails/2026/10/0c4e8a2b6d1f4a3c9e7b5d2f1a0c8e6b.jpg"
    ),
    "width": 2048,
    "height": 1365,
    "description": "The Analytical Engine's mill, photographed at the Science Museum",
}
AUTHOR_EXAMPLE = {
    "id": 42,
    "username": "ada_l",
    "display_name": "Ada Lovelace",
    "avatar": "https://api.example.com/media/avatars/3f2c9a1e6b0d4c5e8f7a2b1c0d9e8f7a.jpg",
}
MENTION_EXAMPLE = {
    "id": 7,
    "username": "charles_b",
    "display_name": "Charles Babbage",
    "avatar": None,
}


@extend_schema_serializer(examples=[response_example("Uploaded", MEDIA_EXAMPLE)])
class MediaSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(read_only=True, help_text="Absolute URL of the re-encoded image.")
    thumbnail_url = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Absolute URL of a copy at most 400 px on its long side.",
    )
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)
    description = serializers.CharField(read_only=True, help_text="Alt text; may be empty.")

    def to_representation(self, media):
        if isinstance(media, Media):
            media = {name: getattr(media, name) for name in MEDIA_ROW_COLUMNS} | {
                "file": media.file.name,
                "thumbnail": media.thumbnail.name,
            }
        return self.render(media)

    @cached_property
    def render(self) -> Callable[[dict], dict]:
        return self.renderer(self.context.get("request"))

    @staticmethod
    def renderer(request) -> Callable[[dict], dict]:
        """An item from a dict of `MEDIA_ROW_COLUMNS` (file names as stored)."""
        file_url = file_url_builder(request, Media._meta.get_field("file").storage)
        thumbnail_url = file_url_builder(request, Media._meta.get_field("thumbnail").storage)

        def item(values: dict) -> dict:
            return {
                "id": values["id"],
                "url": file_url(values["file"]),
                "thumbnail_url": thumbnail_url(values["thumbnail"]),
                "width": values["width"],
                "height": values["height"],
                "description": values["description"],
            }

        return item


@extend_schema_serializer(
    examples=[
        request_example(
            "Photo with alt text",
            {"file": "(binary JPEG)", "description": MEDIA_EXAMPLE["description"]},
            media_type="multipart/form-data",
        )
    ]
)
class MediaUploadSerializer(serializers.Serializer):
    # A plain file: DRF's ImageField would open it with every format Pillow knows and no
    # pixel limit. The media service decodes it with the allow-list and the limits.
    file = serializers.FileField(
        write_only=True,
        help_text="A JPEG, PNG, WebP or GIF image; re-encoded without metadata, at most "
        "2048 px on its long side.",
    )
    description = serializers.CharField(
        max_length=1500, required=False, allow_blank=True, default="", help_text="Alt text."
    )


def like_status_serializer(name: str, subject: str, example_id: int, like_count: int):
    """The answer of liking a post or a comment (`subject`): which one, that the caller likes
    it, and its total of likes. One shape for both, documented with its own example."""
    fields = {
        subject: serializers.IntegerField(read_only=True, help_text=f"The {subject}'s id."),
        "liked_by_me": serializers.BooleanField(read_only=True),
        "like_count": serializers.IntegerField(read_only=True),
    }
    example = {subject: example_id, "liked_by_me": True, "like_count": like_count}
    serializer = type(name, (serializers.Serializer,), {"__module__": __name__, **fields})
    return extend_schema_serializer(examples=[response_example("Liked", example)])(serializer)
