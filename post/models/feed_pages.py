"""The feed's page for an account that follows few among many (PostgreSQL).

The page query walks the newest posts of everyone (`post_recent`) and keeps those of the
accounts followed, so its cost grows with the share of the network a reader does *not*
follow: for 10 followed among a million accounts it reads millions of index entries for 21
rows (docs/feed-at-scale.md). Below a threshold, the page is instead the newest rows of each
followed account (and of the reader), each list read by the page's own queryset narrowed to
that author (an index descent on `post_author_recent`), merged here. Each list already passed
the whole rule and the cursor, so the page is the same rows in the same order; only the cost
differs. `PostRowIterable` asks `reads_per_author` and then takes the keys from here.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import BigIntegerField, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject

from user.models import Follow, User, UserStats

# The cursor pagination's orders: newest first, or its inverse for a `previous` link.
_ORDERS = {("-created_at", "-id"): True, ("created_at", "id"): False}


def reads_per_author(queryset) -> bool:
    """Whether this page (a feed's slice on PostgreSQL in the cursor's order) is cheaper as
    one index descent per followed account than as a walk of everyone's newest posts.

    `FEED_PER_AUTHOR`: `auto` (the default) when `4 · following² < accounts`, the crossover
    measured on the 10k and the 1M data sets (docs/feed-at-scale.md); `always` and `never`
    for tests and comparisons."""
    mode = settings.FEED_PER_AUTHOR
    if (
        mode == "never"
        or queryset._feed_user is None
        or connections[queryset.db].vendor != "postgresql"
        or queryset.query.high_mark is None
        or queryset.query.low_mark
        or tuple(queryset.query.order_by) not in _ORDERS
    ):
        return False
    if mode == "always":
        return True
    # The reader's following total (its stats row) and the planner's estimate of the
    # accounts (`pg_class.reltuples`, kept fresh by autovacuum: the order of magnitude is
    # what matters), in one statement.
    accounts = RawSQL(
        "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass",
        (User._meta.db_table,),
        output_field=BigIntegerField(),
    )
    found = (
        UserStats.objects.using(queryset.db)
        .filter(user=queryset._feed_user)
        .values_list("following_count", accounts)
        .first()
    )
    return found is not None and 4 * found[0] * found[0] < found[1]


def per_author_keys(queryset) -> list[dict]:
    """The page's keys (`PAGE_KEY_COLUMNS`), as the page query would return them: each
    author's newest rows by the page's queryset (rule, feed, cursor, order), at most the
    page's length each, in one statement, then the first of all of them in the page's order."""
    limit = queryset.query.high_mark
    user = queryset._feed_user
    page = queryset._chain()
    page.query.clear_limits()
    item = JSONObject(
        id="id", created_at="created_at", repost_of_id="repost_of_id", quote_of_id="quote_of_id"
    )

    # The reader and the accounts it follows, as a set the planner probes by key.
    authors = Follow.objects.filter(follower=user).values("followee")
    authors = authors.union(User.objects.filter(pk=user.pk).values("pk"), all=True)
    lists = (
        User.objects.using(queryset.db)
        .filter(pk__in=authors)
        .annotate(items=ArraySubquery(page.filter(author=OuterRef("pk")).values(item=item)[:limit]))
        .values_list("items", flat=True)
    )
    keys = [
        {**item, "created_at": datetime.fromisoformat(item["created_at"])}
        for items in lists
        for item in items
    ]
    newest_first = _ORDERS[tuple(queryset.query.order_by)]
    keys.sort(key=lambda key: (key["created_at"], key["id"]), reverse=newest_first)
    return keys[:limit]
