"""`python manage.py recount`: repair the denormalised totals (also a nightly beat task)."""

from django.core.management.base import BaseCommand

from post.services.counters import counters_repair_all


class Command(BaseCommand):
    help = (
        "Compare the totals kept on accounts, posts and comments (followers, likes, "
        "comments, reposts, replies...) with the rows they count, and fix the ones that "
        "drifted."
    )

    def handle(self, *args, **options):
        repaired = counters_repair_all()
        self.stdout.write(
            "Repaired "
            + ", ".join(f"{count} {kind}" for kind, count in repaired.items())
            + " whose totals had drifted."
        )
