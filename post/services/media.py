from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from post.models import Media
from social_media.files import delete_files_on_commit
from social_media.images import process_image

MEDIA_MAX_SIDE = 2048
THUMBNAIL_MAX_SIDE = 400
# Rows removed per transaction by the cleanup task: short transactions, short locks.
CLEANUP_BATCH_SIZE = 500


def media_create(*, owner, upload, description: str = "") -> Media:
    """Decode, re-encode and store an upload; the row points at the clean copies only.

    Decoding runs outside any transaction (it is the slow part and touches no rows). The
    files are written before the row, so a failed insert removes them again.
    """
    try:
        image = process_image(
            upload,
            max_bytes=settings.MEDIA_MAX_BYTES,
            max_side=MEDIA_MAX_SIDE,
            thumbnail_side=THUMBNAIL_MAX_SIDE,
        )
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None

    media = Media(owner=owner, width=image.width, height=image.height, description=description)
    media.file.save(image.file.name, image.file, save=False)
    media.thumbnail.save(image.thumbnail.name, image.thumbnail, save=False)
    try:
        media.save()
    except Exception:
        default_storage.delete(media.file.name)
        default_storage.delete(media.thumbnail.name)
        raise
    return media


def media_delete_unattached(*, older_than: datetime | None = None) -> int:
    """Delete uploads created before `older_than` that no post or scheduled post took; by
    default, those older than UNATTACHED_MEDIA_MAX_AGE_HOURS.

    Each batch locks its rows first (skipping rows a request is attaching right now), so a
    row cannot be attached after it was chosen here; its files go once the delete commits.
    """
    if older_than is None:
        older_than = timezone.now() - timedelta(hours=settings.UNATTACHED_MEDIA_MAX_AGE_HOURS)
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(
                Media.objects.filter(
                    post__isnull=True, scheduled_post__isnull=True, created_at__lt=older_than
                )
                .select_for_update(skip_locked=True)
                .values_list("id", "file", "thumbnail")[:CLEANUP_BATCH_SIZE]
            )
            if not batch:
                return deleted
            Media.objects.filter(id__in=[row[0] for row in batch]).delete()
            delete_files_on_commit([name for row in batch for name in row[1:] if name])
        deleted += len(batch)
        if len(batch) < CLEANUP_BATCH_SIZE:
            return deleted
