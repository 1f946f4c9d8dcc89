from django.apps import AppConfig


class PostConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "post"

    def ready(self):
        # Connects the post app's receivers: its part of an account's deletion, and the
        # worker_ready handler (the sweep at worker start) whether or not Celery has
        # autodiscovered the tasks module by the time the worker is ready.
        from post import signals, tasks  # noqa: F401
