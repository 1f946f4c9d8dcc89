"""Notifications in the bench: seeded from the likes, comments and follows, loaded, compared.

Seed: every like, comment and follow seeded before notifies the one it concerns, as the app's
services would (nobody about their own action), about 3 million rows at the full scale. The
rows are read back from the tables just COPYed, ordered by time in PostgreSQL (so ids follow
time, as in real use) and COPYed into `notifications_notification`. Each recipient has read
everything before a last visit drawn per user (about three days ago on average). One account,
`Roles.notified`, also gets `heavy_notifications` more (100,000 by default), drawn from the
other likes and comments (the same kinds of rows, so both users' pages render alike), all
read but the newest five: the case the partial index `notification_unread` is for.

Load: `/notifications/?types=like,comment` page 1, a deep page (a cursor 90% down that list)
and `/notifications/unread-count/`, for that account and for a typical one (the median
recipient among those with two pages or more of likes and comments); the budget phase
counts the queries of a page of comment notifications for both. The summary line
`notifications_heavy_vs_typical_ratio` is the largest of the three p50 ratios.
"""

import base64
import json
import math

import numpy as np
import psycopg2
from django.conf import settings

HEAVY_UNREAD = 5
LAST_VISIT_MEAN_S = 3 * 86400
# Where the deep page starts, as a share of the user's notifications (but a full page
# before the end, so that both users' deep pages hold as many rows).
DEEP_SHARE = 0.9
KINDS = ("list", "deep page", "unread-count")

EVENTS = """
    SELECT 'like' AS type, p.author_id AS recipient, l.user_id AS actor, l.post_id AS post,
           NULL::bigint AS comment, l.created_at, l.id AS cause
      FROM post_like l JOIN post_post p ON p.id = l.post_id
    UNION ALL
    SELECT 'comment', p.author_id, c.author_id, c.post_id, c.id, c.created_at, c.id
      FROM post_comment c JOIN post_post p ON p.id = c.post_id
"""
SEEDED = f"""
    SELECT type, recipient, actor, post, comment, created_at, cause FROM ({EVENTS}) e
     WHERE recipient <> actor
    UNION ALL
    SELECT 'follow', followee_id, follower_id, NULL, NULL, created_at, id FROM user_follow
    UNION ALL (
        -- The heavy account's extra rows: others' likes and comments, a fixed sample.
        SELECT type, %(heavy)s, actor, post, comment, created_at, cause FROM ({EVENTS}) e
         WHERE recipient <> actor AND recipient <> %(heavy)s AND actor <> %(heavy)s
         ORDER BY md5(type || cause || %(seed)s), cause
         LIMIT %(extra)s
    )
    ORDER BY created_at, type, cause, recipient
"""
TABLE = "notifications_notification"
NULL = "\\N"
COLUMNS = "id, type, created_at, read, actor_id, comment_id, post_id, recipient_id"


def seed(seeder) -> None:
    """COPY the notifications of what `seeder` wrote (run after its likes and comments)."""
    from bench.seed import text_lines  # bench.seed calls this module

    params, heavy = seeder.p, seeder.roles.notified
    rng = np.random.default_rng(params.seed + 1)  # its own stream: earlier tables unchanged
    last_visit = seeder.now - rng.exponential(LAST_VISIT_MEAN_S, params.users + 1)
    query = {"heavy": heavy, "seed": str(params.seed), "extra": params.heavy_notifications}
    # A server-side cursor streams the rows into the COPY: 3 million never sit in memory.
    reader = psycopg2.connect(seeder.url)
    count = 0
    with reader.cursor(name="notifications") as cur:
        cur.itersize = 20_000
        cur.execute(SEEDED, query)

        def lines():
            nonlocal count
            for count, (kind, recipient, actor, post, comment, at, _) in enumerate(cur, 1):
                read = "t" if at.timestamp() < last_visit[recipient] else "f"
                yield (
                    f"{count}\t{kind}\t{at.isoformat()}\t{read}\t{actor}\t"
                    f"{comment or NULL}\t{post or NULL}\t{recipient}\n"
                )

        seeder.copy_from(TABLE, COLUMNS, text_lines(lines()), lambda: count)
    reader.close()
    with seeder.conn.cursor() as cur:
        # The heavy account read all but its newest few (a client marks read up to the
        # newest it showed).
        cur.execute(
            "UPDATE notifications_notification SET read = (id < COALESCE((SELECT id FROM "
            "notifications_notification WHERE recipient_id = %(u)s ORDER BY id DESC "
            "OFFSET %(k)s LIMIT 1), 0) + 1) WHERE recipient_id = %(u)s",
            {"u": heavy, "k": HEAVY_UNREAD},
        )


