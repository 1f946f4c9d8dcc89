from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from knox.models import get_token_model

from . import services

# An avatar file is written just before its row is saved: younger files may be in flight.
ORPHANED_AVATAR_MIN_AGE = timedelta(hours=1)


@shared_task
def purge_expired_tokens() -> int:
    deleted, _ = get_token_model().objects.filter(expiry__lt=timezone.now()).delete()
    return deleted


@shared_task
def delete_orphaned_avatars() -> int:
    return services.avatar_delete_orphans(older_than=timezone.now() - ORPHANED_AVATAR_MIN_AGE)
