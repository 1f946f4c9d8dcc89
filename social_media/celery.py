import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "social_media.settings")

app = Celery("social_media")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _drop_unusable_database_connections(sender=None, **kwargs):
    """What Django does around each request, done around each task.

    With CELERY_DB_REUSE_MAX set, Celery's fixup keeps the worker's connection and no longer
    checks it; without this, a connection broken by a database restart would fail every
    task until the fixup recycles it. close_old_connections closes a connection after an
    error or past CONN_MAX_AGE, and re-arms CONN_HEALTH_CHECKS for its next use.
    """
    from django.db import close_old_connections, connections

    # An eager task runs inside its caller's transaction (tests): never close that.
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    if any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        return
    close_old_connections()
