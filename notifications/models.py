"""Notifications: one row per interaction that concerns someone other than its actor.

The other apps' models are referenced by name only (`settings.AUTH_USER_MODEL`, "post.Post",
"post.Comment"): they call `notifications.services`, never the other way round, so this app
depends on none of them. What a recipient may see of a notification's actor, post and
comment is the other apps' visibility rule, handed in by the views (`with_visible_subjects`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.utils import timezone


class NotificationType(models.TextChoices):
    FOLLOW = "follow"
    FOLLOW_REQUEST = "follow_request"
    FOLLOW_ACCEPTED = "follow_accepted"
    LIKE = "like"
    COMMENT = "comment"
    REPLY = "reply"
    COMMENT_LIKE = "comment_like"
    MENTION = "mention"
    REPOST = "repost"
    QUOTE = "quote"
    SCHEDULED_PUBLISHED = "scheduled_published"
    SCHEDULED_FAILED = "scheduled_failed"


Type = NotificationType
# About the recipient's own post: the actor is the recipient.
SELF_TYPES = frozenset({Type.SCHEDULED_PUBLISHED, Type.SCHEDULED_FAILED})
# "Exactly once" per cause: an action that can be undone and done again (like, follow,
# repost), or repeated by a retry, leaves at most one row, whatever the races. The partial
# unique indexes below settle concurrent duplicates; the insert is ON CONFLICT DO NOTHING.
ONCE_PER_POST = (Type.LIKE, Type.REPOST, Type.QUOTE, Type.MENTION, Type.SCHEDULED_PUBLISHED)
ONCE_PER_COMMENT = (Type.COMMENT, Type.REPLY, Type.COMMENT_LIKE, Type.MENTION)
ONCE_PER_ACTOR = (Type.FOLLOW, Type.FOLLOW_REQUEST, Type.FOLLOW_ACCEPTED)


def _found_in(queryset, column):
    """True when the row `column` refers to is in `queryset`, else NULL: a scalar subquery on
    the primary key, which PostgreSQL runs once per notification row it reads. An EXISTS in
    the same place (inside `post_id IS NULL OR …`) is planned, once many rows are expected,
    as a hash of the whole visible set built on every request: the unread count of a
    recipient with a long read history then read every post for its five unread rows (see
    bench/analysis.md, "Notifications"); a join is no better, it hashes on the same estimate.
    """
    return Subquery(queryset.filter(pk=OuterRef(column)).order_by().values(found=Value(True)))


class NotificationQuerySet(models.QuerySet):
    def of(self, recipient):
        return self.filter(recipient=recipient)

    def unread(self):
        return self.filter(read=False)

    def of_types(self, types):
        return self.filter(type__in=types)

    def with_visible_subjects(self, *, actors, posts, comments):
        """Rows whose actor, post and comment the recipient may still see. Each argument is a
        queryset of what the recipient may see (the owning app's `visible_to`): a deactivated
        actor or an author's deactivated account hides the notification, and its return shows
        it again."""
        return self.filter(
            Q(_found_in(actors, "actor_id")),
            Q(post__isnull=True) | Q(_found_in(posts, "post_id")),
            Q(comment__isnull=True) | Q(_found_in(comments, "comment_id")),
        )

    def read_before(self, moment):
        return self.filter(read=True, created_at__lt=moment)


class Notification(models.Model):
    Type = NotificationType

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    type = models.CharField(max_length=32, choices=NotificationType.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Deleting the post or comment deletes what was said about it.
    post = models.ForeignKey(
        "post.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "post.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read = models.BooleanField(default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The list, newest first; ids grow with time, so the id is the order.
            models.Index(F("recipient"), F("id").desc(), name="notification_recipient_recent"),
            # The unread count and `?unread=true`: only unread rows are in it, so a recipient
            # with 100,000 read notifications and 3 unread reads 3 index entries (see
            # bench/analysis.md, "Notifications").
            models.Index(
                F("recipient"),
                F("id").desc(),
                condition=Q(read=False),
                name="notification_unread",
            ),
            # Retention: the read rows past their age, oldest first, a batch at a time.
            models.Index(
                fields=["created_at"], condition=Q(read=True), name="notification_read_age"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "type", "actor", "post"],
                condition=Q(type__in=ONCE_PER_POST, comment__isnull=True),
                name="notification_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["recipient", "type", "actor", "comment"],
                condition=Q(type__in=ONCE_PER_COMMENT, comment__isnull=False),
                name="notification_once_per_comment",
            ),
            models.UniqueConstraint(
                fields=["recipient", "type", "actor"],
                condition=Q(type__in=ONCE_PER_ACTOR),
                name="notification_once_per_actor",
            ),
        ]

    def __str__(self):
        return f"{self.type} for {self.recipient_id} by {self.actor_id}"
