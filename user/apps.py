from django.apps import AppConfig


class UserConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "user"

    def ready(self):
        from . import authentication  # noqa: F401  (registers the OpenAPI auth scheme)
