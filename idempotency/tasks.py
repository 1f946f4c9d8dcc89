from celery import shared_task

from idempotency.services import idempotency_keys_delete_expired


@shared_task
def delete_expired_idempotency_keys() -> int:
    """Beat task, hourly: keys older than their lifetime answer nothing any more."""
    return idempotency_keys_delete_expired()
