"""Scheduled posts: the caller's own, listed soonest first, editable until published.

Writes go through `post.services.scheduling`; the OpenAPI documentation lives in
`post/openapi/scheduled.py`.
"""

from django.db.models import Prefetch
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from idempotency.decorators import IdempotentCreateMixin
from post.filters import ScheduledPostFilter
from post.models import Media, ScheduledPost
from post.openapi import scheduled as openapi_scheduled
from post.serializers.scheduled import ScheduledPostSerializer
from post.services.scheduling import (
    scheduled_post_cancel,
    scheduled_post_create,
    scheduled_post_update,
)
from post.views.posts import schema_generation
from social_media.exceptions import Conflict
from social_media.throttling import ScopedRateThrottle


@openapi_scheduled.scheduled_posts
class ScheduledPostViewSet(
    IdempotentCreateMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ScheduledPostSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = ScheduledPostFilter
    cursor_ordering = ("publish_at", "id")
    # PATCH only: a PUT would have to restate every field to change one.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = r"\d+"
    # Scheduling is creating a post, later: it shares the `posts` budget.
    throttle_scope = "posts"

    def get_queryset(self):
        if schema_generation(self):
            return ScheduledPost.objects.none()
        # Another user's scheduled post is a 404: its existence is nobody else's business.
        media = Media.objects.only("id", "post_id", "scheduled_post_id", "position")
        return (
            ScheduledPost.objects.filter(author=self.request.user)
            .select_related("post")
            .prefetch_related(
                Prefetch("media", queryset=media.order_by("position", "id")),
                Prefetch("post__media", queryset=media.order_by("position", "id")),
            )
        )

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action in ("create", "partial_update"):
            throttles.append(ScopedRateThrottle())
        return throttles

    def perform_create(self, serializer):
        scheduled_post = scheduled_post_create(
            author=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=scheduled_post.pk)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        # A final state is a 409 whatever the body says; the service re-checks under a lock.
        if instance.status != ScheduledPost.Status.SCHEDULED:
            raise Conflict(f"This scheduled post is {instance.status}; it can no longer change.")
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(serializer.data)

    def perform_update(self, serializer):
        data = serializer.validated_data
        scheduled_post = scheduled_post_update(
            scheduled_post=serializer.instance,
            text=data.get("text"),
            media_ids=data.get("media_ids"),
            publish_at=data.get("publish_at"),
        )
        # `first()`: the account, and the row with it, may be deleted once the edit commits.
        serializer.instance = self.get_queryset().filter(pk=scheduled_post.pk).first()
        if serializer.instance is None:
            raise NotFound("This scheduled post no longer exists.")

    def perform_destroy(self, instance):
        scheduled_post_cancel(scheduled_post=instance)
