from collections.abc import Callable
from functools import cached_property
from operator import itemgetter

from django.conf import settings
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from post.models import Media, Post
from post.serializers.blocks import (  # noqa: F401 (also imported from here by other apps)
    AUTHOR_EXAMPLE,
    MEDIA_EXAMPLE,
    MENTION_EXAMPLE,
    MediaSerializer,
    MediaUploadSerializer,
    ShortUserSerializer,
    like_status_serializer,
)
from post.serializers.comments import (  # noqa: F401 (also imported from here by other apps)
    CommentLikeStatusSerializer,
    CommentSerializer,
)
from post.services.posts import MAX_MEDIA_PER_POST
from social_media.db import MAX_ID
from social_media.openapi import request_example, response_example
from social_media.representations import datetime_formatter


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
# Read-only. A post is rendered from a row of `PostQuerySet.as_rows()`, not from a model
# instance (see `PostSerializer.to_representation`); its author block and media items are the
# classes of `blocks`. The time zone and URL builders are looked up once per serializer.


class OriginalPostField(serializers.Field):
    """`repost_of`/`quote_of`: the original post's full representation (its own `repost_of`
    and `quote_of` null: one level deep), or null. Documented as a `Post` below."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)


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
                "mentions": [MENTION_EXAMPLE],
                "repost_count": 2,
                "reposted_by_me": False,
                "bookmarked_by_me": True,
                "repost_of": None,
                "quote_of": None,
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
    mentions = ShortUserSerializer(
        many=True,
        read_only=True,
        help_text="The existing accounts named with `@username` in the text (at most 10).",
    )
    repost_count = serializers.IntegerField(read_only=True)
    reposted_by_me = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Null when the request is anonymous."
    )
    bookmarked_by_me = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="Your own bookmark (nobody else sees it); null when anonymous.",
    )
    repost_of = OriginalPostField(
        help_text="On a repost (empty `text`): the original post, or null when it was deleted "
        "or you may not see it."
    )
    quote_of = OriginalPostField(
        help_text="On a quote: the quoted post, or null when it was deleted or you may not see it."
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
            if isinstance(field, serializers.ListSerializer) and isinstance(
                field.child, ShortUserSerializer
            ):
                user = field.child.renderer(request)
                fields = itemgetter("id", "username", "display_name", "avatar")
                return lambda row: [user(*fields(values)) for values in row[key]]
            if isinstance(field, OriginalPostField):
                # The original's row has the same shape, its own originals None.
                return lambda row: None if row[key] is None else self.to_representation(row[key])
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
    """`text`, `media_ids` and `quote_of`; author, counts and timestamps are never taken
    from a client."""

    quote_of = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text="Quote this post (one you can see): your text, shown with it.",
    )

    def validate_quote_of(self, post_id):
        if post_id is None:
            return None
        quoted = (
            Post.objects.visible_to(self.context["request"].user)
            .filter(pk=post_id)
            .values_list("id", "repost_of_id")
            .first()
        )
        if quoted is None:
            raise serializers.ValidationError("No post with this id.")
        # Quoting a repost quotes what it reposts.
        return quoted[1] or quoted[0]


@extend_schema_serializer(
    examples=[request_example("New text", {"text": "Sketched the mill twice today. #engines"})]
)
class PostUpdateSerializer(serializers.Serializer):
    """Edits change the text (and so the hashtags); the media stay as they were attached."""

    text = serializers.CharField(min_length=1, max_length=2000, trim_whitespace=True)


@extend_schema_serializer(
    examples=[response_example("A tag", {"name": "django", "post_count": 1520})]
)
class HashtagSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text="Lower-cased, without `#`.")
    post_count = serializers.IntegerField(read_only=True)


LikeStatusSerializer = like_status_serializer(
    "LikeStatusSerializer", "post", example_id=1001, like_count=13
)


@extend_schema_serializer(
    examples=[response_example("Bookmarked", {"post": 1001, "bookmarked_by_me": True})]
)
class BookmarkStatusSerializer(serializers.Serializer):
    post = serializers.IntegerField(read_only=True, help_text="The post's id.")
    bookmarked_by_me = serializers.BooleanField(read_only=True)


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


# The nested original is a post like any other: the schema's `Post` component (a reference,
# so the recursion stops there), rendered by `PostSerializer.renderers`.
extend_schema_field(PostSerializer)(OriginalPostField)
