"""Comments: threads of replies, their likes and mentions."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from post.serializers.blocks import (
    AUTHOR_EXAMPLE,
    MentionSerializer,
    ShortUserSerializer,
    like_status_serializer,
)
from social_media.db import MAX_ID
from social_media.openapi import request_example, response_example


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
                "text": "The carry mechanism still bothers me, @ada_l.",
                "in_reply_to": 5001,
                "reply_count": 0,
                "mentions": [AUTHOR_EXAMPLE],
                "like_count": 4,
                "liked_by_me": False,
                "deleted": False,
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
    text = serializers.CharField(
        min_length=1,
        max_length=1000,
        trim_whitespace=True,
        help_text="Empty on a deleted comment kept for its replies (`deleted` true).",
    )
    in_reply_to = serializers.IntegerField(
        source="in_reply_to_id",
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="The comment (on the same post) this one replies to; null at the top "
        "level. Set when writing a reply, never changed by an edit.",
    )
    reply_count = serializers.IntegerField(read_only=True, help_text="Direct replies.")
    mentions = MentionSerializer(
        many=True,
        read_only=True,
        source="shown_mentions",
        help_text="The existing accounts named with `@username` in the text (at most 10).",
    )
    like_count = serializers.IntegerField(read_only=True)
    liked_by_me = serializers.BooleanField(
        read_only=True, allow_null=True, default=None, help_text="Null when anonymous."
    )
    deleted = serializers.BooleanField(
        read_only=True, help_text="True for a deleted comment kept because it has replies."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


CommentLikeStatusSerializer = like_status_serializer(
    "CommentLikeStatusSerializer", "comment", example_id=5003, like_count=5
)
