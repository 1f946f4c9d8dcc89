"""Comments: a post's top-level comments, threads of replies, edits, deletions and likes.

Reads start from `Comment.objects.for_viewer`; writes go through `post.services.interactions`.
"""

from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from idempotency.decorators import idempotent
from post import openapi
from post.models import Comment, Post
from post.permissions import IsAuthorOrReadOnly
from post.serializers.posts import CommentLikeStatusSerializer, CommentSerializer
from post.services.interactions import (
    comment_create,
    comment_delete,
    comment_like_create,
    comment_like_delete,
    comment_update,
)
from post.views.posts import schema_generation, visible_post
from social_media.views import created_or_existing, vanished_is_not_found

OLDEST_FIRST = ("created_at", "id")


class CommentRepresentationMixin:
    def represent(self, comment: Comment) -> dict:
        """A written comment as the lists show it (counts, mentions), read afresh."""
        fresh = Comment.objects.for_viewer(self.request.user).filter(pk=comment.pk).first()
        if fresh is None:
            # Deleted between the write's commit and this read.
            raise NotFound("This comment no longer exists.")
        return CommentSerializer(fresh, context=self.get_serializer_context()).data


@openapi.post_comments
class PostCommentViewSet(
    CommentRepresentationMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """`/posts/{post_id}/comments/`: the top-level comments, oldest first, so a thread reads
    top to bottom; replies are read per comment (`/comments/{id}/replies/`)."""

    serializer_class = CommentSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = []
    cursor_ordering = OLDEST_FIRST

    def commented_post(self) -> Post:
        return visible_post(self.request.user, self.kwargs["post_id"])

    def get_queryset(self):
        if schema_generation(self):
            return Comment.objects.none()
        post = self.commented_post()
        return Comment.objects.for_viewer(self.request.user).on_post(post).top_level()

    @idempotent
    def create(self, request, post_id=None):
        post = self.commented_post()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with vanished_is_not_found(Post):
            comment = comment_create(
                author=request.user,
                post=post,
                text=serializer.validated_data["text"],
                in_reply_to=serializer.validated_data.get("in_reply_to_id"),
            )
        return Response(self.represent(comment), status=status.HTTP_201_CREATED)


@openapi.comments
class CommentViewSet(
    CommentRepresentationMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CommentSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, IsAuthorOrReadOnly]
    filter_backends = []
    # The replies' order (`replies`, the one list here).
    cursor_ordering = OLDEST_FIRST

    def get_queryset(self):
        if self.action in ("like", "unlike", "destroy", "update", "partial_update"):
            # The row only (its author for the permission); answers are read afresh.
            return Comment.objects.visible_to(self.request.user)
        return Comment.objects.for_viewer(self.request.user)

    def update(self, request, *args, partial=False, **kwargs):
        comment = self.get_object()
        serializer = self.get_serializer(comment, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        # A PATCH without `text` is a no-op edit, not a KeyError (500); `in_reply_to` stays.
        comment_update(comment=comment, text=serializer.validated_data.get("text", comment.text))
        return Response(self.represent(comment))

    def perform_destroy(self, instance):
        comment_delete(comment=instance)

    @openapi.replies
    @action(detail=True, methods=["get"])
    def replies(self, request, pk=None):
        comment = self.get_object()
        replies = Comment.objects.for_viewer(request.user).replies_to(comment)
        page = self.paginate_queryset(replies)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @openapi.comment_like
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def like(self, request, pk=None):
        comment = self.get_object()
        with vanished_is_not_found(Comment, "This comment no longer exists."):
            created = comment_like_create(user=request.user, comment=comment)
        counted = Comment.objects.filter(pk=comment.pk)
        like_count = counted.values_list("like_count", flat=True).first() or 0
        body = {"comment": comment.pk, "liked_by_me": True, "like_count": like_count}
        return created_or_existing(CommentLikeStatusSerializer(body).data, created)

    @openapi.comment_unlike
    @like.mapping.delete
    def unlike(self, request, pk=None):
        comment_like_delete(user=request.user, comment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
