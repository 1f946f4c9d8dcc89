from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from post.services.media import media_delete_unattached


@shared_task
def publish_overdue_scheduled_posts() -> int:
    raise NotImplementedError  # implemented by the scheduled-posts work


@shared_task
def delete_unattached_media() -> int:
    """Beat task: remove uploads nobody attached within UNATTACHED_MEDIA_MAX_AGE_HOURS."""
    cutoff = timezone.now() - timedelta(hours=settings.UNATTACHED_MEDIA_MAX_AGE_HOURS)
    return media_delete_unattached(older_than=cutoff)
