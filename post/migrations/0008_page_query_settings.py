from django.db import migrations

from social_media.migration_ops import database_settings


class Migration(migrations.Migration):
    """Page queries take a few milliseconds; JIT compilation and parallel workers only add
    to that, and the planner turns them on by estimates (docs/feed-at-scale.md, "Server
    settings": a feed page at 5,000 followed 52 ms with them, 5 ms without)."""

    dependencies = [("post", "0007_covering_recent_index")]

    operations = [
        database_settings(jit="off", max_parallel_workers_per_gather="0"),
    ]
