from django.apps import AppConfig


class UserConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "user"

    def ready(self):
        from social_media.fields import refuse_numbers_as_text

        from . import authentication  # noqa: F401  (registers the OpenAPI auth scheme)

        # The first project app to load; the rule holds for every app's serializers.
        refuse_numbers_as_text()
