"""What accounts do to a post: likes, bookmarks, and the mentions of a text (the abstract
`Mention` is shared with comments)."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone

from .posts import Post


class Like(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes", db_index=False
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Also the index for "did this user like this post" (liked_by_me).
            models.UniqueConstraint(fields=["user", "post"], name="like_unique_pair"),
        ]
        indexes = [
            models.Index(
                F("user"), F("created_at").desc(), F("id").desc(), name="like_user_recent"
            ),
            models.Index(
                F("post"), F("created_at").desc(), F("id").desc(), name="like_post_recent"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} likes {self.post_id}"


class Bookmark(models.Model):
    """A private mark: only its user ever sees or counts it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="bookmark_unique_pair"),
        ]
        indexes = [
            models.Index(
                F("user"), F("created_at").desc(), F("id").desc(), name="bookmark_user_recent"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} bookmarked {self.post_id}"


class MentionQuerySet(models.QuerySet):
    def shown(self):
        """The mentions the text makes now, of active accounts."""
        return self.filter(in_text=True, user__is_active=True)


class Mention(models.Model):
    """A user named with `@username` in a text. The row stays when an edit drops the name
    (`in_text` false): it is the record that the user was notified, so a name removed and
    written again does not notify twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    in_text = models.BooleanField(default=True)

    objects = MentionQuerySet.as_manager()

    class Meta:
        abstract = True


class PostMention(Mention):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mention_rows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="postmention_unique_pair"),
        ]

    def __str__(self):
        return f"{self.post_id} @{self.user_id}"
