"""One database's feed page timings for docs/feed-at-scale.md (run by `growth_1m.py measure`).

    .venv/bin/python bench/feed_probe.py --database URL [--src DIR] --out FILE.json

Django is set up on `--database` with the app of `--src` (the working tree by default, or a
`git archive` of a commit), so that each query below is the SQL that app generates. It
imports nothing from `bench`: the source tree may be older than this file.

For each growth probe of the database (`bench_meta` `probes`: the accounts following
exactly 10, 100, 1,000 and 5,000 others) it times, on one psycopg2 connection of its own
(service time: a statement after the other, no concurrency), after two warm-up runs:

- `app`: the feed page query the app runs now, `Post.objects.for_viewer(u).feed_for(u)`
  ordered newest first, `as_rows()[:21]`, through a cursor at the present (what the
  bench's growth probe and the uncached feed measure); `app_first` is the same without a
  cursor (the first page as the brief writes it);
- `lateral`: the same page with the feed's rows chosen by a per-followee LATERAL on
  `post_author_recent` (`LATERAL_IDS` below) and handed to the ORM as `id__in=RawSQL(...)`:
  `Post.objects.for_viewer(u).unmuted_by(u).filter(id__in=RawSQL(sql, params))`;
- `ids`: the same page when the 21 ids are known beforehand (a precomputed timeline hands
  them over): the floor of a fan-out design, the page's own cost;
- `app_ids`, `lateral_ids`: the row choice alone (ids and times, no columns).

It checks that `lateral_ids` pages through exactly the rows `app_ids` does (the first
`--pages` pages of 20, each from the previous page's last row, as the paginator does).
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from datetime import UTC, datetime

LIMIT = 21  # a page of 20 and one more, as the paginator asks
NEWEST = ("-created_at", "-id")

# The feed's rule as SQL fragments, on the aliases the queries below give their tables: a
# post `p`, its author `au`, a repost's original `o` and its author `ou`. An account is
# visible when it is active and not blocked either way (`hidden`); readable when also not
# muted and public or followed or the viewer (`readable` holds the viewer and the followed
# private accounts, as `relations_of` lists them).
CURSOR = "p.created_at <= %(at)s AND (p.created_at < %(at)s OR p.id < %(id)s)"
NEWEST_FIRST = "ORDER BY p.created_at DESC, p.id DESC"


def _unhidden(account: str) -> str:
    return (
        f"{account}.is_active AND {account}.id <> ALL(%(hidden)s::bigint[])"
        f" AND {account}.id <> ALL(%(muted)s::bigint[])"
    )


def _readable(account: str) -> str:
    return (
        f"{_unhidden(account)}"
        f" AND (NOT {account}.is_private OR {account}.id = ANY(%(readable)s::bigint[]))"
    )


ORIGINAL_JOINS = """LEFT JOIN post_post o ON o.id = p.repost_of_id
    LEFT JOIN user_user ou ON ou.id = o.author_id"""
# A repost only when its original's author is readable.
ORIGINAL_READABLE = f"(p.repost_of_id IS NULL OR ({_readable('ou')}))"
# Each original once: no newer repost of it by an account of the feed that is visible and
# not muted.
NO_NEWER_REPOST = f"""NOT EXISTS (
            SELECT 1 FROM post_post r JOIN user_user ru ON ru.id = r.author_id
            WHERE r.repost_of_id = COALESCE(p.repost_of_id, p.id)
              AND (r.created_at > p.created_at OR (r.created_at = p.created_at AND r.id > p.id))
              AND (r.author_id = %(viewer)s OR EXISTS (
                    SELECT 1 FROM user_follow rf
                    WHERE rf.follower_id = %(viewer)s AND rf.followee_id = r.author_id))
              AND {_unhidden("ru")})"""
# The feed's accounts: the viewer's followees and the viewer.
FOLLOWED_AND_SELF = """SELECT f.followee_id AS author_id FROM user_follow f
    WHERE f.follower_id = %(viewer)s UNION ALL SELECT %(viewer)s"""


def _lateral_ids(authors: str) -> str:
    """The feed's rows for `viewer` strictly before (at, id), newest first, of the accounts
    `authors` selects: each account's own newest LIMIT rows read from its end of
    post_author_recent with every condition the rule puts on a row, then merged. `{select}`
    is the output columns (`.format(select=...)`)."""
    return f"""
