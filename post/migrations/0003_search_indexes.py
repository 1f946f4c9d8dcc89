from django.db import migrations

from social_media.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("post", "0002_initial")]

    operations = [
        trigram_index("post_post", "text", "post_text_trgm"),
    ]
