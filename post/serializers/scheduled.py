from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from post.models import ScheduledPost
from post.serializers.posts import MAX_ID, PostContentSerializer
from post.services.scheduling import publish_at_problem
from social_media.openapi import request_example, response_example


class AwareDateTimeField(serializers.DateTimeField):
    """A datetime that must carry its timezone: a naive one is refused, not guessed as UTC.

    A client in Paris sending `09:00` means 08:00 UTC in winter; guessing would publish at
    the wrong hour without anyone noticing.
    """

    default_error_messages = {
        "naive": "Include a timezone offset, e.g. 2030-01-01T09:00:00Z or +02:00.",
    }

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            self.fail("naive")
        return super().enforce_timezone(value)


_content_media_ids = PostContentSerializer._declared_fields["media_ids"]


# The same field class as a post's `media_ids`, so input errors have the same shape.
class ScheduledMediaIdsField(type(_content_media_ids)):
    """`media_ids` as written, and on reading the uploads the post carries: those still
    attached while pending, the published post's once published, none once released."""

    def get_attribute(self, instance):
        if instance.post_id is not None:
            return [media.pk for media in instance.post.media.all()]
        return [media.pk for media in instance.media.all()]


SCHEDULED_EXAMPLE = {
    "id": 77,
    "text": "Launch day! #release",
    "media_ids": [311],
    "publish_at": "2030-03-01T09:00:00Z",
    "status": "scheduled",
    "post": None,
    "error": "",
    "created_at": "2030-02-20T18:42:10.512Z",
    "updated_at": "2030-02-20T18:42:10.512Z",
}


@extend_schema_serializer(
    examples=[
        request_example(
            "Schedule with an image",
            {
                "text": "Launch day! #release",
                "media_ids": [311],
                "publish_at": "2030-03-01T10:00:00+01:00",
            },
        ),
        request_example(
            "Text only", {"text": "Good morning", "publish_at": "2030-03-02T07:30:00Z"}
        ),
        response_example("Pending", SCHEDULED_EXAMPLE),
        response_example(
            "Published",
            {
                **SCHEDULED_EXAMPLE,
                "status": "published",
                "post": 1001,
                "updated_at": "2030-03-01T09:00:00.204Z",
            },
        ),
        response_example(
            "Failed",
            {
                **SCHEDULED_EXAMPLE,
                "id": 78,
                "media_ids": [],
                "status": "failed",
                "error": "Attached image 311 is no longer available.",
            },
        ),
    ]
)
class ScheduledPostSerializer(PostContentSerializer):
    """Content is validated by `PostContentSerializer`, exactly as for a post; state fields
    (`status`, `post`, `error`, author) are read-only, whatever a client sends."""

    id = serializers.IntegerField(read_only=True)
    media_ids = ScheduledMediaIdsField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=_content_media_ids.max_length,
        required=False,
        default=list,
        help_text=_content_media_ids.help_text,
    )
    publish_at = AwareDateTimeField(
        help_text="When to publish: ISO 8601 with a timezone offset (a naive time is a 400), "
        "in the future, at most 365 days ahead."
    )
    status = serializers.ChoiceField(
        choices=ScheduledPost.Status.choices,
        read_only=True,
        help_text="`scheduled` until published; `published`, `cancelled` and `failed` are final.",
    )
    post = serializers.IntegerField(
        source="post_id",
        read_only=True,
        allow_null=True,
        help_text="The published post's id (`GET /api/v1/posts/{id}/`), or null.",
    )
    error = serializers.CharField(
        read_only=True, help_text="Why publishing failed (status `failed`); empty otherwise."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate_publish_at(self, publish_at):
        problem = publish_at_problem(publish_at)
        if problem:
            raise serializers.ValidationError(problem)
        return publish_at

    def attachable_media_condition(self):
        # On an edit, the uploads this scheduled post already holds may be listed again
        # (to keep or reorder them).
        condition = super().attachable_media_condition()
        if self.instance is not None:
            condition |= Q(scheduled_post=self.instance, post__isnull=True)
        return condition
