from celery import shared_task

from notifications.services import notifications_delete_expired


@shared_task
def delete_expired_notifications() -> int:
    """Beat task, daily: read notifications past NOTIFICATIONS_RETENTION_DAYS."""
    return notifications_delete_expired()
