"""Comments on posts (and replies to comments), their likes and mentions."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from social_media.db import active_count
from user.models import account_visible

from .interactions import Mark, Mention
from .posts import Post


class CommentQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Comments `viewer` may read: on posts they may read, by accounts `viewer` may see
        (active, no block either way), and, for a reply, to a comment by such an account:
        a thread loses the hidden comment with its direct replies, whose `in_reply_to` would
        name it."""
        return self.filter(post__in=Post.objects.visible_to(viewer)).filter(
            account_visible(viewer, "author"),
            Q(in_reply_to__isnull=True) | account_visible(viewer, "in_reply_to__author"),
        )

    def for_viewer(self, viewer):
        """What a comment is rendered from (`CommentSerializer`): the visible comments with
        their authors, counts, the viewer's like and the users they mention (one more query
        per page)."""
        comments = (
            self.visible_to(viewer)
            .select_related("author")
            .prefetch_related(
                Prefetch(
                    "mention_rows",
                    # Across a block a mention is plain text (no entry).
                    queryset=CommentMention.objects.shown()
                    .filter(account_visible(viewer, "user"))
                    .select_related("user")
                    .order_by("id"),
                    to_attr="shown_mentions",
                )
            )
        )
        if viewer is not None and viewer.is_authenticated:
            comments = comments.annotate(
                liked_by_me=Exists(CommentLike.objects.filter(comment=OuterRef("pk"), user=viewer))
            )
        return comments

    def live_counts(self) -> dict:
        """What the counters must hold (see `PostQuerySet.live_counts`): direct replies and
        likes by active accounts."""
        return {
            "reply_count": active_count(Comment, "in_reply_to", by="author"),
            "like_count": active_count(CommentLike, "comment", by="user"),
        }

    def on_post(self, post):
        return self.filter(post=post)

    def top_level(self):
        return self.filter(in_reply_to__isnull=True)

    def replies_to(self, comment):
        return self.filter(in_reply_to=comment)


class Comment(models.Model):
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    # A reply to a comment on the same post; null for a top-level comment.
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        db_index=False,
    )
    # Empty for a tombstone: a deleted comment kept because replies hang from it.
    text = models.CharField(max_length=1000, blank=True)
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Totals, as on posts (post/services/counters.py): direct replies and likes.
    reply_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "created_at", "id"], name="comment_post_oldest"),
            models.Index(
                fields=["in_reply_to", "created_at", "id"],
                condition=Q(in_reply_to__isnull=False),
                name="comment_replies_oldest",
            ),
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.post_id}"


class CommentLike(Mark):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")

    verb = "likes comment"

    # Not `Mark.Meta`: nobody lists the comments they liked, so no index for it.
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="commentlike_unique_pair"),
        ]


class CommentMention(Mention):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mention_rows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="commentmention_unique_pair"),
        ]
