from collections.abc import Callable
from functools import cached_property
from operator import itemgetter

from django.conf import settings
from django.db.models import Q
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from post.models import MEDIA_ROW_COLUMNS, Media
from post.services.posts import MAX_MEDIA_PER_POST
from social_media.db import MAX_ID
from social_media.openapi import request_example, response_example
from social_media.representations import datetime_formatter, file_url_builder
from user.models import User


class IdListField(serializers.ListField):
    """A list of ids whose errors keep the documented shape `{"field": ["message", ...]}`.

    DRF's ListField reports item errors as `{"0": [...]}`; clients (and the schema) expect a
    list of messages, so each one names its item instead.
    """

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            if not isinstance(error.detail, dict):
                raise
            raise serializers.ValidationError(
                [
                    f"Item {index}: {message}"
                    for index, item_messages in error.detail.items()
                    for message in item_messages
                ]
            ) from None


class PostContentSerializer(serializers.Serializer):
    """What a post and a scheduled post both consist of, validated by the same rules."""

    text = serializers.CharField(min_length=1, max_length=2000, trim_whitespace=True)
    media_ids = IdListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MAX_MEDIA_PER_POST,
        required=False,
        default=list,
        help_text=f"Up to {MAX_MEDIA_PER_POST} ids of your own unattached uploads "
        "(`POST /api/v1/media/`), in display order.",
    )

    def validate_media_ids(self, media_ids):
        if len(set(media_ids)) != len(media_ids):
            raise serializers.ValidationError("The same media is listed twice.")
        available = Media.objects.filter(
            id__in=media_ids, owner=self.context["request"].user
        ).filter(self.attachable_media_condition())
        missing = set(media_ids) - set(available.values_list("id", flat=True))
        if missing:
            raise serializers.ValidationError(
                f"Not unattached uploads of yours: {', '.join(map(str, sorted(missing)))}."
            )
        return media_ids

    def attachable_media_condition(self):
        """Uploads this object may take: unattached ones. Subclasses widen it on edits."""
        return Q(post__isnull=True, scheduled_post__isnull=True)


# --- Representations ---------------------------------------------------------------------
# Read-only. Each class declares the fields (what the OpenAPI schema shows) and renders
# them. A post is rendered from a row of `PostQuerySet.as_rows()`, not from a model instance
# (see `PostSerializer.to_representation`); its author block and media items are the same
# classes a comment's author and an upload are rendered with. URL builders and the time
# zone are looked up once per serializer, so once per page.


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


