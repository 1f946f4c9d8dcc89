from celery import shared_task

from user.services import accounts as services


@shared_task
def purge_expired_tokens() -> int:
    return services.auth_tokens_purge_expired()


@shared_task
def delete_orphaned_avatars() -> int:
    return services.avatar_delete_orphans()
