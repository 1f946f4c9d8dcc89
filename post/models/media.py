"""Uploaded images, and the random names they are stored under."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .posts import Post
from .scheduled import ScheduledPost


def _random_name(folder: str, filename: str) -> str:
    # The client's file name is never used: it may carry paths, scripts or personal data.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def media_upload_path(instance, filename):
    return _random_name("media", filename)


def thumbnail_upload_path(instance, filename):
    return _random_name("thumbnails", filename)


class Media(models.Model):
    """An uploaded image: owned by its uploader until attached to one post or scheduled post."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media"
    )
    file = models.ImageField(upload_to=media_upload_path)
    thumbnail = models.ImageField(upload_to=thumbnail_upload_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    description = models.CharField(max_length=1500, blank=True)
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="media"
    )
    scheduled_post = models.ForeignKey(
        ScheduledPost, on_delete=models.SET_NULL, null=True, blank=True, related_name="media"
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=True) | Q(scheduled_post__isnull=True),
                name="media_single_attachment",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(post__isnull=True, scheduled_post__isnull=True),
                name="media_unattached_age",
            ),
        ]

    def __str__(self):
        return f"Media {self.pk}"