@extend_schema_serializer(
    examples=[
        response_example(
            "A post",
            {
                "id": 1001,
                "author": AUTHOR_EXAMPLE,
                "text": "Sketched the mill again today. #Engines #history",
                "hashtags": ["engines", "history"],
                "media": [MEDIA_EXAMPLE],
                "created_at": "2026-10-14T08:15:02.311Z",
                "updated_at": "2026-10-14T08:15:02.311Z",
                "like_count": 12,
                "comment_count": 3,
                "liked_by_me": True,
            },
        )
    ]
)
class PostSerializer(serializers.Serializer):
    # Renders rows of `PostQuerySet.as_rows()`; a field's `source` is its key in the row.
    id = serializers.IntegerField(read_only=True)
    author = ShortUserSerializer(read_only=True)
    text = serializers.CharField(read_only=True)
    hashtags = serializers.ListField(
        child=serializers.CharField(),
        source="hashtag_names",
        read_only=True,
        help_text="Lower-cased names, without `#`.",
    )
    media = MediaSerializer(many=True, read_only=True, source="media_items")
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    like_count = serializers.IntegerField(read_only=True)
    comment_count = serializers.IntegerField(read_only=True)
    # The annotation exists only for an authenticated viewer (see `with_viewer_state`).
    liked_by_me = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="Whether you like this post; null when the request is anonymous.",
    )

    def to_representation(self, row: dict) -> dict:
        # DRF's own rendering (get_attribute and to_representation per field, a nested
        # serializer per author and media item, the declared fields deep-copied per
        # serializer) costs several times this per page. The renderers are derived from the
        # declared fields once per serializer, so the declarations stay the one description
        # of a post's JSON: a field of a plain type needs nothing more than its line.
        return {name: render(row) for name, render in self.renderers}

    @cached_property
    def renderers(self) -> list[tuple[str, Callable[[dict], object]]]:
        request = self.context.get("request")
        iso = datetime_formatter()
        plain_types = (
            serializers.IntegerField,
            serializers.CharField,
            serializers.BooleanField,
            serializers.ListField,
        )

        def renderer(name, field):
            key = field.source or name
            if isinstance(field, ShortUserSerializer):
                # The author's columns are joined into the row as `author_id`, `author__*`.
                block = field.renderer(request)
                columns = itemgetter(
                    f"{key}_id", f"{key}__username", f"{key}__display_name", f"{key}__avatar"
                )
                return lambda row: block(*columns(row))
            if isinstance(field, serializers.ListSerializer) and isinstance(
                field.child, MediaSerializer
            ):
                item = field.child.renderer(request)
                return lambda row: [item(values) for values in row[key]]
            if isinstance(field, serializers.DateTimeField):
                return lambda row: iso(row[key])
            if type(field) in plain_types:
                # Already of its JSON type in the row; an annotation only some viewers get
                # (`liked_by_me`) is null for the others.
                return (lambda row: row.get(key)) if field.allow_null else itemgetter(key)
            bound = self.fields[name]
            return lambda row: bound.to_representation(bound.get_attribute(row))

        # The class's declarations, unbound: binding copies every field per serializer.
        return [(name, renderer(name, field)) for name, field in self._declared_fields.items()]


@extend_schema_serializer(
    examples=[
        request_example(
            "Text and one image",
            {"text": "Sketched the mill again today. #Engines #history", "media_ids": [311]},
        )
    ]
)
class PostCreateSerializer(PostContentSerializer):
    """`text` and `media_ids`; author, counts and timestamps are never taken from a client."""


@extend_schema_serializer(
    examples=[request_example("New text", {"text": "Sketched the mill twice today. #engines"})]
)
class PostUpdateSerializer(serializers.Serializer):
    """Edits change the text (and so the hashtags); the media stay as they were attached."""

    text = serializers.CharField(min_length=1, max_length=2000, trim_whitespace=True)


@extend_schema_serializer(
    examples=[
        request_example("A reply", {"text": "The carry mechanism still bothers me."}),
        response_example(
            "A comment",
            {
                "id": 5003,
                "post": 1001,
                "author": {
                    "id": 7,
                    "username": "charles_b",
                    "display_name": "Charles Babbage",
                    "avatar": None,
                },
                "text": "The carry mechanism still bothers me.",
                "created_at": "2026-10-14T09:02:40.125Z",
                "updated_at": "2026-10-14T09:02:40.125Z",
            },
        ),
    ]
)
class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    post = serializers.IntegerField(source="post_id", read_only=True, help_text="The post's id.")
    author = ShortUserSerializer(read_only=True)
    text = serializers.CharField(min_length=1, max_length=1000, trim_whitespace=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


@extend_schema_serializer(
    examples=[response_example("A tag", {"name": "django", "post_count": 1520})]
)
class HashtagSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text="Lower-cased, without `#`.")
    post_count = serializers.IntegerField(read_only=True)


@extend_schema_serializer(
    examples=[response_example("Liked", {"post": 1001, "liked_by_me": True, "like_count": 13})]
)
class LikeStatusSerializer(serializers.Serializer):
    post = serializers.IntegerField(read_only=True, help_text="The post's id.")
    liked_by_me = serializers.BooleanField(read_only=True)
    like_count = serializers.IntegerField(read_only=True)


class TrendingQuerySerializer(serializers.Serializer):
    """The query string of `GET /hashtags/trending/`."""

    hours = serializers.IntegerField(
        min_value=1, max_value=168, default=24, help_text="The window, in hours."
    )
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=settings.MAX_PAGE_SIZE,
        default=settings.PAGE_SIZE,
        help_text="How many tags.",
    )
