from celery import shared_task


@shared_task
def publish_overdue_scheduled_posts() -> int:
    raise NotImplementedError  # implemented by the scheduled-posts work


@shared_task
def delete_unattached_media() -> int:
    raise NotImplementedError  # implemented by the media work
