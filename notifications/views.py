"""The caller's notifications: list, unread count, mark read, dismiss.

Reads start from `Notification.objects.of(recipient)` narrowed by the other apps' visibility
rules (`visible_notifications`); writes go through `notifications.services`. A page renders
its posts and comments as the feed and comment lists do, each in one query for the page.
"""

from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from notifications import openapi
from notifications.filters import NotificationFilter
from notifications.models import Notification
from notifications.serializers import (
    MarkReadSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
)
from notifications.services import notification_dismiss, notifications_mark_read
from post.models import Comment, Post
from post.serializers.posts import CommentSerializer, PostSerializer
from user.models import User, unmuted_by


def visible_notifications(recipient):
    """The recipient's notifications that are listed and counted: those whose actor, post and
    comment the recipient may still see, by the same rules every other read uses, less what
    accounts the recipient mutes did."""
    return Notification.objects.of(recipient).with_visible_subjects(
        actors=User.objects.visible_to(recipient).filter(unmuted_by(recipient, "pk")),
        posts=Post.objects.visible_to(recipient),
        comments=Comment.objects.visible_to(recipient),
    )


@openapi.notifications
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = NotificationFilter
    cursor_ordering = ("-id",)
    # At most 18 digits: a larger number is no id (and would overflow a bigint).
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        # The post too: its originals' ids let `rows_of` read the page's posts in one go.
        return visible_notifications(self.request.user).select_related("actor", "post")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), **self.subjects(page)}
        return self.get_paginated_response(
            NotificationSerializer(page, many=True, context=context).data
        )

    def subjects(self, page) -> dict:
        """The page's posts and comments, rendered as everywhere else: one query each
        (`PostQuerySet.rows_of` for the posts and their originals), none when the page has
        none."""
        viewer, context = self.request.user, self.get_serializer_context()
        found_posts = {n.post_id: n.post for n in page if n.post_id}
        comment_ids = {n.comment_id for n in page if n.comment_id}
        posts, comments = {}, {}
        if found_posts:
            rows = Post.objects.for_viewer(viewer).rows_of(found_posts.values())
            rendered = PostSerializer(rows, many=True, context=context).data
            posts = {row["id"]: data for row, data in zip(rows, rendered, strict=True)}
        if comment_ids:
            found = Comment.objects.for_viewer(viewer).filter(pk__in=comment_ids)
            comments = {
                data["id"]: data
                for data in CommentSerializer(found, many=True, context=context).data
            }
        return {"posts": posts, "comments": comments}

    @openapi.unread_count
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[])
    def unread_count(self, request):
        count = visible_notifications(request.user).unread().count()
        return Response(UnreadCountSerializer({"count": count}).data)

    @openapi.mark_read
    @action(detail=False, methods=["post"], url_path="read", filter_backends=[])
    def mark_read(self, request):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        notifications_mark_read(recipient=request.user, up_to=body.validated_data.get("up_to"))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @openapi.dismiss
    def destroy(self, request, pk=None):
        if not notification_dismiss(recipient=request.user, notification_id=int(pk)):
            raise NotFound("No such notification.")
        return Response(status=status.HTTP_204_NO_CONTENT)