SELECT {{select}} FROM ({authors}) a
JOIN user_user au ON au.id = a.author_id
CROSS JOIN LATERAL (
    SELECT p.id, p.created_at FROM post_post p
    {ORIGINAL_JOINS}
    WHERE p.author_id = a.author_id AND {CURSOR}
      AND {ORIGINAL_READABLE}
      AND {NO_NEWER_REPOST}
    {NEWEST_FIRST}
    LIMIT %(limit)s
) c
WHERE {_readable("au")}
ORDER BY c.created_at DESC, c.id DESC
LIMIT %(limit)s
"""


# The viewer's own posts and each followee's, merged (see `_lateral_ids`).
LATERAL_IDS = _lateral_ids(FOLLOWED_AND_SELF)

# The app's plan as raw SQL: the global newest-first index filtered by the feed's authors.
GLOBAL_IDS = f"""
SELECT p.id, p.created_at FROM post_post p
    JOIN user_user au ON au.id = p.author_id
    {ORIGINAL_JOINS}
WHERE (p.author_id = %(viewer)s OR p.author_id IN (
        SELECT followee_id FROM user_follow WHERE follower_id = %(viewer)s))
  AND {CURSOR}
  AND {_readable("au")}
  AND {ORIGINAL_READABLE}
  AND {NO_NEWER_REPOST}
{NEWEST_FIRST}
LIMIT %(limit)s
"""


# The same rows in two steps. First each followee's newest LIMIT positions straight from the
# index (an index-only scan of post_author_recent: no heap, no filter), merged newest first;
# only then are the rule's row conditions checked, lazily, on the merged rows until LIMIT
# pass (the author-level ones that are id lists, blocks and mutes, prune the followees
# before). A followee with LIMIT candidates may have more rows behind them, so the result
# is exact when every such followee's oldest candidate is older than the page's last row
# (`cutoff` below); otherwise (rare: many rows of one account filtered out near the top)
# the caller reads the page with LATERAL_IDS instead.
LATERAL_IO_IDS = f"""
WITH cand AS (
    SELECT c.author_id, c.id, c.created_at FROM (
        SELECT f.followee_id AS author_id FROM user_follow f
        WHERE f.follower_id = %(viewer)s
          AND f.followee_id <> ALL(%(hidden)s::bigint[])
          AND f.followee_id <> ALL(%(muted)s::bigint[])
        UNION ALL SELECT %(viewer)s
    ) a
    CROSS JOIN LATERAL (
        SELECT p.author_id, p.id, p.created_at FROM post_post p
        WHERE p.author_id = a.author_id AND {CURSOR}
        {NEWEST_FIRST}
        LIMIT %(limit)s
    ) c
), cutoff AS (
    SELECT max(oldest) AS at FROM (
        SELECT min(created_at) AS oldest FROM cand GROUP BY author_id HAVING count(*) = %(limit)s
    ) full_authors
)
SELECT page.id, page.created_at, (SELECT at FROM cutoff) FROM (
    SELECT s.id, s.created_at FROM (
        SELECT id, created_at FROM cand ORDER BY created_at DESC, id DESC
    ) s
    JOIN post_post p ON p.id = s.id
    JOIN user_user au ON au.id = p.author_id
    {ORIGINAL_JOINS}
    WHERE au.is_active AND (NOT au.is_private OR au.id = ANY(%(readable)s::bigint[]))
      AND {ORIGINAL_READABLE}
      AND {NO_NEWER_REPOST}
    ORDER BY s.created_at DESC, s.id DESC
    LIMIT %(limit)s
) page
ORDER BY page.created_at DESC, page.id DESC
"""


# A hybrid fan-out's read-time part: the followees with CELEBRITY followers or more are not
# fanned out (their posts would cost that many timeline writes); their rows are merged in
# at read time, by the same LATERAL over just those accounts. The list of such accounts is
# short (58 on the 1M-account set) and changes slowly: the app would keep it cached, so it
# is read once here, outside the timing.
CELEBRITY = 10_000
CELEBRITY_IDS = _lateral_ids(
    """SELECT f.followee_id AS author_id FROM user_follow f
    WHERE f.follower_id = %(viewer)s AND f.followee_id = ANY(%(celebrities)s::bigint[])"""
)


def io_exact(rows) -> bool:
    """Whether LATERAL_IO_IDS's rows are the page (see there)."""
    cutoff = rows[0][2] if rows else None
    if cutoff is None:
        return True  # no followee had more rows than it gave (or none at all)
    return len(rows) == LIMIT and rows[-1][1] > cutoff


