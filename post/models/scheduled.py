"""Scheduled posts: a post's text and media waiting for their publish time."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .posts import Post


class ScheduledPost(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled"
        PUBLISHED = "published"
        CANCELLED = "cancelled"
        FAILED = "failed"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scheduled_posts"
    )
    text = models.CharField(max_length=2000)
    publish_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    # A published post can later be deleted by its author; the schedule then stays
    # `published` with `post` null (the documented "the published post's id, or null").
    post = models.OneToOneField(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scheduled_from",
    )
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["publish_at", "id"]
        indexes = [
            models.Index(fields=["author", "publish_at", "id"], name="scheduled_author_soonest"),
            # The beat sweep reads only pending rows; a partial index keeps it small.
            models.Index(
                fields=["publish_at"],
                condition=Q(status="scheduled"),
                name="scheduled_pending_due",
            ),
        ]

    def __str__(self):
        return f"Scheduled {self.pk} ({self.status}) at {self.publish_at:%Y-%m-%d %H:%M}"
