"""What accounts do to a post: likes, bookmarks, and the mentions of a text (the abstract
`Mark` and `Mention` are shared with comments)."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone

from .posts import Post


def _marked_id(row) -> int:
    """The id of what `row` (a mark or mention) is about: its foreign key other than `user`."""
    field = next(f for f in row._meta.concrete_fields if f.is_relation and f.name != "user")
    return getattr(row, field.attname)


class Mark(models.Model):
    """An account's mark on a post or comment (a like, a bookmark): one per account and
    object, by the subclass's unique constraint. `Meta.indexes` is the account's own list of
    them, newest first; a subclass without such a list declares a `Meta` of its own."""

    verb: str  # for `str()`: "3 likes 7"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        indexes = [
            models.Index(
                F("user"), F("created_at").desc(), F("id").desc(), name="%(class)s_user_recent"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.verb} {_marked_id(self)}"


class Like(Mark):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes", db_index=False
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes", db_index=False)

    verb = "likes"

    class Meta(Mark.Meta):
        constraints = [
            # Also the index for "did this user like this post" (liked_by_me).
            models.UniqueConstraint(fields=["user", "post"], name="like_unique_pair"),
        ]
        indexes = [
            *Mark.Meta.indexes,
            models.Index(
                F("post"), F("created_at").desc(), F("id").desc(), name="like_post_recent"
            ),
        ]


class Bookmark(Mark):
    """A private mark: only its user ever sees or counts it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")

    verb = "bookmarked"

    class Meta(Mark.Meta):
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="bookmark_unique_pair"),
        ]


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

    def __str__(self):
        return f"{_marked_id(self)} @{self.user_id}"


class PostMention(Mention):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mention_rows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="postmention_unique_pair"),
        ]
