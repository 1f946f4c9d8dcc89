"""The notification representation: the post and comment as the feed and comment lists show
them, rendered once per page by the view (`NotificationPage`) and looked up here by id."""

from collections.abc import Callable
from functools import cached_property

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from notifications.models import Notification
from post.serializers.posts import (
    AUTHOR_EXAMPLE,
    CommentSerializer,
    PostSerializer,
    ShortUserSerializer,
)
from social_media.db import MAX_ID
from social_media.openapi import request_example, response_example
from social_media.representations import datetime_formatter

ME = {"id": 7, "username": "charles_b", "display_name": "Charles Babbage", "avatar": None}
POST = {
    "id": 1001,
    "author": ME,
    "text": "Sketched the mill again today. #Engines #history",
    "hashtags": ["engines", "history"],
    "media": [],
    "created_at": "2026-10-14T08:15:02.311Z",
    "updated_at": "2026-10-14T08:15:02.311Z",
    "like_count": 12,
    "comment_count": 3,
    "liked_by_me": False,
}
COMMENT = {
    "id": 5003,
    "post": 1001,
    "author": AUTHOR_EXAMPLE,
    "text": "The carry mechanism still bothers me, @charles_b.",
    "created_at": "2026-10-14T09:02:40.125Z",
    "updated_at": "2026-10-14T09:02:40.125Z",
}
# One example per type: (actor, post, comment) as each type carries them.
_SHAPES = {
    "follow": (AUTHOR_EXAMPLE, None, None),
    "follow_request": (AUTHOR_EXAMPLE, None, None),
    "follow_accepted": (AUTHOR_EXAMPLE, None, None),
    "like": (AUTHOR_EXAMPLE, POST, None),
    "comment": (AUTHOR_EXAMPLE, POST, COMMENT),
    "reply": (AUTHOR_EXAMPLE, POST, COMMENT),
    "comment_like": (AUTHOR_EXAMPLE, POST, COMMENT),
    "mention": (AUTHOR_EXAMPLE, POST, COMMENT),
    "repost": (AUTHOR_EXAMPLE, POST, None),
    "quote": (AUTHOR_EXAMPLE, {**POST, "id": 1002, "author": AUTHOR_EXAMPLE}, None),
    "scheduled_published": (ME, POST, None),
    "scheduled_failed": (ME, None, None),
}
LIST_EXAMPLES = [
    response_example(
        kind.replace("_", " ").capitalize(),
        {
            "id": 90001 + number,
            "type": kind,
            "actor": actor,
            "post": post,
            "comment": comment,
            "created_at": "2026-10-14T09:02:40.125Z",
            "read": number % 2 == 1,
        },
    )
    for number, (kind, (actor, post, comment)) in enumerate(_SHAPES.items())
]


@extend_schema_serializer(examples=LIST_EXAMPLES)
class NotificationSerializer(serializers.Serializer):
    """Renders instances with `actor` selected; `context["posts"]` and `context["comments"]`
    map ids to the rendered post and comment (missing: no longer visible, rendered null)."""

    id = serializers.IntegerField(read_only=True)
    type = serializers.ChoiceField(choices=Notification.Type.choices, read_only=True)
    actor = ShortUserSerializer(
        read_only=True, help_text="Who did it; you, for your own scheduled post's fate."
    )
    post = PostSerializer(
        read_only=True, allow_null=True, help_text="The post it is about, as in the feed."
    )
    comment = CommentSerializer(
        read_only=True,
        allow_null=True,
        help_text="For `comment`, `reply`, `comment_like` and a mention made in a comment.",
    )
    created_at = serializers.DateTimeField(read_only=True)
    read = serializers.BooleanField(read_only=True)

    def to_representation(self, notification):
        posts, comments = self.context["posts"], self.context["comments"]
        actor = notification.actor
        return {
            "id": notification.pk,
            "type": notification.type,
            "actor": self._actor(actor.pk, actor.username, actor.display_name, actor.avatar.name),
            "post": posts.get(notification.post_id),
            "comment": comments.get(notification.comment_id),
            "created_at": self._iso(notification.created_at),
            "read": notification.read,
        }

    # Looked up once per serializer, so once per page (as `PostSerializer` does).
    @cached_property
    def _actor(self) -> Callable[..., dict]:
        return ShortUserSerializer.renderer(self.context.get("request"))

    @cached_property
    def _iso(self) -> Callable:
        return datetime_formatter()


@extend_schema_serializer(examples=[response_example("Three unread", {"count": 3})])
class UnreadCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(read_only=True, help_text="Unread notifications listed.")


@extend_schema_serializer(
    examples=[
        request_example("Up to the newest one seen", {"up_to": 90012}),
        request_example("All", {}),
    ]
)
class MarkReadSerializer(serializers.Serializer):
    up_to = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Mark notifications with an id up to this one; all when absent.",
    )