def cursor_at(notification_id: int) -> str:
    """A cursor positioned after `notification_id`, as the pagination encodes it (`-id`)."""
    return base64.urlsafe_b64encode(json.dumps({"v": [notification_id]}).encode()).decode()


# The pages compared are of the kinds that show a post (`?types=`): a page of follows renders
# only their actors, so comparing it with a page of likes would measure the rendering of posts,
# not the cost of a long list.
PAGE_TYPES = ("like", "comment")


def pick(cur, heavy: int) -> dict:
    """The typical recipient and both users' deep-page cursors, from the seeded rows."""
    cur.execute(
        "SELECT recipient_id, COUNT(*) FROM notifications_notification n "
        "JOIN user_user u ON u.id = n.recipient_id WHERE u.is_active AND recipient_id <> %s "
        "AND n.type = ANY(%s) GROUP BY 1 HAVING COUNT(*) >= 40 ORDER BY 2, 1",
        [heavy, list(PAGE_TYPES)],
    )
    counts = cur.fetchall()
    typical = counts[len(counts) // 2][0] if counts else heavy
    deep = {}
    for user in (typical, heavy):
        cur.execute(
            "SELECT id FROM notifications_notification WHERE recipient_id = %s "
            "AND type = ANY(%s) ORDER BY id DESC "
            "OFFSET (SELECT GREATEST(0, LEAST(COUNT(*) * %s, COUNT(*) - %s - 1)) "
            "FROM notifications_notification WHERE recipient_id = %s AND type = ANY(%s))::int "
            "LIMIT 1",
            [user, list(PAGE_TYPES), DEEP_SHARE, settings.PAGE_SIZE, user, list(PAGE_TYPES)],
        )
        row = cur.fetchone()
        deep[user] = cursor_at(row[0]) if row else ""
    return {"typical": typical, "heavy": heavy, "deep": deep}


def load_plan(s) -> list[tuple[str, str, int]]:
    """(name, path, user): each of `KINDS` for the typical and the heavy user."""
    plan = []
    types = ",".join(PAGE_TYPES)
    for who in ("typical", "heavy"):
        user = s.notified[who]
        plan += [
            (f"notifications (list, {who} user)", f"/api/v1/notifications/?types={types}", user),
            (
                f"notifications (deep page, {who} user)",
                f"/api/v1/notifications/?types={types}&cursor={s.notified['deep'][user]}",
                user,
            ),
            (
                f"notifications (unread-count, {who} user)",
                "/api/v1/notifications/unread-count/",
                user,
            ),
        ]
    return plan


def budget_endpoints(s) -> list[tuple[str, str, int]]:
    """Comments only: a page's queries depend on whether it holds posts and comments (none
    when it has none), and every comment notification carries both, at any page size."""
    path = "/api/v1/notifications/?types=comment"
    return [
        ("notifications (typical)", path, s.notified["typical"]),
        ("notifications (heavy)", path, s.notified["heavy"]),
    ]


def heavy_vs_typical(results) -> float:
    """The largest p50 ratio, heavy over typical user, of the kinds both were loaded for."""
    p50 = {r.name: r.p50_ms for r in results}
    ratios = [
        p50[f"notifications ({kind}, heavy user)"] / p50[f"notifications ({kind}, typical user)"]
        for kind in KINDS
        if p50.get(f"notifications ({kind}, typical user)")
        and f"notifications ({kind}, heavy user)" in p50
    ]
    return max(ratios, default=math.nan)