def positional(sql: str, named: dict) -> tuple[str, list]:
    """`%(name)s` placeholders as `%s` and their values in order (what RawSQL takes)."""
    params = []

    def one(match):
        params.append(named[match.group(1)])
        return "%s"

    return re.sub(r"%\((\w+)\)s", one, sql), params


CELEBRITIES: list[int] = []  # read by main() when the database has the totals


def lateral_ids(viewer, relations, at, last_id, *, select="c.id, c.created_at", sql=None):
    return positional(
        sql or LATERAL_IDS.format(select=select),
        {
            "celebrities": CELEBRITIES,
            "viewer": viewer.pk,
            "hidden": list(relations.hidden),
            "muted": list(relations.muted),
            "readable": [viewer.pk, *relations.private_followed],
            "at": at,
            "id": last_id,
            "limit": LIMIT,
        },
    )


def timed(conn, sql, params, runs: int, budget_s: float, then=None) -> dict:
    """Median and spread of `runs` executions (fewer when they take over `budget_s`);
    `then(cur, rows)`, when given, is the caller's next statement(s), timed with it."""
    with conn.cursor() as cur:

        def once():
            cur.execute(sql, params)
            rows = cur.fetchall()
            return then(cur, rows) if then else rows

        for _ in range(2):
            once()
        times = []
        started = time.perf_counter()
        while len(times) < runs:
            t0 = time.perf_counter()
            rows = once()
            times.append((time.perf_counter() - t0) * 1000)
            if len(times) >= 5 and time.perf_counter() - started > budget_s:
                break
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, SETTINGS) " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    found = {
        key: float(m.group(1))
        for key, pattern in (
            ("planning_ms", r"Planning Time: ([\d.]+)"),
            ("exec_ms", r"Execution Time: ([\d.]+)"),
        )
        if (m := re.search(pattern, plan))
    }
    times.sort()
    return {
        "p50": statistics.median(times),
        "min": times[0],
        "p90": times[int(0.9 * (len(times) - 1))],
        "runs": len(times),
        "rows": len(rows),
        "jit": "JIT:" in plan,
        "plan": plan,
        **found,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument(
        "--src", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    )
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per variant at most")
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--set",
        default="",
        help="session settings of the timing connection: name=value,name=value",
    )
    args = parser.parse_args()

    sys.path.insert(0, args.src)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="social_media.settings",
        DATABASE_URL=args.database,
        DEBUG="0",
        SECRET_KEY="feed-probe-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    import psycopg2
    from django.db import connection
    from django.db.models.expressions import RawSQL

    from post.models import Post
    from social_media.pagination import CursorPagination
    from user.models import Follow, User, relations_of

    with connection.cursor() as cur:
        cur.execute("SELECT key, value FROM bench_meta")
        meta = dict(cur.fetchall())
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'user_user'")
        accounts = cur.fetchone()[0]
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'post_post'")
        posts = cur.fetchone()[0]
    probes = {int(c): int(u) for c, u in (p.split(":") for p in meta["probes"].split(","))}
    conn = psycopg2.connect(args.database)
    conn.autocommit = True
    settings = [s.split("=", 1) for s in args.set.split(",") if s]
    with conn.cursor() as cur:
        for name, value in settings:
            cur.execute("SELECT set_config(%s, %s, false)", [name, value])

    def sql_of(queryset):
        return queryset.query.sql_with_params()

    def rows_of(sql, params):
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    result = {
        "database": connection.settings_dict["NAME"],
        "label": args.label,
        "src": args.src,
        "accounts": accounts,
        "posts": posts,
        "params": meta.get("params"),
        "measured_at": datetime.now(UTC).isoformat(),
        "settings": dict(settings),
        "probes": {},
    }
    for follows, uid in sorted(probes.items()):
        viewer = User.objects.get(pk=uid)
        relations = relations_of(viewer)
        now = datetime.now(UTC)
        start = [now, 2**63 - 1]
        after = CursorPagination._after(list(NEWEST), start)
        feed = Post.objects.for_viewer(viewer).feed_for(viewer).order_by(*NEWEST)
        ids_sql, ids_params = lateral_ids(viewer, relations, now, 2**63 - 1, select="c.id")
        chosen = rows_of(
            *sql_of(
                Post.objects.visible_to(viewer)
                .feed_for(viewer)
                .order_by(*NEWEST)
                .filter(after)
                .values_list("id", "created_at")[:LIMIT]
            )
        )
        queries = {
            "app": sql_of(feed.filter(after).as_rows()[:LIMIT]),
            "app_first": sql_of(feed.as_rows()[:LIMIT]),
            "lateral": sql_of(
                Post.objects.for_viewer(viewer)
                .unmuted_by(viewer)
                .filter(id__in=RawSQL(ids_sql, ids_params))  # noqa: S611 - our own SQL, params bound
                .order_by(*NEWEST)
                .as_rows()[:LIMIT]
            ),
            "ids": sql_of(
                Post.objects.for_viewer(viewer)
                .unmuted_by(viewer)
                .filter(id__in=[r[0] for r in chosen])
                .order_by(*NEWEST)
                .as_rows()[:LIMIT]
            ),
            "app_ids": sql_of(
                Post.objects.visible_to(viewer)
                .feed_for(viewer)
                .order_by(*NEWEST)
                .filter(after)
                .values_list("id", "created_at")[:LIMIT]
            ),
            "lateral_ids": lateral_ids(viewer, relations, now, 2**63 - 1),
        }
        probe = {
            "user": uid,
            "follows": Follow.objects.filter(follower=viewer).count(),
            "hidden": len(relations.hidden),
            "muted": len(relations.muted),
            "private_followed": len(relations.private_followed),
            "sql": {name: sql for name, (sql, _) in queries.items()},
            "variants": {},
        }
        io_sql, io_params = lateral_ids(viewer, relations, now, 2**63 - 1, sql=LATERAL_IO_IDS)
        queries["lateral_io_ids"] = (io_sql, io_params)
        chosen_ids = [r[0] for r in chosen]
        queries["ids_feed"] = sql_of(
            Post.objects.for_viewer(viewer)
            .feed_for(viewer)
            .filter(id__in=chosen_ids)
            .order_by(*NEWEST)
            .as_rows()[:LIMIT]
        )
        probe["sql"].update(lateral_io_ids=io_sql, ids_feed=queries["ids_feed"][0])
        with connection.cursor() as cur:
            cur.execute(
                "SELECT 1 FROM information_schema.columns "
                "WHERE table_name = 'user_userstats' AND column_name = 'followers_count'"
            )
            counters = cur.fetchone() is not None
        if counters and not CELEBRITIES:
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT user_id FROM user_userstats WHERE followers_count >= %s", [CELEBRITY]
                )
                CELEBRITIES.extend(row[0] for row in cur.fetchall())
            result["celebrities"] = len(CELEBRITIES)
        if counters:
            queries["celebrity_ids"] = lateral_ids(
                viewer,
                relations,
                now,
                2**63 - 1,
                sql=CELEBRITY_IDS.format(select="c.id, c.created_at"),
            )
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT COUNT(*) FROM user_follow f JOIN user_userstats s "
                    "ON s.user_id = f.followee_id WHERE f.follower_id = %s "
                    "AND s.followers_count >= %s",
                    [uid, CELEBRITY],
                )
                probe["celebrities"] = cur.fetchone()[0]

        # The page of given ids, its SQL compiled once (the ids are one array parameter).
        sentinel = [-987654321]
        page_sql, page_params = sql_of(
            Post.objects.for_viewer(viewer)
            .unmuted_by(viewer)
            .filter(id__in=RawSQL("SELECT unnest(%s::bigint[])", [sentinel]))
            .order_by(*NEWEST)
            .as_rows()[:LIMIT]
        )
        slot = next(i for i, p in enumerate(page_params) if p == sentinel)
        page = (page_sql, page_params, slot)

        def hydrate(cur, rows, viewer=viewer, relations=relations, now=now, page=page, check=True):
            """LATERAL_IO_IDS's rows, or LATERAL_IDS's when they may not be the page, then
            the page of those ids (the app would run these two statements)."""
            if check and not io_exact(rows):
                cur.execute(*lateral_ids(viewer, relations, now, 2**63 - 1))
                rows = cur.fetchall()
            params = list(page[1])
            params[page[2]] = [r[0] for r in rows]
            cur.execute(page[0], params)
            return cur.fetchall()

        for name, (sql, params) in queries.items():
            probe["variants"][name] = timed(conn, sql, params, args.runs, args.budget)
        probe["variants"]["lateral_io"] = timed(
            conn, io_sql, io_params, args.runs, args.budget, then=hydrate
        )
        # The app's own choice of rows (`app_ids`), then the page of those ids: with a
        # covering index on (created_at, id) INCLUDE (author_id, repost_of_id) the first
        # statement is an index-only scan.
        probe["variants"]["two_step"] = timed(
            conn,
            *queries["app_ids"],
            args.runs,
            args.budget,
            then=lambda cur, rows, hydrate=hydrate: hydrate(cur, rows, check=False),
        )
        for name, v in probe["variants"].items():
            print(
                f"{result['database']} {follows:>5} {name:<12} p50 {v['p50']:9.2f} ms  "
                f"min {v['min']:9.2f}  rows {v['rows']}  runs {v['runs']}"
                f"{'  JIT' if v['jit'] else ''}",
                flush=True,
            )

        # Keyset pages: the LATERAL choice must be the app's, row for row.
        def pages(fetch, start=start):
            position, seen = start, []
            for _ in range(args.pages):
                rows = fetch(position)
                seen += [r[0] for r in rows[: LIMIT - 1]]
                if len(rows) < LIMIT:
                    break
                position = [rows[LIMIT - 2][1], rows[LIMIT - 2][0]]
            return seen

        def app_page(position, viewer=viewer):
            qs = (
                Post.objects.visible_to(viewer)
                .feed_for(viewer)
                .order_by(*NEWEST)
                .filter(CursorPagination._after(list(NEWEST), position))
                .values_list("id", "created_at")[:LIMIT]
            )
            return rows_of(*sql_of(qs))

        def lateral_page(position, viewer=viewer, relations=relations):
            return rows_of(*lateral_ids(viewer, relations, position[0], position[1]))

        fallbacks = []

        def io_page(position, viewer=viewer, relations=relations, fallbacks=fallbacks):
            rows = rows_of(
                *lateral_ids(viewer, relations, position[0], position[1], sql=LATERAL_IO_IDS)
            )
            fallbacks.append(not io_exact(rows))
            return rows if io_exact(rows) else lateral_page(position)

        expected, got, got_io = pages(app_page), pages(lateral_page), pages(io_page)
        probe["exact"] = {
            "rows": len(expected),
            "same": expected == got,
            "io_same": expected == got_io,
            "io_fallbacks": f"{sum(fallbacks)}/{len(fallbacks)}",
        }
        print(
            f"{result['database']} {follows:>5} lateral_io pages: {len(got_io)} rows, "
            f"{'the same as the app' if expected == got_io else 'DIFFERENT from the app'}, "
            f"fallbacks {sum(fallbacks)}/{len(fallbacks)}",
            flush=True,
        )
        print(
            f"{result['database']} {follows:>5} lateral pages: {len(got)} rows, "
            f"{'the same as the app' if expected == got else 'DIFFERENT from the app'}",
            flush=True,
        )
        result["probes"][str(follows)] = probe
    conn.close()
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
