from django.db import migrations

from social_media.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("user", "0001_initial")]

    operations = [
        trigram_index("user_user", "username", "user_username_trgm"),
        trigram_index("user_user", "display_name", "user_display_name_trgm"),
        trigram_index("user_user", "bio", "user_bio_trgm"),
        trigram_index("user_user", "location", "user_location_trgm"),
    ]
